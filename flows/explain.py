"""Why one roster row linked, or did not: its link or best candidates, each comparison's weight in words, vetoes.

Reads a run's warehouse (read-only): `links`, `review`, `int_splink_pairs` (Splink's levels and match weights per
pair), `int_link_vetoed` and `int_link_model`. Words, not codes: "first name: exact (+8.3 bits)", "ID: missing on
the roster side (0)". A weight is log2 of how much likelier the level is among true pairs than among others; the
prior and the levels' weights add up to the pair's match weight, which gives its probability.

Names and IDs are left out unless asked for (`show_names`): the warehouse is restricted, what is printed is not.
"""

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from transforms.linkage import comparisons

__all__ = ["FIELD_WORDS", "RowNotFound", "explain_lines", "find_record", "level_words"]

FIELD_WORDS = {
    "first_name": "first name", "last_name": "last name", "birth_year_be": "birth year", "cid": "ID",
    "subdistrict_code": "area", "village_no": "village (หมู่)", "house_no": "house number", "sex": "sex",
}
# The column whose absence makes a comparison's null level (birth years compare on their ranges).
_NULL_COLUMN = {"birth_year_be": "coalesce(birth_year_min, birth_year_be)",
                "cid": "case when length(cid) = 13 then cid end"}
_CANDIDATES = 3


class RowNotFound(Exception):
    """No roster row, or more than one, answers to what was asked; the message says which, without content."""


def _levels(field: str) -> dict[int, str]:
    """gamma value -> the level's label, as Splink numbers them (the last non-null level is 0)."""
    comparison = next(c for c in comparisons() if c["output_column_name"] == field)
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    return {len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)}


def level_words(field: str, gamma: int | None, weight: float | None, missing_side: str | None = None,
                tf_weight: float = 0.0) -> str:
    """One comparison in words: its field, level and weight in bits.

    Examples:
        >>> level_words("first_name", 5, 8.24)
        'first name: exact (+8.2 bits)'
        >>> level_words("birth_year_be", 2, 2.14)
        'birth year: within 1 year (+2.1 bits)'
        >>> level_words("cid", -1, 0.0, missing_side="roster")
        'ID: missing on the roster side (0)'
    """
    name = FIELD_WORDS.get(field, field)
    if gamma is None:
        return f"{name}: not compared (the model could not train it)"
    if gamma == -1:
        side = {"roster": "on the roster side", "poverty": "on the poverty side", "both": "on both sides"}
        return f"{name}: missing {side.get(missing_side or '', '')}".rstrip() + " (0)"
    label = _levels(field).get(gamma, f"level {gamma}")
    total = (weight or 0.0) + (tf_weight or 0.0)
    common = f", of which {tf_weight:+.1f} for how common the name is" if tf_weight and abs(tf_weight) >= 0.05 else ""
    return f"{name}: {label} ({total:+.1f} bits{common})"


@dataclass
class Record:
    record_id: int
    file: str
    row: int
    sheet: str | None
    line: int | None


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where table_name = ? "
                            "and database_name = current_database()", [table]).fetchall()[0][0])


def find_record(con: duckdb.DuckDBPyConnection, file: str, row: int | None = None, line: int | None = None,
                sheet: str | None = None) -> Record:
    """The roster record at `file` and `row` (roster_row in links) or at the sheet's `line`.

    `file` is the file's name as links.parquet has it; a path is cut to its name.
    """
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    where = "roster_file = $file"
    params: dict[str, Any] = {"file": name}
    if row is not None:
        where += " and roster_row = $row"
        params["row"] = row
    else:
        where += " and roster_line = $line" + (" and roster_sheet = $sheet" if sheet is not None else "")
        params |= {"line": line} | ({"sheet": sheet} if sheet is not None else {})
    found = con.execute(f"select roster_record_id, roster_file, roster_row, roster_sheet, roster_line from links "
                        f"where {where} order by roster_sheet, roster_row", params).fetchall()
    if not found:
        known = con.execute("select count(*) from links where roster_file = ?", [name]).fetchall()[0][0]
        what = f"row {row}" if row is not None else f"line {line}" + (f" of sheet {sheet!r}" if sheet else "")
        raise RowNotFound(f"no accepted roster row at {what} of {name!r}" if known else
                          f"no roster file named {name!r} in this run's links")
    if len(found) > 1:
        sheets = ", ".join(repr(f[3]) for f in found)
        raise RowNotFound(f"line {line} of {name!r} is on several sheets ({sheets}): say which with --sheet")
    return Record(*found[0])


def _missing_side(con: duckdb.DuckDBPyConnection, field: str, roster_id: int, poverty_id: int) -> str:
    col = _NULL_COLUMN.get(field, field)
    r, p = con.execute(f"select (select {col} from std_roster where record_id = $r) is null, "
                       f"(select {col} from std_poverty where record_id = $p) is null",
                       {"r": roster_id, "p": poverty_id}).fetchall()[0]
    return "both" if r and p else "roster" if r else "poverty" if p else ""


def _pair_lines(con: duckdb.DuckDBPyConnection, roster_id: int, poverty_id: int, indent: str) -> list[str]:
    """Each comparison's level and weight in words, the prior, and the pair's probability (from int_splink_pairs)."""
    if not _has(con, "int_splink_pairs"):
        return [f"{indent}(no Splink pairs kept in this warehouse)"]
    fields = [c["output_column_name"] for c in comparisons()]
    present = {r[0] for r in con.execute("describe int_splink_pairs").fetchall()}
    cols = [f"gamma_{f}" if f"gamma_{f}" in present else "null" for f in fields]
    cols += [f"mw_{f}" if f"mw_{f}" in present else "null" for f in fields]
    cols += [f"coalesce(mw_tf_adj_{f}, 0)" if f"mw_tf_adj_{f}" in present else "0" for f in fields]
    pair = con.execute(f"select match_probability, match_weight, {', '.join(cols)} from int_splink_pairs "
                       "where roster_id = ? and poverty_id = ?", [roster_id, poverty_id]).fetchall()
    if not pair:
        return [f"{indent}(not scored by Splink: found by the ID tiers only)"]
    probability, weight, *rest = pair[0]
    n = len(fields)
    gammas, weights, tfs = rest[:n], rest[n:2 * n], rest[2 * n:]
    lines = []
    for field, gamma, w, tf in zip(fields, gammas, weights, tfs, strict=True):
        side = _missing_side(con, field, roster_id, poverty_id) if gamma == -1 else None
        lines.append(indent + level_words(field, gamma, w, side, tf))
    prior = (weight or 0.0) - sum((w or 0.0) + tf for w, tf in zip(weights, tfs, strict=True))
    lines.append(f"{indent}prior (two records taken at random): {prior:+.1f} bits")
    lines.append(f"{indent}match weight {weight:+.1f} bits: probability {_probability(probability)}")
    return lines


def _probability(p: float) -> str:
    """0.9731, or 3.2e-12 for a probability too small for four decimals."""
    return f"{p:.4f}" if p >= 1e-4 or p == 0 else f"{p:.1e}"


def _person(con: duckdb.DuckDBPyConnection, dataset: str, record_id: int) -> str:
    row = con.execute(f"select title, first_name, last_name, cid, birth_year_be from std_{dataset} "
                      "where record_id = ?", [record_id]).fetchall()
    if not row:
        return ""
    title, first, last, cid, year = row[0]
    return " ".join(str(x) for x in (title, first, last, f"ID {cid}" if cid else "no ID",
                                       f"born {year}" if year else "") if x)


def _candidates(con: duckdb.DuckDBPyConnection, roster_id: int, limit: int) -> list[tuple[Any, ...]]:
    """(poverty_id, file, row, probability, vetoes, review_reason): review pairs, vetoed pairs and Splink's best."""
    parts = []
    if _has(con, "int_splink_pairs"):
        parts.append("select poverty_id, match_probability, vetoes from int_splink_pairs where roster_id = $r")
    if _has(con, "int_link_vetoed"):
        parts.append("select poverty_id, match_probability, vetoes from int_link_vetoed where roster_id = $r")
    if not parts:
        return []
    return con.execute(f"""
with pairs as ({' union all '.join(parts)}),
best as (
    select poverty_id, max(match_probability) as probability,
        list_distinct(flatten(list(coalesce(vetoes, [])))) as vetoes
    from pairs group by poverty_id
),
final as (
    select b.poverty_id, p.source_file, p.source_row, b.probability, list_sort(b.vetoes) as vetoes,
        (select min(review_reason) from review q where q.roster_record_id = $r and q.poverty_record_id = b.poverty_id)
            as review_reason
    from best b join std_poverty p on p.record_id = b.poverty_id
)
select * from final order by review_reason is null, probability desc nulls last, poverty_id limit {int(limit)}
""", {"r": roster_id}).fetchall()


def _model_line(con: duckdb.DuckDBPyConnection, roster_id: int) -> str | None:
    if not _has(con, "int_link_model"):
        return None
    rows = con.execute("select partition, status, sha256 from int_link_model order by partition").fetchall()
    if len(rows) > 1 and _has(con, "int_link_partition"):
        part = con.execute("select part from int_link_partition where dataset = 'roster' and record_id = ?",
                           [roster_id]).fetchall()
        rows = [r for r in rows if part and r[0] == part[0][0]] or rows
    partition, status, sha = rows[0]
    return f"model ({partition}): {status}" + (f", sha256 {sha[:12]}…" if sha else "")


def explain_lines(con: duckdb.DuckDBPyConnection, record: Record, show_names: bool = False,
                  candidates: int = _CANDIDATES) -> list[str]:
    """The explanation of one roster record, line by line, as `saphan explain` prints it."""
    link = con.execute("select match_method, match_score, poverty_record_id, poverty_file, poverty_row, explanation,"
                       " roster_duplicate from links where roster_record_id = ?", [record.record_id]).fetchall()[0]
    method, score, poverty_id, poverty_file, poverty_row, explanation, duplicate = link
    detail = json.loads(explanation) if explanation else {}
    where = f"{record.file} row {record.row}" + (f" (sheet {record.sheet!r}, line {record.line})" if record.sheet
                                                    else f" (line {record.line})" if record.line else "")
    lines = [f"roster {where}" + (f": {_person(con, 'roster', record.record_id)}" if show_names else "")]
    if model := _model_line(con, record.record_id):
        lines.append(model)
    if poverty_id is not None:
        lines.append(f"linked by {method} to {poverty_file} row {poverty_row}"
                     + (f": {_person(con, 'poverty', poverty_id)}" if show_names else ""))
        if detail.get("rule"):
            lines.append(f"  rule: {detail['rule']}")
        if method == "probabilistic":
            lines += _pair_lines(con, record.record_id, poverty_id, "  ")
        else:
            fields = detail.get("fields") or {}
            lines += [f"  {FIELD_WORDS.get(f, f)}: {v}" for f, v in fields.items()]
            lines.append(f"  final probability {float(score if score is not None else 1.0):.4f} (rule-based link)")
        if duplicate:
            lines.append("  note: the poverty person is linked from more than one roster row")
        lines += [f"  note: {n}" for n in detail.get("notes") or []]
        return lines
    lines.append("not linked" + ("; in the review queue" if "in review queue" in (detail.get("notes") or []) else ""))
    found = _candidates(con, record.record_id, candidates)
    if not found:
        lines.append("  no candidate pair was found (no blocking rule paired this row with a poverty record)")
    for i, (pid, pfile, prow, probability, vetoes, reason) in enumerate(found, 1):
        p = f"probability {_probability(probability)}" if probability is not None else "found by the ID-typo tier"
        lines.append(f"candidate {i}: {pfile} row {prow}, {p}"
                     + (f": {_person(con, 'poverty', pid)}" if show_names else ""))
        lines += _pair_lines(con, record.record_id, pid, "  ")
        lines.append("  vetoes: " + ("; ".join(vetoes) if vetoes else "none"))
        if reason:
            lines.append(f"  in review: {reason}")
    return lines
