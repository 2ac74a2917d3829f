"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised before export.

A cell starting with = + - @ (or a tab or carriage return, which some programs strip before looking) can run as a
formula when a CSV or XLSX is opened (OWASP "CSV injection"). Such text gets a leading apostrophe, which Excel and
LibreOffice show as plain text. Numbers are left alone: only strings are neutralised.
"""

from typing import Any

__all__ = ["DANGEROUS_PREFIXES", "neutralised", "neutralised_row"]

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """The value, with a ' prefixed when it is text starting like a formula.

    Examples:
        >>> neutralised('=HYPERLINK("http://x","y")')
        '\\'=HYPERLINK("http://x","y")'
        >>> neutralised("สมชาย"), neutralised(-5), neutralised(None), neutralised("")
        ('สมชาย', -5, None, '')
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralised_row(row: tuple[Any, ...] | list[Any]) -> list[Any]:
    """Every cell of a row neutralised."""
    return [neutralised(v) for v in row]
