"""SQL builders for the marts planners read: member_poverty, poor_not_in_fund, coverage, fund_summary.

Inputs (flows/marts.py builds the first three before these run):
    lkp_person_key_roster / lkp_person_key_poverty   record_id -> person_key (restricted lookups)
    ref_area            area_code -> name_th, for the DOPA codes present (public gazetteer names)
    std_roster, std_poverty, links

Tables, in build order:
    int_mart_poverty    one row per poverty record: person key, household dimension flags, linked or not
    member_poverty, poor_not_in_fund, coverage, fund_summary   (contracts in schemas/marts.py)

Every mart ends in a fixed row order over all its columns, so its Parquet bytes are the same run to run.
"""

from schemas.contracts import Contract
from schemas.marts import COVERAGE, DIMENSIONS, FUND_SUMMARY, LINKED_METHODS, MEMBER_POVERTY, POOR_NOT_IN_FUND
from transforms.fix_lists_sql import fix_counts_sql

__all__ = [
    "coverage_sql",
    "fund_summary_sql",
    "mart_poverty_sql",
    "member_poverty_sql",
    "order_by_sql",
    "poor_not_in_fund_sql",
]

_DIMS = tuple(f"dim_{d}" for d in DIMENSIONS)
_FIX_COUNTS = ("fix_lines", "fix_quarantined", "fix_citizen_id", "fix_birth_date", "fix_address")


def order_by_sql(contract: Contract) -> str:
    """Every column of a mart in contract order; village numbers sort as numbers ('2' before '10').

    Examples:
        >>> order_by_sql(FUND_SUMMARY).split(", ")[:4]
        ['province_code', 'district_code', 'subdistrict_code', 'fund']
    """
    keys = []
    for name in contract.names:
        if name == "village_no":
            keys.append("try_cast(village_no as integer)")
        keys.append(name)
    return ", ".join(keys)


def _area_names_sql(alias: str) -> str:
    return ", ".join(
        f"(select name_th from ref_area where area_code = {alias}.{level}_code) as {level}_name"
        for level in ("province", "district", "subdistrict")
    )


def mart_poverty_sql() -> str:
    """int_mart_poverty: each poverty record with its person key, household flags and whether a member links to it.

    A household is the records sharing a house code (a record without one is its own household). A person is
    "in a fund" when any record with their person key is linked, so a duplicated poverty record is not outreach.
    Its rows are in no set order (a sort of a million rows): every reader orders or aggregates what it takes.
    """
    household_flags = ", ".join(f"coalesce(bool_or({d}), false) as {d}" for d in _DIMS)
    count = " + ".join(f"h.{d}::integer" for d in _DIMS)
    return f"""
create or replace table int_mart_poverty as
with poverty as (
    select p.*, k.person_key, coalesce(p.house_code, 'record:' || p.record_id) as household_id
    from std_poverty p join lkp_person_key_poverty k using (record_id)
),
households as (
    select household_id, {household_flags} from poverty group by household_id
),
linked_people as (
    select distinct k.person_key
    from links l join lkp_person_key_poverty k on k.record_id = l.poverty_record_id
),
final as (
    select p.record_id as poverty_record_id, p.person_key, p.house_code,
        p.province_code, p.district_code, p.subdistrict_code, p.village_no, p.survey_year,
        {", ".join(f"h.{d}" for d in _DIMS)},
        ({count}) as poor_dimensions,
        ({count}) >= 1 as is_poor,
        p.welfare_card,
        ({count}) >= 1 and coalesce(p.welfare_card, false) as target_poor,
        p.person_key in (select person_key from linked_people) as in_fund
    from poverty p join households h using (household_id)
)
select * from final
"""


def member_poverty_sql() -> str:
    """member_poverty: one row per accepted roster record; poverty columns are null when it is not linked.

    A linked member takes the poverty person's key (the ID the enumerator recorded); an unlinked one keeps the key
    of the roster record. roster_duplicate: the same person key on more than one roster row, in any fund.
    """
    status = ", ".join(
        f"p.{c}" for c in (*_DIMS, "poor_dimensions", "is_poor", "welfare_card", "target_poor", "survey_year")
    )
    area = ", ".join(
        f"case when p.poverty_record_id is null then m.{c} else p.{c} end as {c}"
        for c in ("province_code", "district_code", "subdistrict_code", "village_no")
    )
    return f"""
create or replace table member_poverty as
with members as (
    select r.record_id, r.dataset_key as fund, r.province_code, r.district_code, r.subdistrict_code,
        r.village_no, k.person_key as member_key
    from std_roster r join lkp_person_key_roster k using (record_id)
),
joined as (
    select {area},
        m.fund, coalesce(p.person_key, m.member_key) as person_key, p.poverty_record_id is not null as linked,
        l.match_method, l.match_score, p.house_code, {status}
    from links l
    join members m on m.record_id = l.roster_record_id
    left join int_mart_poverty p on p.poverty_record_id = l.poverty_record_id
),
final as (
    select province_code, district_code, subdistrict_code, village_no, fund, person_key, linked,
        match_method, match_score, count(*) over (partition by person_key) > 1 as roster_duplicate,
        house_code, {", ".join(c.split(".")[1] for c in status.split(", "))}
    from joined
)
select * from final order by {order_by_sql(MEMBER_POVERTY)}
"""


def poor_not_in_fund_sql() -> str:
    """poor_not_in_fund: people of poor households linked to no roster record, where a fund has members.

    A subdistrict "has a fund" when a roster record's address resolves to it. One row per person key (a person
    recorded twice is listed once, at their first record).
    """
    status = ", ".join(f"p.{c}" for c in (*_DIMS, "poor_dimensions", "is_poor", "welfare_card", "target_poor"))
    return f"""
create or replace table poor_not_in_fund as
with poverty as (
    select * from int_mart_poverty
),
fund_areas as (
    select subdistrict_code, string_agg(distinct dataset_key, '; ' order by dataset_key) as funds
    from std_roster where subdistrict_code is not null and dataset_key is not null
    group by subdistrict_code
),
outreach as (
    select * from poverty
    where is_poor and not in_fund
    qualify row_number() over (partition by person_key order by poverty_record_id) = 1
),
final as (
    select p.province_code, p.district_code, p.subdistrict_code, {_area_names_sql("p")},
        p.village_no, p.house_code, p.person_key, f.funds, {status}, p.survey_year
    from outreach p join fund_areas f using (subdistrict_code)
)
select * from final order by {order_by_sql(POOR_NOT_IN_FUND)}
"""


def coverage_sql() -> str:
    """coverage: poor people and poor members per province, district, subdistrict and village (grouping sets).

    People are distinct person keys of poor households, in every area of the poverty data, funded or not. Rows
    whose area did not resolve to a province are left out of the area breakdown.
    """
    counts = [
        "count(*) as poor_people",
        "count(*) filter (where in_fund) as poor_members",
        "count(*) filter (where target_poor) as target_poor_people",
        "count(*) filter (where target_poor and in_fund) as target_poor_members",
    ]
    rates = [
        "round(poor_members / nullif(poor_people, 0), 4) as coverage_rate",
        "target_poor_people, target_poor_members",
        "round(target_poor_members / nullif(target_poor_people, 0), 4) as target_coverage_rate",
    ]
    for d in DIMENSIONS:
        counts += [
            f"count(*) filter (where dim_{d}) as poor_{d}",
            f"count(*) filter (where dim_{d} and in_fund) as members_{d}",
        ]
        rates += [f"poor_{d}, members_{d}", f"round(members_{d} / nullif(poor_{d}, 0), 4) as coverage_{d}"]
    return f"""
create or replace table coverage as
with people as (
    select * from int_mart_poverty
    where is_poor and province_code is not null
    qualify row_number() over (partition by person_key order by poverty_record_id) = 1
),
fund_areas as (
    select distinct subdistrict_code from std_roster where subdistrict_code is not null
),
grouped as (
    select
        case when grouping(village_no) = 0 then 'village' when grouping(subdistrict_code) = 0 then 'subdistrict'
            when grouping(district_code) = 0 then 'district' else 'province' end as level,
        province_code, district_code, subdistrict_code, village_no,
        {", ".join(counts)}
    from people
    group by grouping sets (
        (province_code), (province_code, district_code), (province_code, district_code, subdistrict_code),
        (province_code, district_code, subdistrict_code, village_no)
    )
),
final as (
    select g.level, g.province_code, g.district_code, g.subdistrict_code, g.village_no, {_area_names_sql("g")},
        exists (
            select 1 from fund_areas f
            where starts_with(f.subdistrict_code, coalesce(g.subdistrict_code, g.district_code, g.province_code))
        ) as has_fund,
        g.poor_people, g.poor_members, {", ".join(rates)}
    from grouped g
)
select * from final order by {order_by_sql(COVERAGE)}
"""


def fund_summary_sql(with_fixes: bool = True) -> str:
    """fund_summary: one row per fund, from member_poverty; a fund's area is where most of its members live.

    The fix_* counts are the lines of the fund's fix list (transforms/fix_lists_sql.py, over stg_roster and
    raw_roster); ``with_fixes=False`` (a warehouse without them) leaves them null: unknown, not zero.
    """
    fixes = fix_counts_sql() if with_fixes else "select null::varchar as fund, " + ", ".join(
        f"null::bigint as {f}" for f in _FIX_COUNTS)
    poor = ", ".join(f"count(*) filter (where dim_{d}) as poor_{d}" for d in DIMENSIONS)
    methods = ", ".join(
        f"count(*) filter (where match_method = '{m}') as linked_{m}" for m in LINKED_METHODS
    )
    return f"""
create or replace table fund_summary as
with members as (
    select * from member_poverty
),
areas as (
    select dataset_key as fund, province_code, district_code, subdistrict_code, count(*) as n
    from std_roster where dataset_key is not null
    group by dataset_key, province_code, district_code, subdistrict_code
),
homes as (
    select *, row_number() over (partition by fund order by n desc, subdistrict_code nulls last) as nth from areas
),
counts as (
    select fund, count(*) as members, count(distinct person_key) as distinct_people,
        count(*) filter (where linked) as linked, count(*) filter (where not linked) as unlinked,
        {methods},
        count(*) filter (where roster_duplicate) as duplicates,
        count(*) filter (where is_poor) as poor_members,
        count(*) filter (where target_poor) as target_poor_members,
        {poor}
    from members group by fund
),
fixes as (
    {fixes}
),
final as (
    select h.province_code, h.district_code, h.subdistrict_code, c.*,
        {", ".join(f"coalesce(x.{f}, 0) as {f}" if with_fixes else f"x.{f}" for f in _FIX_COUNTS)}
    from counts c left join homes h on h.fund = c.fund and h.nth = 1
    left join fixes x on x.fund = c.fund
)
select * from final order by {order_by_sql(FUND_SUMMARY)}
"""
