"""SQL builders for the standardise stage: lookups joined back to raw rows, validation, accepted rows."""

from dataclasses import dataclass

from schemas.contracts import FIELDS, std_contract
from transforms.citizen_id import PLAIN_CID_COLUMN, plain_cid_sql, plain_cid_status_sql


@dataclass(frozen=True)
class Lookup:
    """A Python transform applied per distinct input, stored as lkp_<dataset>_<name>.

    ``inputs`` are SQL expressions over the row relation ``n``: raw_<dataset>, or for a later step the
    rows with earlier steps' results joined (``over``, a SELECT with {dataset} in it).
    """

    name: str
    inputs: dict[str, str]  # input column -> SQL expression over the row relation n
    outputs: tuple[tuple[str, str], ...]  # (column, DuckDB type)
    over: str = "select * from raw_{dataset}"

    def table(self, dataset: str) -> str:
        return f"lkp_{dataset}_{self.name}"

    def source_sql(self, dataset: str) -> str:
        cols = ", ".join(f'{expr} as "{col}"' for col, expr in self.inputs.items())
        return f"select {cols} from ({self.over.replace('{dataset}', dataset)}) n"

    def join_sql(self, dataset: str, alias: str) -> str:
        """Left join onto the row relation n: every row finds its lookup row, nulls included."""
        on = " and ".join(f'{alias}."in_{col}" is not distinct from ({expr})' for col, expr in self.inputs.items())
        return f"left join {self.table(dataset)} {alias} on {on}"


# Names in five steps (transforms/names.py), each per distinct value of its own columns, so a roster of a
# million people costs about one Python call per distinct first name, last name and title, not per person.
def with_plain_cid(relation: str) -> str:
    """The relation's rows with the 13 digits of an ID written plainly (plain_cid_sql), worked out once a row."""
    return f"select *, {plain_cid_sql('citizen_id')} as {PLAIN_CID_COLUMN} from {relation}"


# Name cells are read up to this many characters: no name is longer, and the phonetic keys of a 1 MB pasted
# cell would take minutes (a hostile file must not stall a run).
MAX_NAME_CHARS = 200


def _capped(col: str) -> str:
    return f"left({col}, {MAX_NAME_CHARS})"


_NAME_RULE = Lookup("name_rule", {"title": _capped("n.title")}, (("glued", "VARCHAR"),))
_NAME_LAST = Lookup("name_last", {"last": _capped("n.last_name")}, (("last_clean", "VARCHAR"),))


def name_rows_sql(dataset: str) -> str:
    """nmr_<dataset>: per raw row (by rowid), the title rule and the cleaned last-name column beside the first- and
    full-name cells the next steps read (capped).

    Made once after the name_last step: the name_first and name_full steps and nam_<dataset> read it instead of
    joining the first two steps' lookups to every raw row again (three times before). A temporary table, dropped
    once nam_<dataset> is made.
    """
    return f"""create or replace temp table nmr_{dataset} as
    select n.rowid as _n_rowid, n.title, t.glued as _n_glued, l.last_clean as _n_last_col,
        {_capped("n.first_name")} as _n_first_in, {_capped("n.full_name")} as _n_full_in
    from raw_{dataset} n
    {_NAME_RULE.join_sql(dataset, "t")} {_NAME_LAST.join_sql(dataset, "l")}"""


_NAME_FIRST = Lookup(
    "name_first", {"glued": "n._n_glued", "first": "n._n_first_in", "last_blank": "n._n_last_col is null"},
    (("first_present", "BOOLEAN"), ("found_titles", "VARCHAR"), ("found_sex", "VARCHAR"),
     ("first_part", "VARCHAR"), ("last_part", "VARCHAR")),
    "select * from nmr_{dataset}",
)


def _name_rows_2() -> str:
    # Rows with neither a first nor a last name read the full-name column; the rest look up a null there.
    return f"""select n.*, f.first_present or n._n_last_col is not null as _n_by_columns,
        f.found_titles as _n_f_titles, f.found_sex as _n_f_sex, f.first_part as _n_f_first,
        coalesce(n._n_last_col, f.last_part) as _n_f_last,
        case when not (f.first_present or n._n_last_col is not null) then n._n_full_in end as _n_full
    from nmr_{{dataset}} n {_NAME_FIRST.join_sql("{dataset}", "f")}"""


_NAME_FULL = Lookup(
    "name_full", {"glued": "n._n_glued", "full": "n._n_full"},
    (("found_titles", "VARCHAR"), ("found_sex", "VARCHAR"), ("first_part", "VARCHAR"), ("last_part", "VARCHAR")),
    _name_rows_2(),
)


def _name_rows_3() -> str:
    pick = {"titles": ("_n_f_titles", "found_titles"), "sex": ("_n_f_sex", "found_sex"),
            "first": ("_n_f_first", "first_part"), "last": ("_n_f_last", "last_part")}
    cols = ", ".join(f"case when n._n_by_columns then n.{a} else u.{b} end as _n_{k}" for k, (a, b) in pick.items())
    return f"select n.*, {cols} from ({_name_rows_2()}) n {_NAME_FULL.join_sql('{dataset}', 'u')}"


def name_parts_sql(dataset: str) -> str:
    """nam_<dataset>: per raw row (by rowid), the title column and the titles, sex and name parts found so far.

    Made once after the name_full step, so the last two steps and the staged rows read it instead of
    joining the first three steps' lookups to every row again. Dropped when stg_<dataset> is made, so a
    temporary table: kept in memory, not compressed into the warehouse file (0.3 s at a million rows).
    """
    return f"""create or replace temp table nam_{dataset} as
    select n._n_rowid, n.title, n._n_titles, n._n_sex, n._n_first, n._n_last
    from ({_name_rows_3().format(dataset=dataset)}) n"""


_NAMED = "select * from nam_{dataset}"
_PART_OUT = (("name", "VARCHAR"), ("lk82", "VARCHAR"), ("udom83", "VARCHAR"), ("metasound", "VARCHAR"),
             ("roman", "VARCHAR"), ("rkey", "VARCHAR"))
_NAME_PART = Lookup(
    "name_part", {"part": "n.part"}, _PART_OUT,
    "select _n_first as part from nam_{dataset} union all select _n_last from nam_{dataset}",
)
_NAME_TITLE = Lookup(
    "name_title", {"title": _capped("n.title"), "found_titles": "n._n_titles", "found_sex": "n._n_sex"},
    (("title", "VARCHAR"), ("sex", "VARCHAR")), _NAMED,
)
NAME_LOOKUPS = (_NAME_RULE, _NAME_LAST, _NAME_FIRST, _NAME_FULL, _NAME_PART, _NAME_TITLE)
NAME_ROWS_AFTER = _NAME_LAST.name  # name_rows_sql runs after this step, before name_first
NAME_PARTS_AFTER = _NAME_FULL.name  # name_parts_sql runs after this step, before name_part


def names_sql(dataset: str) -> str:
    """Every raw row with its name columns (the columns of parse_name), from nam_<dataset> and the lookups."""
    return f"""select n.*, nt.title as _n_title_out, nt.sex as _n_sex_out,
        fp.name as _n_first_name, lp.name as _n_last_name,
        fp.lk82 as first_lk82, fp.udom83 as first_udom83, fp.metasound as first_metasound,
        lp.lk82 as last_lk82, lp.udom83 as last_udom83, lp.metasound as last_metasound,
        fp.roman as first_roman, lp.roman as last_roman, fp.rkey as first_rkey, lp.rkey as last_rkey,
        {_NAME_STATUS} as name_status
    from ({_named_rows(dataset)}) n
    {_part_joins(dataset)} {_NAME_TITLE.join_sql(dataset, "nt")}"""


# A row is named when its first or its last name part is left with text once cleaned.
_NAME_STATUS = "case when fp.name is not null or lp.name is not null then 'ok' else 'no_name' end"


def _named_rows(dataset: str) -> str:
    return f"""select r.*, m._n_rowid, m._n_titles, m._n_sex, m._n_first, m._n_last
        from raw_{dataset} r join nam_{dataset} m on m._n_rowid = r.rowid"""


def _part_joins(dataset: str) -> str:
    fp = Lookup("name_part", {"part": "n._n_first"}, _PART_OUT).join_sql(dataset, "fp")
    lp = Lookup("name_part", {"part": "n._n_last"}, _PART_OUT).join_sql(dataset, "lp")
    return f"{fp} {lp}"


SEX_SQL = """case
    when {col} is null then null
    when lower(trim({col})) in ('m', 'male', 'ชาย', 'ช', 'ช.', '1') then 'M'
    when lower(trim({col})) in ('f', 'female', 'หญิง', 'ญ', 'ญ.', '2') then 'F'
end"""

# '1' and '0', nearly every flag cell, are read before the lower(trim()) (0.78 s -> 0.2 s of CPU over 1.1 M rows).
FLAG_SQL = """case
    when {col} is null then null
    when {col} = '1' then true
    when {col} = '0' then false
    when lower(trim({col})) in ('1', '1.0', 'y', 'yes', 'true', 't', 'ใช่', 'มี', 'จน', 'x', '/', '✓') then true
    when lower(trim({col})) in ('0', '0.0', 'n', 'no', 'false', 'f', 'ไม่ใช่', 'ไม่มี', 'ไม่จน', '-') then false
end"""

POVERTY_FLAGS = ("welfare_card", "dim_health", "dim_living", "dim_education", "dim_income", "dim_access")


def _all_null(dataset: str) -> str:
    return " and ".join(f'n."{c}" is null' for c in FIELDS[dataset])


# A birth year before 1900 CE or after the year the file was written is flagged and nulled, never used.
_PLAUSIBLE = "case when {v} between 2443 and coalesce(n.as_of_year, 2700) then {v} end"


def _reject_sql(dataset: str) -> str:
    """The reject reason of a row n (raw columns and name_status), null when accepted; the first that applies."""
    flag_check = " or ".join(
        f"(n.{f} is not null and {FLAG_SQL.format(col=f'n.{f}')} is null)" for f in POVERTY_FLAGS
    ) if dataset == "poverty" else "false"
    return f"""case
            when n.line_kind is not null then n.line_kind
            when {_all_null(dataset)} then 'blank_row'
            when n.name_status = 'no_name' then 'no_name'
            when {flag_check} then 'bad_flag'
        end"""


def record_order_sql(dataset: str) -> str:
    """ord_<dataset>: per raw row (rowid), its place in file-then-row order (_pos) and, when accepted, its record_id
    (the accepted rows numbered in that order).

    Worked out on the few columns a reject reason reads, so staged_sql joins it by rowid instead of numbering
    its wide rows: numbering those took a materialised copy of them, a window and a join back on two text keys
    (the statement's peak at 400,000 households: 1.93 GB that way, 1.34 GB this way; the same CPU).
    A temporary table (memory, not the warehouse file), dropped once stg_<dataset> is made.
    """
    return f"""
create or replace temp table ord_{dataset} as
with keyed as (
    select n._n_rowid, n.source_file, n.source_row, ({_reject_sql(dataset)}) is null as accepted
    from (
        select n.*, {_NAME_STATUS} as name_status
        from ({_named_rows(dataset)}) n
        {_part_joins(dataset)}
    ) n
),
final as (
    select _n_rowid, row_number() over (order by source_file, source_row) as _pos,
        case when accepted then row_number() over (partition by accepted order by source_file, source_row)
        end as record_id
    from keyed
)
select * from final
"""


def staged_sql(dataset: str, lookups: dict[str, Lookup]) -> str:
    """stg_<dataset>: every raw row with its standardised values and a reject_reason (null when accepted).

    Names come from names_sql; lookups "cid" (IDs not written plainly: plain_cid_sql), "date", "address" (the
    area, per distinct area text), "house_no" and "village_no" (per distinct value of their own column,
    winning over the free-text address's) are joined here. The reasons, first that applies: blank_row,
    the line's kind when ingest found it is no person (repeated_header, total_line, signature_line,
    note_line, above_header), no_name, bad_flag. A date that cannot be read (or a birth year before 1900 or
    after the file's year) is nulled and flagged in birth_date_status, never a reason to drop a person.
    Reads ord_<dataset> (record_order_sql) for the record_id and the row order.
    """
    c, d, a, h, v, g = (lookups[k] for k in ("cid", "date", "address", "house_no", "village_no", "age"))
    extra = ""
    if dataset == "poverty":
        extra = ",\n        ".join(
            [f"{FLAG_SQL.format(col=f'n.{f}')} as {f}" for f in POVERTY_FLAGS]
            + ["try_cast(n.survey_year as integer) as survey_year", "n.house_code"]
        ) + ","
    fund = "coalesce(n.fund_name, n.fund, regexp_replace(n.source_file, '\\.[^.]*$', ''))"
    key = fund if dataset == "roster" else "n.house_code"
    plain = f"n.{PLAIN_CID_COLUMN}"
    return f"""
create or replace table stg_{dataset} as
with named as (
    {names_sql(dataset)}
),
final as (
    select
        n.source_file, n.source_sha256, n.source_row, n.source_sheet, n.source_line,
        {key} as dataset_key,
        n._n_title_out as title, coalesce({SEX_SQL.format(col='n.sex')}, n._n_sex_out) as sex,
        n._n_first_name as first_name, n._n_last_name as last_name,
        n.first_lk82, n.first_udom83, n.first_metasound, n.last_lk82, n.last_udom83, n.last_metasound,
        n.first_roman, n.last_roman, n.first_rkey, n.last_rkey,
        coalesce({plain}, c.cid) as cid,
        case when {plain} is not null then {plain_cid_status_sql(plain)} else c.cid_status end as cid_status,
        {_PLAUSIBLE.format(v="d.birth_year_be")} as birth_year_be,
        coalesce({_PLAUSIBLE.format(v="d.birth_year_be")}, g.birth_year_min) as birth_year_min,
        coalesce({_PLAUSIBLE.format(v="d.birth_year_be")}, g.birth_year_max) as birth_year_max,
        case when {_PLAUSIBLE.format(v="d.birth_year_be")} is not null then d.date end as birth_date,
        case when d.birth_year_be is not null and {_PLAUSIBLE.format(v="d.birth_year_be")} is null
             then 'implausible' else d.date_status end as birth_date_status,
        g.age, g.age_status,
        coalesce(h.house_no, a.house_no) as house_no,
        coalesce(nullif(v.village_no, ''), a.village_no) as village_no,
        a.subdistrict_code, a.district_code, a.province_code,
        a.address_status, a.address_confidence, a.address_candidates, a.address_note,
        {extra}
        {_reject_sql(dataset)} as reject_reason,
        k.record_id, k._pos
    from ({with_plain_cid("named")}) n
    join ord_{dataset} k on k._n_rowid = n._n_rowid
    {c.join_sql(dataset, 'c')}
    {d.join_sql(dataset, 'd')}
    {a.join_sql(dataset, 'a')}
    {h.join_sql(dataset, 'h')}
    {v.join_sql(dataset, 'v')}
    {g.join_sql(dataset, 'g')}
)
select * exclude (_pos) from final order by _pos
"""


def accepted_sql(dataset: str) -> str:
    """std_<dataset>: accepted rows only, with a record_id in file-then-row order.

    A view over stg_<dataset>, which already holds every column and the record_id: a second copy of a
    million wide rows costs seconds to write and nothing to read this way. stg is stored in record_id order.
    """
    names = [c.name for c in std_contract(dataset).columns if c.name != "record_id"]
    extra = ""
    if dataset == "poverty":
        extra = ", " + ", ".join([*POVERTY_FLAGS, "survey_year", "house_code"])
    cols = ", ".join(names)
    return f"""
create or replace view std_{dataset} as
select record_id, {cols}{extra}, birth_date, address_confidence, address_candidates, address_note
from stg_{dataset}
where reject_reason is null
"""


def quarantine_insert_sql(dataset: str) -> str:
    """Rows with a reject_reason, with their raw cells as JSON, into the quarantine table."""
    pack = ", ".join(f"{c} := r.{c}" for c in FIELDS[dataset])
    return f"""
insert into quarantine
select '{dataset}' as dataset, s.source_file, s.source_row, s.source_sheet, s.source_line,
    s.reject_reason as reason,
    cast(to_json(struct_pack({pack})) as varchar) as raw_values
from stg_{dataset} s
join raw_{dataset} r using (source_file, source_row)
where s.reject_reason is not null
order by s.source_file, s.source_row
"""


ADDRESS_FIELDS = (
    "address", "house_no", "village_no", "village_name", "subdistrict_code", "subdistrict", "district", "province",
    "postal_code",
)


def address_review_sql() -> str:
    """address_review: accepted rows whose address is ambiguous or unresolved, with what was written, for analysts.

    Restricted like quarantine (it holds addresses as written); counts are in the manifest's address_status.
    """
    parts = []
    for dataset in ("roster", "poverty"):
        pack = ", ".join(f"{c} := r.{c}" for c in ADDRESS_FIELDS if c in FIELDS[dataset])
        parts.append(f"""
    select '{dataset}' as dataset, s.source_file, s.source_row, s.address_status, s.address_confidence,
        s.address_candidates, s.address_note, cast(to_json(struct_pack({pack})) as varchar) as address_as_written
    from std_{dataset} s
    join raw_{dataset} r using (source_file, source_row)
    where s.address_status <> 'resolved'""")
    union = "\n    union all".join(parts)
    return f"""
create or replace table address_review as
with final as ({union}
)
select * from final order by dataset, source_file, source_row
"""


# A file whose resolved rows lie at least this much in one area lends that area to its other rows: a fund roster
# of one subdistrict often writes only "ต.บ้านยาง" or only the village, as a clerk of that fund would.
CONTEXT_SHARE = 0.8
CONTEXT_MIN_ROWS = 5


def file_context_sql(dataset: str) -> str:
    """ctx_<dataset>_file: per source file, the subdistrict, district and province most of its resolved rows share,
    else the area its title lines or fund name give (ตำบล… อำเภอ… จังหวัด…, read at ingest)."""
    levels = {"subdistrict": "subdistrict_code", "district": "district_code", "province": "province_code"}
    ranked = ",\n".join(
        f"""by_{level} as (
    select source_file, {col} as code, count(*) as rows_in,
        row_number() over (partition by source_file order by count(*) desc, {col}) as rank
    from resolved group by source_file, {col}
)""" for level, col in levels.items()
    )
    pick = ",\n        ".join(
        f"case when {level[0]}.rows_in >= {CONTEXT_SHARE} * t.rows_resolved then {level[0]}.code end as ctx_{level}"
        for level in levels
    )
    joins = "\n    ".join(
        f"left join by_{level} {level[0]} on {level[0]}.source_file = t.source_file and {level[0]}.rank = 1"
        for level in levels
    )
    return f"""
create or replace table ctx_{dataset}_file as
with resolved as (
    select source_file, subdistrict_code, district_code, province_code
    from stg_{dataset} where address_status = 'resolved'
),
totals as (
    select source_file, count(*) as rows_resolved from resolved group by all
),
{ranked},
from_rows as (
    select t.source_file,
        {pick}
    from totals t
    {joins}
    where t.rows_resolved >= {CONTEXT_MIN_ROWS}
),
from_titles as (
    select source_file, any_value(file_subdistrict_code) as ctx_subdistrict,
        any_value(file_district_code) as ctx_district, any_value(file_province_code) as ctx_province
    from raw_{dataset} group by source_file
),
final as (
    select source_file,
        case when r.source_file is not null then r.ctx_subdistrict else t.ctx_subdistrict end as ctx_subdistrict,
        case when r.source_file is not null then r.ctx_district else t.ctx_district end as ctx_district,
        case when r.source_file is not null then r.ctx_province else t.ctx_province end as ctx_province
    from from_titles t full join from_rows r using (source_file)
)
select * from final where ctx_province is not null order by source_file
"""


def context_rows_sql(dataset: str) -> str:
    """Rows with some area written that did not resolve, in files that have a context, with that context beside them.

    A village number counts as an area written (a subdistrict fund's roster often gives only บ้านเลขที่ and
    หมู่ที่: the subdistrict is the fund's). A row with no area at all, or a house number alone, is left alone:
    a member's home is not guessed from the fund's.
    """
    written = [f for f in ("address", "subdistrict", "district", "province", "postal_code", "subdistrict_code",
                           "village_no") if f in FIELDS[dataset]]
    return f"""select n.*, c.ctx_subdistrict, c.ctx_district, c.ctx_province
    from raw_{dataset} n
    join stg_{dataset} s using (source_file, source_row)
    join ctx_{dataset}_file c using (source_file)
    where s.address_status <> 'resolved' and coalesce({', '.join(f'n.{f}' for f in written)}) is not null"""


def apply_context_sql(dataset: str, lookup: Lookup) -> str:
    """Take the context's answer for rows it resolves; leave the others as the first pass left them."""
    rows = context_rows_sql(dataset)
    return f"""
update stg_{dataset} s
set subdistrict_code = x.subdistrict_code, district_code = x.district_code, province_code = x.province_code,
    address_status = x.address_status, address_confidence = x.address_confidence,
    address_candidates = x.address_candidates,
    address_note = concat_ws('; ', x.address_note, 'area from the file''s other rows')
from (
    select n.source_file, n.source_row, x.*
    from ({rows}) n
    {lookup.join_sql(dataset, 'x')}
) x
where s.source_file = x.source_file and s.source_row = x.source_row and x.address_status = 'resolved'
"""
