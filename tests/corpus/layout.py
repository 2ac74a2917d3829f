"""Sheet layout shared by rosters and extracts: parsed column specs, header rows, lines with their kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheets import Sheet, write_ods, write_text, write_xls, write_xlsx
from styles import BKK_WORDS

TEXT_FORMATS = {"csv": ("utf-8", ","), "csv_bom": ("utf-8-sig", ","), "cp874": ("cp874", ","),
                "tsv": ("utf-8", "\t")}


def parse_cols(cols: list[str], area: str) -> list[tuple[str | None, str, str]]:
    """"group>sub|role" -> (group, sub, role); Bangkok forms get แขวง/เขต for ตำบล/อำเภอ."""
    out = []
    for c in cols:
        head, role = c.rsplit("|", 1)
        group, _, sub = head.rpartition(">")
        if area.startswith("BKK"):
            sub = BKK_WORDS.get(sub, sub)
        out.append((group or None, sub, role))
    return out


def header_rows(cols: list[tuple[str | None, str, str]], top: int = 0) -> tuple[list[list[Any]], list[tuple]]:
    """One header row, or two with merged group cells when any column has a group ("ชื่อ - สกุล" over ...)."""
    if not any(g for g, _, _ in cols):
        return [[sub for _, sub, _ in cols]], []
    first: list[Any] = []
    second: list[Any] = []
    merges = []
    c = 0
    while c < len(cols):
        group = cols[c][0]
        if group is None:
            first.append(cols[c][1])
            second.append("")
            merges.append((top, c, top + 1, c))
            c += 1
            continue
        end = c
        while end + 1 < len(cols) and cols[end + 1][0] == group:
            end += 1
        first += [group] + [""] * (end - c)
        second += [cols[i][1] for i in range(c, end + 1)]
        merges.append((top, c, top, end))
        c = end + 1
    return [first, second], merges


class SheetBuilder:
    """Lines of one sheet with their kind: every line is a header, a person or a named non-person."""

    def __init__(self, name: str, width: int) -> None:
        self.sheet = Sheet(name)
        self.width = width
        self.header_lines: list[int] = []
        self.accepted: list[dict[str, Any]] = []
        self.not_people: list[dict[str, Any]] = []

    def add(self, cells: list[Any], kind: str | None = None) -> int:
        self.sheet.rows.append(cells)
        line = len(self.sheet.rows)
        if kind:
            self.not_people.append({"sheet": self.sheet.name, "line": line, "kind": kind})
        return line

    def text(self, text: str, kind: str, col: int = 0, merge: bool = False) -> None:
        line = self.add([""] * col + [text], kind if text else "blank")
        if merge and text:
            self.sheet.merges.append((line - 1, 0, line - 1, self.width - 1))

    def header(self, rows: list[list[Any]], merges: list[tuple], repeated: bool) -> None:
        top = len(self.sheet.rows)
        for r in rows:
            self.add(r, "repeated_header" if repeated else None)
            if not repeated:
                self.header_lines.append(len(self.sheet.rows))
        self.sheet.merges += [(top + a, b, top + c, d) for a, b, c, d in merges]


def write_sheets(path: Path, fmt: str, sheets: list[Sheet], pad: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in TEXT_FORMATS:
        encoding, delimiter = TEXT_FORMATS[fmt]
        write_text(path, sheets[0], encoding, delimiter, pad)
    elif fmt == "xlsx":
        write_xlsx(path, sheets)
    elif fmt == "xls":
        write_xls(path, sheets)
    elif fmt == "ods":
        write_ods(path, sheets)
    else:
        raise ValueError(fmt)
