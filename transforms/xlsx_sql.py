"""Worksheet rows as SpreadsheetML, built in DuckDB: the bytes xlsxwriter writes in constant_memory mode, per row.

A province's outreach sheets hold ~275,000 rows of 15 cells; xlsxwriter spends ~15 us of Python per cell on them
(a minute and more). The same XML is text a query can make, set-based, so flows/report_xlsx.py hands xlsxwriter the
rows ready-made and lets it write everything else (titles, headers, styles, print setup, the zip).

The rules are xlsxwriter 3.3's for an inline string or a number cell (worksheet._write_cell, xmlwriter):

- a number is ``<c r="B3"><v>{x:.16G}</v></c>`` (``s="N"`` first when it has a format; an int is formatted as a
  float, so DuckDB's ``printf('%.16G', x::double)`` gives the same text);
- a string is ``<c r="A3" t="inlineStr"><is><t>text</t></is></c>``; before escaping, a literal ``_xHHHH_`` gets its
  underscore escaped (``_x005F_xHHHH_``) and a control character becomes ``_xHHHH_``; ``xml:space="preserve"`` when
  it starts or ends with whitespace (Python's ``\\s``); then ``&``, ``<`` and ``>`` are escaped;
- a null is no cell; a row without cells is no ``<row>``;
- a shared string (a cell whose column is ``shared``) is ``<c r="A3" t="s"><v>{index}</v></c>``, its index into the
  workbook's shared-string table in the column ``_sst_<column>``; where that is null, the inline string.

Strings longer than xlsxwriter truncates (32,767 UTF-16 units) and NaN or infinite numbers (which it refuses) are
not handled here: :func:`xlsx_check_sql` tells the caller to write such a sheet cell by cell instead.
"""

from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["XlsxCell", "column_letter", "xlsx_check_sql", "xlsx_rows_sql"]

# Python's \s minus the control characters, which are escaped as _xHHHH_ before the whitespace test.
_CONTROL = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_SPACES = [ord(c) for c in map(chr, range(0x3001)) if c.isspace() and ord(c) not in _CONTROL]
CONTROL_CLASS = "[\\x{0}-\\x{8}\\x{b}-\\x{1f}]"
STRING_MAX = 32_767 // 2  # code points: xlsxwriter truncates only strings longer than this (in UTF-16 units, 32,767)


class XlsxCell(NamedTuple):
    """One column of a sheet: its name in the row query, whether it is a number, its format's xf index (or None),
    whether its strings may hold control characters (False only when a scan found none: that rewriting is
    the one test that reads every byte of every string), and whether a shared-string index may stand for its value
    (in ``_sst_<column>``)."""

    column: str
    number: bool
    style: int | None = None
    controls: bool = True
    shared: bool = False


def column_letter(index: int) -> str:
    """Excel's column name of a 0-based column index.

    Examples:
        >>> [column_letter(i) for i in (0, 25, 26, 29, 701, 702)]
        ['A', 'Z', 'AA', 'AD', 'ZZ', 'AAA']
    """
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _escaped_sql(v: str, controls: bool) -> str:
    """A non-null string column `v` as the <t> element's text: each rewriting only where a cheap test says the
    value needs it (most cells need none)."""
    text = f"case when contains({v}, '_x') then regexp_replace({v}, '(_x[0-9a-fA-F]{{4}}_)', '_x005F\\1', 'g') " \
           f"else {v} end"
    if controls:
        chain = text
        for c in _CONTROL:
            chain = f"replace({chain}, chr({c}), '_x{c:04X}_')"
        text = f"case when regexp_matches({v}, '{CONTROL_CLASS}') then {chain} else {text} end"
    amp = f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    return f"case when contains({v}, '&') or contains({v}, '<') or contains({v}, '>') then {amp} else {text} end"


def _preserve_sql(v: str) -> str:
    """xlsxwriter's xml:space="preserve" test (a whitespace character first or last) without a regular expression,
    which would read the whole string: the first and last code points (DuckDB indexes strings by code point)."""
    spaces = ", ".join(map(str, _SPACES))
    return f"case when ord({v}) in ({spaces}) or ord({v}[-1]) in ({spaces}) then ' xml:space=\"preserve\"' else '' end"


def _cell_sql(cell: XlsxCell, letter: str) -> str:
    v = f'"{cell.column}"'
    style = f' s="{int(cell.style)}"' if cell.style is not None else ""
    if cell.number:
        body = f"'<c r=\"{letter}', _r, '\"{style}><v>', printf('%.16G', {v}::double), '</v></c>'"
    else:
        body = (f"'<c r=\"{letter}', _r, '\"{style} t=\"inlineStr\"><is><t', {_preserve_sql(v)}, '>', "
                f"{_escaped_sql(v, cell.controls)}, '</t></is></c>'")
    inline = f"case when {v} is not null then concat({body}) end"
    if not cell.shared:
        return inline
    index = f'"_sst_{cell.column}"'
    return (f"case when {index} is not null then concat('<c r=\"{letter}', _r, '\"{style} t=\"s\"><v>', {index}, "
            f"'</v></c>') else {inline} end")


def xlsx_rows_sql(numbered_sql: str, cells: Sequence[XlsxCell], first_row: int, keys: Sequence[str] = ()) -> str:
    """Each row of `numbered_sql` (columns `cells`, its 1-based position ``_n``, grouping `keys`) as its <row>
    element at sheet row ``first_row + _n`` (1-based): ``keys..., _r, xml``, rows without cells left out, in
    `keys` then ``_n`` order.

    Examples:
        >>> sql = xlsx_rows_sql("select 'a' as t, 5 as n, 1 as _n", [XlsxCell("t", False), XlsxCell("n", True, 4)], 2)
        >>> import duckdb; duckdb.sql(sql).fetchall()
        [(3, '<row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c><c r="B3" s="4"><v>5</v></c></row>')]
    """
    key_list = "".join(f'"{k}", ' for k in keys)
    cell_sql = ", ".join(_cell_sql(c, column_letter(i)) for i, c in enumerate(cells))
    return f"""
with numbered as (
    select *, _n + {int(first_row)} as _r from ({numbered_sql})
),
cells as (
    select {key_list}_n, _r, concat({cell_sql}) as _cells from numbered
),
final as (
    select {key_list}_n, _r, concat('<row r="', _r, '">', _cells, '</row>') as xml from cells where _cells <> ''
)
select {key_list}_r, xml from final order by {key_list}_n
"""


def xlsx_check_sql(numbered_sql: str, cells: Sequence[XlsxCell], formatted: Sequence[str] = ()) -> str:
    """One row about `numbered_sql`: its row count; whether :func:`xlsx_rows_sql` writes exactly what xlsxwriter
    would (no string long enough to be truncated, no NaN or infinite number); whether any `formatted` column has a
    value (a format gets its xf index when first used: the caller asks for it only then, as xlsxwriter would);
    and the string columns holding a control character (searched among distinct values: most columns repeat).

    Examples:
        >>> import duckdb
        >>> rows = "select 'a' as t, 'b' || chr(1) as u, 'nan'::double as x, null::double as y"
        >>> cells = [XlsxCell("t", False), XlsxCell("u", False), XlsxCell("y", True)]
        >>> duckdb.sql(xlsx_check_sql(rows, cells, ["y"])).fetchall()
        [(1, True, False, ['u'])]
        >>> duckdb.sql(xlsx_check_sql(rows, [XlsxCell("x", True)])).fetchall()
        [(1, False, False, [])]
    """
    texts = [f'"{c.column}"' for c in cells if not c.number]
    checks = [f"coalesce(max(length({t})), 0) <= {STRING_MAX}" for t in texts]
    checks += [f'coalesce(bool_and(isfinite("{c.column}"::double)), true)' for c in cells if c.number]
    used = " or ".join(f'"{c}" is not null' for c in formatted) or "false"
    controls = "select []::varchar[] as controls"
    if texts:
        controls = f"""select coalesce(list(distinct "column" order by "column")
                                  filter (where regexp_matches(v, '{CONTROL_CLASS}')), []) as controls
    from (select distinct "column", v from (unpivot (select {', '.join(texts)} from q)
                                            on {', '.join(texts)} into name "column" value v))"""
    return f"""
with q as materialized ({numbered_sql}),
facts as (
    select count(*) as n, {' and '.join(checks) or 'true'} as ok, coalesce(bool_or({used}), false) as formatted
    from q
),
controlled as ({controls})
select n, ok, formatted, controls from facts, controlled
"""
