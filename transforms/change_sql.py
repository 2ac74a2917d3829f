"""SQL for change since last year: two runs' warehouses, attached side by side, compared by person key.

Inputs, per run (attached as ``run_a`` and ``run_b``; flows/compare.py checks both used the same pseudonym key):
    int_mart_poverty   each poverty record: person key, household poverty, area
    std_poverty, std_roster, links, lkp_person_key_roster, lkp_person_key_poverty

A person is followed from year to year by a key made from a valid citizen ID. A key made from a record's
lineage (no ID, or one that fails its check digit) names a record in one file, never the same person next
year: such records are counted apart (not_followed_sql), never as people who came or went.

- Poor in a year: their household is poor in at least one dimension in that year's extract.
- Member in a year: a roster line of that year is theirs (linked to their poverty record, or carrying their ID).

Tables:
    poverty_change                 one row per followed person poor or a member in either year (schemas/marts.py)
    poverty_change_by_subdistrict  the counts per subdistrict that `saphan compare` prints

Example:
    >>> "run_b.int_mart_poverty" in change_sql()
    True
"""

from schemas.marts import POVERTY_CHANGE
from transforms.marts_sql import order_by_sql

__all__ = ["CHANGE_COUNTS", "change_by_subdistrict_sql", "change_sql", "not_followed_sql"]

# The printed counts, in order: what each counts among poverty_change's rows.
CHANGE_COUNTS: dict[str, str] = {
    "still_poor": "poverty_change = 'still_poor'",
    "newly_poor": "poverty_change = 'newly_poor'",
    "no_longer_poor": "poverty_change = 'no_longer_poor'",
    "poor_new_to_survey": "poverty_change = 'poor_new_to_survey'",
    "poor_not_surveyed": "poverty_change = 'poor_not_surveyed'",
    "newly_reached": "membership_change = 'joined' and poor_b",
    "no_longer_member": "membership_change = 'left'",
}
_AREA = ("province_code", "district_code", "subdistrict_code", "village_no")


def _poverty_sql(db: str) -> str:
    area = ", ".join(f"arg_min(m.{c}, m.poverty_record_id) as {c}" for c in _AREA)
    return f"""
    select m.person_key, {area}, bool_or(m.is_poor) as poor
    from {db}.int_mart_poverty m join {db}.std_poverty p on p.record_id = m.poverty_record_id
    where p.cid_status = 'valid'
    group by m.person_key"""


def _members_sql(db: str) -> str:
    # The poverty record's key when its ID is valid, else the roster line's when its ID is: either is the HMAC of
    # a valid ID, so a member linked one year and not the next keeps the same key.
    area = ", ".join(f"arg_min({c}, roster_record_id) as {c}" for c in _AREA)
    return f"""
    select person_key, {area}
    from (
        select l.roster_record_id,
            case when p.cid_status = 'valid' then kp.person_key when r.cid_status = 'valid' then kr.person_key
            end as person_key,
            {", ".join(f"case when p.record_id is not null then p.{c} else r.{c} end as {c}" for c in _AREA)}
        from {db}.links l
        join {db}.std_roster r on r.record_id = l.roster_record_id
        join {db}.lkp_person_key_roster kr on kr.record_id = l.roster_record_id
        left join {db}.std_poverty p on p.record_id = l.poverty_record_id
        left join {db}.lkp_person_key_poverty kp on kp.record_id = l.poverty_record_id
    )
    where person_key is not null
    group by person_key"""


def _area_sql() -> str:
    """Each area column from one source, the first that has a subdistrict: this year's extract, this year's
    roster, last year's extract, last year's roster (never a mix of two records' areas)."""
    sources = ("pb", "mb", "pa", "ma")
    return ", ".join(
        "case " + " ".join(f"when {s}.subdistrict_code is not null then {s}.{c}" for s in sources)
        + f" else coalesce({', '.join(f'{s}.{c}' for s in sources)}) end as {c}"
        for c in _AREA
    )


def change_sql(a: str = "run_a", b: str = "run_b") -> str:
    """poverty_change: per followed person poor or a member in either run, where they stand in each and the change.

    poverty_change: still_poor, newly_poor (surveyed and not poor, then poor), no_longer_poor (poor, then
    surveyed and not poor), poor_new_to_survey (not in the first extract), poor_not_surveyed (not in the second);
    null when poor in neither. membership_change: joined, left, stayed; null when a member in neither.
    """
    return f"""
create or replace table poverty_change as
with pa as ({_poverty_sql(a)}),
ma as ({_members_sql(a)}),
pb as ({_poverty_sql(b)}),
mb as ({_members_sql(b)}),
people as (
    select person_key from pa union select person_key from ma union select person_key from pb
    union select person_key from mb
),
joined as (
    select {_area_sql()}, k.person_key,
        pa.person_key is not null as surveyed_a, pa.poor as poor_a, ma.person_key is not null as member_a,
        pb.person_key is not null as surveyed_b, pb.poor as poor_b, mb.person_key is not null as member_b
    from people k
    left join pa using (person_key) left join ma using (person_key)
    left join pb using (person_key) left join mb using (person_key)
),
final as (
    select province_code, district_code, subdistrict_code, village_no, person_key,
        surveyed_a, poor_a, member_a, surveyed_b, poor_b, member_b,
        case
            when poor_a and poor_b then 'still_poor'
            when not poor_a and poor_b then 'newly_poor'
            when poor_a and not poor_b then 'no_longer_poor'
            when not surveyed_a and poor_b then 'poor_new_to_survey'
            when poor_a and not surveyed_b then 'poor_not_surveyed'
        end as poverty_change,
        case
            when member_a and member_b then 'stayed'
            when member_b then 'joined'
            when member_a then 'left'
        end as membership_change
    from joined
    where coalesce(poor_a, false) or coalesce(poor_b, false) or member_a or member_b
)
select * from final order by {order_by_sql(POVERTY_CHANGE)}
"""


def change_by_subdistrict_sql(a: str = "run_a", b: str = "run_b") -> str:
    """poverty_change_by_subdistrict: CHANGE_COUNTS per province, district and subdistrict, with Thai names."""
    counts = ", ".join(f"count(*) filter (where {cond}) as {name}" for name, cond in CHANGE_COUNTS.items())
    names = ", ".join(
        f"coalesce((select name_th from {b}.ref_area where area_code = g.{level}_code), "
        f"(select name_th from {a}.ref_area where area_code = g.{level}_code)) as {level}_name"
        for level in ("district", "subdistrict")
    )
    return f"""
create or replace table poverty_change_by_subdistrict as
with grouped as (
    select province_code, district_code, subdistrict_code, {counts}
    from poverty_change group by all
)
select g.province_code, g.district_code, g.subdistrict_code, {names}, {", ".join(CHANGE_COUNTS)}
from grouped g
order by g.province_code nulls last, g.district_code nulls last, g.subdistrict_code nulls last
"""


def not_followed_sql(db: str) -> str:
    """SELECT of one row: poverty records and roster lines of a run whose key is not made from a valid ID."""
    return f"""
select (select count(*) from {db}.std_poverty where cid_status is distinct from 'valid') as poverty_records,
    (select count(*) from {db}.links l join {db}.std_roster r on r.record_id = l.roster_record_id
     left join {db}.std_poverty p on p.record_id = l.poverty_record_id
     where r.cid_status is distinct from 'valid' and p.cid_status is distinct from 'valid') as roster_lines
"""
