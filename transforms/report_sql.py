"""SQL builders for the planners' reports: mart rows with Thai values, totals first, the report's chart tables.

Values are put in Thai and made spreadsheet-safe in DuckDB, set-based, so the workbook writer only copies strings
and numbers: a province's 400,000 rows are not translated cell by cell in Python.
"""

import re
from collections.abc import Sequence

from schemas.contracts import Column, Contract
from schemas.marts import COVERAGE, FUND_SUMMARY, POOR_NOT_IN_FUND
from transforms.marts_sql import order_by_sql
from transforms.spreadsheet import DANGEROUS_PREFIXES

__all__ = [
    "LEVEL_TH", "METHOD_TH", "NO", "YES",
    "mart_numbered_sql", "mart_order_sql", "mart_rows_sql", "outreach_numbered_sql", "outreach_rows_sql", "sql_text",
    "subdistrict_chart_sql", "worst_villages_sql",
]

# The words a planner reads in place of true/false and the code values (flows/report_th.py re-exports them).
YES, NO = "ใช่", "ไม่ใช่"
METHOD_TH = {
    "exact_id": "เลขประจำตัวประชาชนตรงกัน",
    "id_typo": "เลขประจำตัวพิมพ์ผิดหนึ่งหลัก ชื่อตรงกัน",
    "clerical": "ผู้ตรวจสอบยืนยันว่าเป็นคนเดียวกัน",
    "probabilistic": "แบบจำลองความน่าจะเป็น (ชื่อ ที่อยู่ ปีเกิด)",
    "unlinked": "เชื่อมโยงไม่ได้",
}
LEVEL_TH = {"province": "จังหวัด", "district": "อำเภอ", "subdistrict": "ตำบล", "village": "หมู่บ้าน"}


def sql_text(value: str) -> str:
    """A SQL string literal.

    Examples:
        >>> sql_text("ไม่ใช่'")
        "'ไม่ใช่'''"
    """
    return "'" + value.replace("'", "''") + "'"


def _case(column: str, words: dict[str, str]) -> str:
    whens = " ".join(f"when {sql_text(k)} then {sql_text(v)}" for k, v in words.items())
    return f"case {column} {whens} else {column} end"


def _neutralised(column: str) -> str:
    # Same rule as transforms/spreadsheet.neutralised, in SQL: text starting like a formula gets a leading '.
    prefixes = " or ".join(f"starts_with({column}, {sql_text(p)})" for p in DANGEROUS_PREFIXES)
    return f"case when {prefixes} then '''' || {column} else {column} end"


def mart_order_sql(contract: Contract) -> str:
    """The row order of a mart in the reports: coverage puts each total above its parts (province first, then
    each district followed by its subdistricts, each followed by its villages); other marts keep their order.

    Examples:
        >>> mart_order_sql(COVERAGE).split(", ")[:3]
        ['province_code', 'district_code nulls first', 'subdistrict_code nulls first']
    """
    if contract.table != COVERAGE.table:
        return order_by_sql(contract)
    return ("province_code, district_code nulls first, subdistrict_code nulls first, "
            "try_cast(village_no as integer) nulls first, village_no nulls first")


def _thai_value_sql(column: Column) -> str:
    if column.type == "BOOLEAN":
        return f"case when {column.name} then {sql_text(YES)} when not {column.name} then {sql_text(NO)} end"
    if column.name == "match_method":
        return _case(column.name, METHOD_TH)
    if column.name == "level":
        return _case(column.name, LEVEL_TH)
    if column.type == "VARCHAR":
        return _neutralised(column.name)
    return column.name


def mart_rows_sql(contract: Contract, columns: Sequence[str] | None = None, limit: int | None = None) -> str:
    """A mart's rows as the workbook shows them: yes/no, link methods and area levels in Thai, text neutralised;
    all its columns, or `columns` in that order. fund_summary opens with its total (รวมทุกกองทุน), as coverage
    opens with its province.

    Examples:
        >>> "then 'ใช่'" in mart_rows_sql(COVERAGE) and "then 'จังหวัด'" in mart_rows_sql(COVERAGE)
        True
        >>> mart_rows_sql(COVERAGE, ["poor_people"])
        'select poor_people as poor_people from coverage order by province_code, district_code nulls first, \
subdistrict_code nulls first, try_cast(village_no as integer) nulls first, village_no nulls first'
    """
    by_name = {c.name: c for c in contract.columns}
    chosen = [by_name[n] for n in columns] if columns is not None else list(contract.columns)
    select = ", ".join(f"{_thai_value_sql(c)} as {c.name}" for c in chosen)
    tail = f" limit {int(limit)}" if limit is not None else ""
    rows = f"select {select} from {contract.table} order by {mart_order_sql(contract)}{tail}"
    label = _TOTAL_LABEL.get(contract.table)
    if label is None or label not in by_name:
        return rows
    total = ", ".join(_total_sql(c, label) + f" as {c.name}" for c in chosen)
    numbered = (f"select {select}, row_number() over (order by {mart_order_sql(contract)}) as _n "
                f"from {contract.table}")
    return (f"select * exclude (_n) from (select {total}, 0 as _n from {contract.table} union all {numbered}) "
            f"{f'where _n <= {int(limit)} ' if limit is not None else ''}order by _n")


def _window_order(order: str, aliases: Sequence[str], raw: Sequence[str]) -> str:
    """An ORDER BY list as a query's select binds it, rewritten for a window over that select's rows with every
    raw column also kept as ``_raw_<name>``: a bare name means the select's column of that name (the shown value:
    ใช่/ไม่ใช่ sort unlike true/false), else the raw column; a name inside an expression means the raw column.

    Examples:
        >>> _window_order("level, try_cast(village_no as integer) nulls first, village_no", ["level", "village_no"],
        ...               ["level", "village_no", "year"])
        'level, try_cast(_raw_village_no as integer) nulls first, village_no'
        >>> _window_order("year", ["level"], ["year"])
        '_raw_year'
    """
    items = []
    for item in order.split(", "):
        bare = re.fullmatch(r"(\w+)((?: nulls (?:first|last))?)", item)
        if bare:
            items.append(item if bare.group(1) in aliases else f"_raw_{item}")
        else:
            items.append(re.sub(r"\b(\w+)\b", lambda m: f"_raw_{m.group(1)}" if m.group(1) in raw else m.group(1),
                                item))
    return ", ".join(items)


def _numbered_sql(table: str, raw: Sequence[str], select: Sequence[tuple[str, str]], order: str,
                  partition: str = "", limit: int | None = None) -> str:
    """`select` ((expression, alias) pairs) from `table` with ``_n``, each row's 1-based position in the order of
    ``select ... from table order by order [limit]`` (partitioned by the select's `partition` columns)."""
    aliases = [a for _, a in select]
    shown = ", ".join(f"{e} as {a}" for e, a in select)
    kept = ", ".join(f"{c} as _raw_{c}" for c in raw)
    tail = f" order by {order} limit {int(limit)}" if limit is not None else ""  # a top-N, as the sheet shows
    window = f"partition by {partition} " if partition else ""
    return (f"select {', '.join(aliases)}, row_number() over ({window}order by "
            f"{_window_order(order, aliases, raw)}) as _n from (select {shown}, {kept} from {table}{tail})")


def mart_numbered_sql(contract: Contract, limit: int | None = None) -> str:
    """mart_rows_sql's rows (all columns), each with its 1-based position in the sheet as ``_n``, in no order:
    the workbook's fast writer numbers the cells by it (transforms/xlsx_sql.py).

    Examples:
        >>> import duckdb
        >>> con = duckdb.connect()
        >>> _ = con.execute("create table fund_summary as select * from (values (1, 'b'), (2, 'a')) t(members, fund)")
        >>> small = Contract("fund_summary", "", (Column("members", "BIGINT", ""), Column("fund", "VARCHAR", "")))
        >>> con.execute(f"select fund, members, _n from ({mart_numbered_sql(small)}) order by _n").fetchall()
        [('รวมทุกกองทุน (2 กองทุน)', 3, 1), ('b', 1, 2), ('a', 2, 3)]
    """
    by_name = {c.name: c for c in contract.columns}
    select = [(_thai_value_sql(c), c.name) for c in contract.columns]
    order = mart_order_sql(contract)
    label = _TOTAL_LABEL.get(contract.table)
    if label is None or label not in by_name:
        return _numbered_sql(contract.table, contract.names, select, order, limit=limit)
    # mart_rows_sql numbers these itself, with a window (which reads raw columns): the same window here
    numbered = f"select {', '.join(f'{e} as {a}' for e, a in select)}, row_number() over (order by {order}) as _n " \
               f"from {contract.table}"
    total = ", ".join(_total_sql(c, label) + f" as {c.name}" for c in contract.columns)
    return (f"select * exclude (_n), _n + 1 as _n from (select {total}, 0 as _n from {contract.table} "
            f"union all {numbered}){f' where _n <= {int(limit)}' if limit is not None else ''}")


# Marts whose sheet opens with a total row, and the column that names it.
_TOTAL_LABEL = {FUND_SUMMARY.table: "fund"}


def _total_sql(column: Column, label: str) -> str:
    if column.name == label:
        return "'รวมทุกกองทุน (' || count(*) || ' กองทุน)'"
    if column.type in ("INTEGER", "BIGINT"):
        return f"sum({column.name})::bigint"
    return "null::double" if column.type == "DOUBLE" else "null::varchar"


def outreach_rows_sql(columns: Sequence[str]) -> str:
    """The outreach list (poor_not_in_fund) for one sheet per subdistrict: the subdistrict's code and names
    first, then `columns` with Thai values; in district order (DOPA codes), then subdistrict, village, house."""
    by_name = {c.name: c for c in POOR_NOT_IN_FUND.columns}
    select = ", ".join(f"{_thai_value_sql(by_name[n])} as {n}" for n in columns)
    return (f"select district_code, subdistrict_code, subdistrict_name, district_name, province_name, {select} "
            f"from poor_not_in_fund order by district_code, subdistrict_code, {order_by_sql(POOR_NOT_IN_FUND)}")


def outreach_numbered_sql(columns: Sequence[str]) -> str:
    """outreach_rows_sql's rows, each with its 1-based position ``_n`` in its subdistrict's sheet, in no order."""
    by_name = {c.name: c for c in POOR_NOT_IN_FUND.columns}
    keys = ("district_code", "subdistrict_code", "subdistrict_name", "district_name", "province_name")
    select = [(k, k) for k in keys] + [(_thai_value_sql(by_name[n]), n) for n in columns]
    return _numbered_sql("poor_not_in_fund", POOR_NOT_IN_FUND.names, select,
                         f"district_code, subdistrict_code, {order_by_sql(POOR_NOT_IN_FUND)}",
                         partition="district_code, subdistrict_code")


def subdistrict_chart_sql() -> str:
    """Subdistricts for the report's chart, grouped by district (DOPA order), funded ones first by coverage
    (lowest first); one row per subdistrict with its district's counts of unfunded subdistricts and their poor."""
    return """
with subs as (
    select * from coverage where level = 'subdistrict'
),
unfunded as (
    select district_code, count(*) as unfunded_subdistricts, sum(poor_people) as unfunded_poor
    from subs where not has_fund group by district_code
),
final as (
    select s.district_code, s.district_name, s.subdistrict_code, s.subdistrict_name, s.has_fund,
        s.poor_people, s.poor_members, s.coverage_rate,
        coalesce(u.unfunded_subdistricts, 0) as unfunded_subdistricts, coalesce(u.unfunded_poor, 0) as unfunded_poor
    from subs s left join unfunded u using (district_code)
)
select * from final
order by district_code, has_fund desc, coverage_rate nulls last, poor_people - poor_members desc, subdistrict_code
"""


def worst_villages_sql(limit: int) -> str:
    """Villages of funded subdistricts with the lowest coverage; among equals, the most poor people not reached."""
    return f"""
select district_name, subdistrict_name, subdistrict_code, village_no, poor_people, poor_members,
    poor_people - poor_members as not_reached, coverage_rate, target_poor_people, target_poor_members
from coverage
where level = 'village' and has_fund and poor_people > 0
order by coverage_rate, not_reached desc, subdistrict_code, try_cast(village_no as integer), village_no
limit {int(limit)}
"""
