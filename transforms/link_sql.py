"""SQL builders for the link stage: exact citizen-ID links, their explanation, and the links table."""

COMPARED = ("cid", "first_name", "last_name", "birth_year_be", "subdistrict_code", "village_no", "house_no")


def _agreement(field: str) -> str:
    return (
        f"case when r.{field} is null or p.{field} is null then 'missing' "
        f"when r.{field} = p.{field} then 'agree' else 'disagree' end"
    )


def explanation_sql() -> str:
    """A JSON object naming, per compared field, whether the two records agree, disagree or miss it."""
    parts = ", ".join(f"'{f}', {_agreement(f)}" for f in COMPARED)
    return f"cast(json_object({parts}) as varchar)"


def exact_id_links_sql() -> str:
    """int_links: roster records whose check-digit-valid citizen ID equals a poverty record's.

    A poverty ID held by two records (a typing slip) links to the first in file order, never both.
    """
    return """
create or replace table int_links as
with roster as (
    select record_id, cid from std_roster where cid_status = 'valid'
),
poverty as (
    select record_id, cid, row_number() over (partition by cid order by record_id) as nth
    from std_poverty where cid_status = 'valid'
),
final as (
    select roster.record_id as roster_id, poverty.record_id as poverty_id,
        'exact_id' as match_method, 1.0::double as match_score
    from roster join poverty on roster.cid = poverty.cid and poverty.nth = 1
)
select * from final order by roster_id
"""


def links_sql() -> str:
    """links: one row per accepted roster record, linked or not, with lineage on both sides."""
    return f"""
create or replace table links as
with final as (
    select
        r.source_file as roster_file, r.source_row as roster_row,
        p.source_file as poverty_file, p.source_row as poverty_row,
        coalesce(l.match_method, 'unlinked') as match_method, l.match_score,
        case when p.record_id is null then '{{}}' else {explanation_sql()} end as explanation,
        r.record_id as roster_record_id, p.record_id as poverty_record_id, p.house_code,
        r.dataset_key as fund
    from std_roster r
    left join int_links l on l.roster_id = r.record_id
    left join std_poverty p on p.record_id = l.poverty_id
)
select * from final order by roster_file, roster_row
"""
