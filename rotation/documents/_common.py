"""What the pictures share with the documents; the helpers live in `rotation.formats.document`."""

from __future__ import annotations

from rotation.formats.document import day_text, language_of, xml_text

__all__ = ["day_text", "language_of", "xml_text"]
