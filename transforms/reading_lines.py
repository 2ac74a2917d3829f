"""Which lines of a sheet's data area are not people: repeated headers, totals, signatures, notes (issue 13).

Volunteers' sheets end with "รวม 25 คน", "ลงชื่อ ............ ประธานกองทุน", "(นางสมศรี ใจดี)"; printed
rosters repeat the header on every page; a per-village sheet may carry a section line ("หมู่ที่ 2 บ้านโนน").
Such lines are kept with a kind, so the stage quarantines them with their own reason instead of accepting
them as members or calling them nameless people. Decided with Arrow's vectorised kernels over whole
columns, never a Python loop over rows.
"""

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

LINE_KINDS = ("repeated_header", "total_line", "signature_line", "note_line", "above_header")

_KEY_DROP = "[\\s.\\-_/()#:,'\"*\u200b]+"  # the zero-width space as itself: RE2 reads no \\u escapes
_TOTAL = (r"^(?:รวม(?:ทั้งสิ้น|ทั้งหมด|จำนวน|สมาชิก)?(?:\s|\d|$)|ยอดรวม|จำนวน(?:สมาชิก)?\s*(?:ทั้งสิ้น|ทั้งหมด|รวม)"
          r"|(?i:(?:grand\s+)?total\b))")
_SIGNATURE = (r"^(?:\(?\s*ลง(?:ชื่อ|นาม)|ผู้รับรอง|ผู้จัดทำ|ผู้ตรวจ|ผู้บันทึก|ผู้อนุมัติ|ผู้เสนอ|ตำแหน่ง|ประทับตรา"
              r"|ตราประทับ|ประธาน(?:กองทุน|คณะกรรมการ)|เหรัญญิก|เลขานุการ|(?i:signed|signature|certified|prepared by"
              r"|checked by|approved by))|\.{4,}|_{4,}")  # dotted or ruled leaders: a blank to sign, no name
# A line of a few cells only: a member's line may carry "ตำแหน่ง ประธาน" or "...." in a remarks column.
_FEW_CELLS = 3
_NOTE = r"^(?:หมายเหตุ|ข้อมูล\s*ณ|ที่มา\s*:|พิมพ์เมื่อ|(?i:note\s*:|printed|source\s*:))"
_PARENTHESISED = r"^\(\s*[^()]+\)$"  # the printed name under a signature
_THIRTEEN_DIGITS = r"\d(?:[\s\-]?\d){12}"
_ANY_MARKER = "|".join(f"(?:{p})" for p in (_TOTAL, _SIGNATURE, _NOTE, _PARENTHESISED))


def _key(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.utf8_lower(col), _KEY_DROP, "")


def _matches(data: pa.Table, pattern: str) -> pa.Array:
    """Lines where any cell matches: one regex pass over every column's cells end to end (a call per column
    cost more than its cells on a roster's few hundred lines), folded back to one flag per line."""
    n = data.num_rows
    if data.num_columns == 0 or n == 0:
        return pa.repeat(pa.scalar(False), n)
    cells = pa.concat_arrays([_flat(data.column(i)).cast(pa.string()) for i in range(data.num_columns)])
    hits = pc.fill_null(pc.match_substring_regex(cells, pattern), False).to_numpy(zero_copy_only=False)
    return pa.array(hits.reshape(data.num_columns, n).any(axis=0))


def repeated_headers(data: pa.Table, header_lines: Sequence[Sequence[object]]) -> pa.Array:
    """Lines that write a header line again (see _header_repeats), for any of the header lines."""
    mask = pa.repeat(pa.scalar(False), data.num_rows)
    for line in header_lines:
        mask = pc.or_(mask, _header_repeats(data, line))
    return mask


def _header_repeats(data: pa.Table, header: Sequence[object]) -> pa.Array:
    """Lines where at least half of the header's named cells (and two or more) are written again.

    A cell is compared by its key (case, spaces and punctuation aside), judged on each column's distinct values
    and then looked up: most columns never repeat their header, and a million-row extract has far fewer distinct
    values in most columns than rows. The keys of every column's distinct values are made in one pass (a regex
    kernel call per column cost more than its values on a roster's few hundred lines).
    """
    named = [(i, re.sub(_KEY_DROP, "", str(h).lower())) for i, h in enumerate(header)
             if h not in (None, "") and i < data.num_columns]
    named = [(i, k) for i, k in named if k]
    if len(named) < 2:
        return pa.repeat(pa.scalar(False), data.num_rows)
    distinct = [pc.unique(data.column(i)) for i, _ in named]
    sizes = np.array([len(d) for d in distinct])
    wanted = pc.take(pa.array([k for _, k in named], pa.string()), pa.array(np.repeat(np.arange(len(named)), sizes)))
    same = pc.fill_null(pc.equal(_key(pa.concat_arrays([d.cast(pa.string()) for d in distinct])), wanted), False)
    same_np = same.to_numpy(zero_copy_only=False)
    count = None
    for (i, _), values, end, size in zip(named, distinct, np.cumsum(sizes), sizes, strict=True):
        if not same_np[end - size:end].any():
            continue
        hits = pc.filter(values, same.slice(end - size, size))
        eq = pc.cast(pc.fill_null(pc.is_in(data.column(i), value_set=hits), False), pa.int32())
        count = eq if count is None else pc.add(count, eq)
    if count is None:
        return pa.repeat(pa.scalar(False), data.num_rows)
    return pc.greater_equal(count, max(2, (len(named) + 1) // 2))


def marker_lines(data: pa.Table, header_lines: Sequence[Sequence[object]],
                 repeated: pa.Array | None = None) -> pa.Array:
    """Lines that are surely no person whatever the columns' roles: a header again, a total, a signature, a note.

    Used to keep such lines out of the values a column's role is judged by (a signature in a spacer column).
    ``repeated``: repeated_headers(data, header_lines) when the caller has it already.
    """
    mask = repeated_headers(data, header_lines) if repeated is None else repeated
    return pc.or_(mask, _matches(data, _ANY_MARKER))  # one pass: a line matching any of the four patterns


def line_kinds(
    data: pa.Table, header_lines: Sequence[Sequence[object]], roles: Mapping[int, str],
    repeated: pa.Array | None = None,
) -> pa.Array:
    """Per data line, the kind of non-person line it is, or null for a line that may name a person.

    Args:
        data: the data area's cells (columns c0..cN, text).
        header_lines: the header line(s) as read; each is looked for again (printed pages repeat them).
        roles: {0-based column: role} of the sheet.
        repeated: repeated_headers(data, header_lines) when the caller has it already.
    """
    n = data.num_rows
    if n == 0:
        return pa.array([], pa.string())
    if repeated is None:
        repeated = repeated_headers(data, header_lines)
    filled = None
    for i in range(data.num_columns):
        f = pc.cast(pc.is_valid(data.column(i)), pa.int32())
        filled = f if filled is None else pc.add(filled, f)
    one_cell = pc.equal(filled, 1) if filled is not None else pa.repeat(pa.scalar(False), n)
    cid_cols = [i for i, r in roles.items() if r == "citizen_id" and i < data.num_columns]
    has_id = pa.repeat(pa.scalar(False), n)
    for i in cid_cols:
        has_id = pc.or_(has_id, pc.fill_null(pc.match_substring_regex(data.column(i), _THIRTEEN_DIGITS), False))
    name_cols = {i for i, r in roles.items() if r in ("first_name", "last_name", "full_name", "title")}
    not_person = pc.and_(pc.invert(has_id), pc.less_equal(filled, _FEW_CELLS))
    # Every kind below needs a line of a few cells and no ID: the text tests run on those lines only (a
    # handful in a million-line extract), and their kinds are put back in place.
    candidates = pc.or_(not_person, one_cell)
    out = pa.nulls(n, pa.string())
    if pc.any(candidates).as_py():
        kinds = _few_cell_kinds(data.filter(candidates), name_cols, not_person.filter(candidates),
                                one_cell.filter(candidates))
        out = pc.replace_with_mask(out, _flat(candidates), _flat(kinds))
    return pc.if_else(repeated, pa.scalar("repeated_header"), out)  # the first kind listed wins


def _flat(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _few_cell_kinds(data: pa.Table, name_cols: set[int], not_person: pa.Array, one_cell: pa.Array) -> pa.Array:
    """The kinds of lines of a few cells and no ID: totals, signatures, notes, a stray cell; null for the rest."""
    n = data.num_rows
    stray = pa.repeat(pa.scalar(False), n)  # one cell, outside the name columns, not a bare number
    for i in range(data.num_columns):
        if i not in name_cols:
            text = pc.fill_null(pc.invert(pc.match_substring_regex(data.column(i), r"^\d+$")), False)
            stray = pc.or_(stray, pc.and_(text, pc.is_valid(data.column(i))))
    stray = pc.and_(one_cell, stray)
    kinds = [
        (pc.and_(not_person, _matches(data, _TOTAL)), "total_line"),
        (pc.and_(not_person, _matches(data, _SIGNATURE)), "signature_line"),
        (pc.and_(one_cell, _matches(data, _PARENTHESISED)), "signature_line"),
        (pc.and_(not_person, _matches(data, _NOTE)), "note_line"),
        (pc.and_(not_person, stray), "note_line"),
    ]
    out = pa.nulls(n, pa.string())
    for mask, kind in reversed(kinds):  # the first kind listed wins
        out = pc.if_else(mask, pa.scalar(kind), out)
    return out
