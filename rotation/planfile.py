"""Reading a planning back, under its earlier name: `rotation.formats.read` finds the format and reads it."""

from __future__ import annotations

from rotation.formats.read import MAX_PLAN_BYTES, add_history, read_plan, read_plan_text

__all__ = ["MAX_PLAN_BYTES", "add_history", "read_plan", "read_plan_text"]
