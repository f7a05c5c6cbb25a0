"""The planning as text, under its earlier name: `rotation.formats` holds each format's writer and reader."""

from __future__ import annotations

from rotation.formats import TEXT_FORMATS as FORMATS
from rotation.formats import render
from rotation.formats.csv import to_csv
from rotation.formats.json import JSON_SCHEMA_VERSION, plan_to_data, to_json
from rotation.formats.markdown import to_markdown
from rotation.formats.tables import columns, rows, to_table

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_VERSION",
    "columns",
    "plan_to_data",
    "render",
    "rows",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_table",
]
