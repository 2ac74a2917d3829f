"""SQL builders for the review loop: stable record keys, reviewers' decisions, the clerical tier.

A reviewer decides about a pair in the review queue (`saphan review export` / `import`, flows/review.py). The
decision is kept under the two records' **stable keys**, not row numbers or record ids, so it still applies when a
file is re-sorted or sent again: a key is a sha256 of what the record says about the person, as standardised,

    first name | last name | birth year (or the age's year range) | citizen ID | province | district | subdistrict
    | village

so a corrected name or ID makes a new record (and the old decision stale, as it should). Every later link stage
applies the decisions (tables, in the order flows/link.py builds them):

    int_review_decisions   this run's record ids of each decided pair (roster_id, poverty_id, decision), from the
                           decisions relation (roster_key, poverty_key, decision); empty without decisions
    int_link_clerical      tier "clerical": an accepted pair links a roster record the ID tiers left open
    (vetoes)               a rejected pair gets the veto "rejected by a reviewer": it never links and leaves review;
                           an unsure one gets "a reviewer was unsure": it never links and stays in review

Examples:
    >>> DECISION_CODES["ใช่"], DECISION_CODES["ไม่ใช่"], DECISION_CODES["ไม่แน่ใจ"]
    ('accept', 'reject', 'unsure')
"""

KEY_VERSION = "saphan-record-key-v1"  # changes only when the key's recipe changes (old decisions then go stale)
DECISION_CODES = {"ใช่": "accept", "ไม่ใช่": "reject", "ไม่แน่ใจ": "unsure"}
DECISION_LABELS = {code: label for label, code in DECISION_CODES.items()}
VETO_REJECTED = "rejected by a reviewer"
VETO_UNSURE = "a reviewer was unsure"
KEY_FIELDS = ("first_name", "last_name", "birth_year", "cid", "province_code", "district_code", "subdistrict_code",
              "village_no")


def record_key_sql(a: str) -> str:
    """SQL for the stable key (64 hex digits) of the std record aliased `a`.

    The birth year is the year itself, else the age's range ("2528-2529"), so an age stays the same key when the
    file is sent again in the same year. The fields are hashed as a JSON list, so a null differs from "" and no
    text inside a field can fake another split of the fields.
    """
    year = (f"coalesce(cast({a}.birth_year_be as varchar), "
            f"cast({a}.birth_year_min as varchar) || '-' || cast({a}.birth_year_max as varchar))")
    fields = ", ".join([f"{a}.first_name", f"{a}.last_name", year, f"{a}.cid", f"{a}.province_code",
                        f"{a}.district_code", f"{a}.subdistrict_code", f"{a}.village_no"])
    return f"sha256('{KEY_VERSION}' || to_json([{fields}]::varchar[])::varchar)"


def resolved_decisions_sql(decisions: str | None) -> str:
    """int_review_decisions: each decision's pair as this run's record ids (every roster and poverty record with
    the keys: a person listed twice with the same details is decided once for both).

    Args:
        decisions: a relation with roster_key, poverty_key, decision (accept / reject / unsure), or None (no
            decisions: the table is empty, so later steps need no special case).
    """
    source = decisions or "(select null::varchar as roster_key, null::varchar as poverty_key, " \
        "null::varchar as decision where false)"
    return f"""
create or replace table int_review_decisions as
with decisions as (
    select roster_key, poverty_key, decision from {source}
),
roster as (
    select record_id, {record_key_sql('s')} as record_key from std_roster s
),
poverty as (
    select record_id, {record_key_sql('s')} as record_key from std_poverty s
),
final as (
    select roster.record_id as roster_id, poverty.record_id as poverty_id, d.decision
    from decisions d
    join roster on roster.record_key = d.roster_key
    join poverty on poverty.record_key = d.poverty_key
)
select distinct * from final order by roster_id, poverty_id
"""


def clerical_links_sql() -> str:
    """int_link_clerical: roster records no ID tier linked, each to the poverty record a reviewer accepted.

    Two accepted candidates for one record (decided in different rounds) link to the first by record id.
    """
    return """
create or replace table int_link_clerical as
with accepted as (
    select roster_id, poverty_id,
        row_number() over (partition by roster_id order by poverty_id) as nth
    from int_review_decisions
    where decision = 'accept'
        and roster_id not in (select roster_id from int_link_exact union all select roster_id from int_link_id_typo)
),
final as (
    select roster_id, poverty_id, 'clerical' as match_method, 1.0::double as match_score,
        'accepted by a reviewer in the review queue' as rule
    from accepted where nth = 1
)
select * from final order by roster_id
"""


def decision_vetoes_sql(table: str) -> str:
    """`table` (a pair table with roster_id, poverty_id, vetoes) again, a rejected pair vetoed by "rejected by a
    reviewer" and an unsure one by "a reviewer was unsure": neither links, and the review queue tells them apart.
    """
    return f"""
create or replace table {table} as
with decided as (
    select roster_id, poverty_id,
        case decision when 'reject' then '{VETO_REJECTED}' when 'unsure' then '{VETO_UNSURE}' end as veto
    from int_review_decisions where decision in ('reject', 'unsure')
),
final as (
    select t.* replace (case when d.veto is null then t.vetoes else list_append(t.vetoes, d.veto) end as vetoes)
    from {table} t left join decided d using (roster_id, poverty_id)
)
select * from final order by roster_id, poverty_id
"""


def decision_counts_sql(decisions: str) -> str:
    """One row per decision kind: decisions, applied (both records present in this run), stale (one missing).

    Args:
        decisions: a relation with roster_key, poverty_key, decision.
    """
    return f"""
with decisions as (
    select distinct roster_key, poverty_key, decision from {decisions}
),
roster as (
    select distinct {record_key_sql('s')} as record_key from std_roster s
),
poverty as (
    select distinct {record_key_sql('s')} as record_key from std_poverty s
),
final as (
    select d.decision, count(*) as decisions,
        count(*) filter (where r.record_key is not null and p.record_key is not null) as applied
    from decisions d
    left join roster r on r.record_key = d.roster_key
    left join poverty p on p.record_key = d.poverty_key
    group by d.decision
)
select decision, decisions, applied, decisions - applied as stale from final order by decision
"""
