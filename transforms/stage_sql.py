"""SQL builders for the standardise stage: lookups joined back to raw rows, validation, accepted rows."""

from dataclasses import dataclass

from schemas.contracts import FIELDS, std_contract


@dataclass(frozen=True)
class Lookup:
    """A Python transform applied per distinct input, stored as lkp_<dataset>_<name>."""

    name: str
    inputs: dict[str, str]  # input column -> SQL expression over raw_<dataset>
    outputs: tuple[tuple[str, str], ...]  # (column, DuckDB type)

    def table(self, dataset: str) -> str:
        return f"lkp_{dataset}_{self.name}"

    def source_sql(self, dataset: str) -> str:
        cols = ", ".join(f'{expr} as "{col}"' for col, expr in self.inputs.items())
        return f"select {cols} from raw_{dataset}"

    def key_columns_sql(self) -> str:
        """The lookup's inputs computed on the raw row, named <lookup>__<input> for the join."""
        return ", ".join(f'{expr} as "{self.name}__{col}"' for col, expr in self.inputs.items())

    def join_sql(self, dataset: str, alias: str) -> str:
        on = " and ".join(
            f'r."{self.name}__{col}" is not distinct from {alias}."in_{col}"' for col in self.inputs
        )
        return f"left join {self.table(dataset)} {alias} on {on}"


SEX_SQL = """case
    when {col} is null then null
    when lower(trim({col})) in ('m', 'male', 'ชาย', 'ช', 'ช.', '1') then 'M'
    when lower(trim({col})) in ('f', 'female', 'หญิง', 'ญ', 'ญ.', '2') then 'F'
end"""

FLAG_SQL = """case
    when {col} is null then null
    when lower(trim({col})) in ('1', '1.0', 'y', 'yes', 'true', 't', 'ใช่', 'มี', 'จน', 'x', '/', '✓') then true
    when lower(trim({col})) in ('0', '0.0', 'n', 'no', 'false', 'f', 'ไม่ใช่', 'ไม่มี', 'ไม่จน', '-') then false
end"""

POVERTY_FLAGS = ("welfare_card", "dim_health", "dim_living", "dim_education", "dim_income", "dim_access")


def _all_null(dataset: str) -> str:
    return " and ".join(f'r."{c}" is null' for c in FIELDS[dataset])


def staged_sql(dataset: str, lookups: dict[str, Lookup]) -> str:
    """stg_<dataset>: every raw row with its standardised values and a reject_reason (null when accepted).

    The reasons, first that applies: blank_row, no_name, impossible_date, bad_flag.
    """
    n, c, d, a = (lookups[k] for k in ("name", "cid", "date", "address"))
    extra = ""
    flag_check = "false"
    if dataset == "poverty":
        extra = ",\n        ".join(
            [f"{FLAG_SQL.format(col=f'r.{f}')} as {f}" for f in POVERTY_FLAGS]
            + ["try_cast(r.survey_year as integer) as survey_year", "r.house_code"]
        ) + ","
        flag_check = " or ".join(
            f"(r.{f} is not null and {FLAG_SQL.format(col=f'r.{f}')} is null)" for f in POVERTY_FLAGS
        )
    fund = "coalesce(r.fund_name, regexp_replace(r.source_file, '\\.[^.]*$', ''))"
    key = fund if dataset == "roster" else "r.house_code"
    return f"""
create or replace table stg_{dataset} as
with raw as (
    select *, {n.key_columns_sql()}, {c.key_columns_sql()}, {d.key_columns_sql()}, {a.key_columns_sql()}
    from raw_{dataset}
),
final as (
    select
        r.source_file, r.source_sha256, r.source_row,
        {key} as dataset_key,
        n.title, coalesce({SEX_SQL.format(col='r.sex')}, n.sex) as sex,
        n.first_name, n.last_name,
        n.first_lk82, n.first_udom83, n.first_metasound, n.last_lk82, n.last_udom83, n.last_metasound,
        n.first_roman, n.last_roman,
        c.cid, c.cid_status,
        d.birth_year_be, d.date as birth_date, d.date_status as birth_date_status,
        a.house_no, a.village_no, a.subdistrict_code, a.district_code, a.province_code,
        a.address_status, a.address_confidence, a.address_candidates, a.address_note,
        {extra}
        case
            when {_all_null(dataset)} then 'blank_row'
            when n.name_status = 'no_name' then 'no_name'
            when d.date_status = 'impossible' then 'impossible_date'
            when {flag_check} then 'bad_flag'
        end as reject_reason
    from raw r
    {n.join_sql(dataset, 'n')}
    {c.join_sql(dataset, 'c')}
    {d.join_sql(dataset, 'd')}
    {a.join_sql(dataset, 'a')}
)
select * from final order by source_file, source_row
"""


def accepted_sql(dataset: str) -> str:
    """std_<dataset>: accepted rows only, with a record_id in file-then-row order."""
    names = [c.name for c in std_contract(dataset).columns if c.name != "record_id"]
    extra = ""
    if dataset == "poverty":
        extra = ", " + ", ".join([*POVERTY_FLAGS, "survey_year", "house_code"])
    cols = ", ".join(names)
    return f"""
create or replace table std_{dataset} as
select row_number() over (order by source_file, source_row) as record_id, {cols}{extra},
    birth_date, address_confidence, address_candidates, address_note
from stg_{dataset}
where reject_reason is null
order by record_id
"""


def quarantine_insert_sql(dataset: str) -> str:
    """Rows with a reject_reason, with their raw cells as JSON, into the quarantine table."""
    pack = ", ".join(f"{c} := r.{c}" for c in FIELDS[dataset])
    return f"""
insert into quarantine
select '{dataset}' as dataset, s.source_file, s.source_row, s.reject_reason as reason,
    cast(to_json(struct_pack({pack})) as varchar) as raw_values
from stg_{dataset} s
join raw_{dataset} r using (source_file, source_row)
where s.reject_reason is not null
order by s.source_file, s.source_row
"""
