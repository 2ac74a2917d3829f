"""Contradictions that veto a link made by names: SQL built per pair set, applied set-based in every name tier.

A pair that names and places make look right is still not linked when the records contradict each other:

    different valid IDs          both IDs pass the check digit and are not one digit or one adjacent swap apart
    birth years N apart          two known birth years more than two apart
    birth year outside the age range   a year (or range) outside the other side's age range: no slack
    sex differs: M vs F          the sexes (from a sex column or the titles) contradict, and the IDs do not agree
    first names differ           neither close nor swapped, and the IDs do not agree (the household, not the person)
    moved: no birth year to confirm    other subdistrict, a birth year missing, and the IDs do not agree
    one name differs, no ID or birth year to confirm   a married name (or a stranger sharing a first name in the
                                 village) is for a reviewer to decide, not a guess
    poverty person linked by ID to another roster row   unless this row is a duplicate of that one: no conflicting
                                 ID, and the same names and birth year (or the same ID, mistyped)

Tiers linking by ID (exact ID) are not vetoed: the ID is the evidence. In the ID-typo tier the IDs agree, so only
the birth year and "already linked" rules can hold.

Examples:
    >>> "different valid IDs" in pair_vetoes_sql("int_splink_pairs", "select * from int_link_exact")
    True
"""

# Keys whose agreement makes two names close. Not metasound alone: it groups too coarsely (สุนิตา and สโรฌา, a
# twin's names, share one). rkey is the sound key that meets across Thai and Latin script.
PHONETIC = ("lk82", "udom83", "rkey")

VETO_IDS = "different valid IDs"
VETO_AGE = "birth year outside the age range"
VETO_FIRST = "first names differ"
VETO_MOVED = "moved: no birth year to confirm"
VETO_UNCONFIRMED = "one name differs, no ID or birth year to confirm"
VETO_TAKEN = "poverty person linked by ID to another roster row"


def name_close_sql(left: str, right: str) -> str:
    """True when two name parts are the same, one or two edits apart, or share a phonetic key.

    Args:
        left, right: qualified part prefixes such as "r.first" and "p.last".
    """
    keys = " or ".join(f"{left}_{k} = {right}_{k}" for k in PHONETIC)
    # A CASE, not `a or b or c`: DuckDB computes every operand of an OR in a select list, while a WHEN is tested
    # only on the rows no earlier WHEN took, so the costly tests run last and on few pairs. damerau_levenshtein
    # costs ~3 us a name pair, levenshtein ~0.7, equality ~0.05. The bounds that let cheap tests decide (edit
    # distances count code points, as length does: tests/test_linkage.py):
    #   |length difference| <= levenshtein, and damerau_levenshtein <= levenshtein <= 2 * damerau_levenshtein
    # (a transposition is two plain edits). The result is the OR of the original tests, never null.
    near = f"abs(length({left}_name) - length({right}_name)) <= 2"
    lev = f"levenshtein({left}_name, {right}_name)"
    # a romanised spelling one slip from the Thai name's key (Kriengkrai: kringkri / kringkir)
    roman = (f"length({left}_rkey) >= 5 and abs(length({left}_rkey) - length({right}_rkey)) <= 1"
             f" and levenshtein({left}_rkey, {right}_rkey) <= 2"
             f" and damerau_levenshtein({left}_rkey, {right}_rkey) <= 1")
    return (f"case when {left}_name = {right}_name or {keys} then true"
            f" when {near} and {lev} <= 2 then true"
            f" when {near} and {lev} <= 4 and damerau_levenshtein({left}_name, {right}_name) <= 2 then true"
            f" when {roman} then true else false end")


def year_range_sql(a: str) -> tuple[str, str]:
    """Earliest and latest birth year of alias `a`: the min/max columns, else the birth year."""
    return f"coalesce({a}.birth_year_min, {a}.birth_year_be)", f"coalesce({a}.birth_year_max, {a}.birth_year_be)"


def year_gap_sql(a: str, b: str) -> str:
    """Years between two birth-year ranges: <= 0 when they overlap (a year inside an age range), null if unknown."""
    (amin, amax), (bmin, bmax) = year_range_sql(a), year_range_sql(b)
    return f"greatest({amin} - {bmax}, {bmin} - {amax})"


def cid_distance_sql(a: str, b: str) -> str:
    """The two IDs' edit distance (damerau_levenshtein) up to 2, else 3 or more: what the ID tests read (<= 1, <= 2,
    > 1). The distance costs ~5 us a pair of 13 digits; equal IDs (most pairs linked by ID) skip it, and so do IDs
    more than 4 plain edits apart (levenshtein ~1 us), which are more than 2 apart (levenshtein <= 2 * distance)."""
    return (f"case when {a}.cid = {b}.cid then 0 when levenshtein({a}.cid, {b}.cid) > 4 then 3"
            f" else damerau_levenshtein({a}.cid, {b}.cid) end")


def _ids_apart_sql(a: str, b: str, test: str) -> str:
    both = f"length({a}.cid) = 13 and length({b}.cid) = 13"
    return f"coalesce({both} and {cid_distance_sql(a, b)} {test}, false)"


def id_agrees_sql(a: str, b: str) -> str:
    """The two 13-digit IDs are equal, one digit or one adjacent swap apart, or (when one fails its check digit)
    two digits apart: each copy may carry its own typo. Two valid IDs two digits apart are not the same: twins'
    IDs often differ only in the last sequence digit and the check digit."""
    valid = f"{a}.cid_status = 'valid' and {b}.cid_status = 'valid'"
    two_typos = f"coalesce(not ({valid}) and hamming({a}.cid, {b}.cid) <= 2, false)"
    return f"({_ids_apart_sql(a, b, '<= 1')} or ({_ids_apart_sql(a, b, '<= 2')} and {two_typos}))"


def same_person_sql(r: str, r0: str) -> str:
    """Roster rows r and r0 are one person listed twice: no conflicting ID or birth year, and the ID (perhaps
    mistyped) agrees, or the first names and a birth year agree with the last names or the house (a married name
    in the same house is the same woman; a namesake born the same year in the same house is not met)."""
    conflict = _ids_apart_sql(r, r0, "> 1")
    gap = year_gap_sql(r, r0)
    house = " and ".join(f"{r}.{c} = {r0}.{c}" for c in ("subdistrict_code", "village_no", "house_no"))
    names = (f"{name_close_sql(f'{r}.first', f'{r0}.first')} and ({name_close_sql(f'{r}.last', f'{r0}.last')}"
             f" or coalesce({house}, false))")
    return (f"(not {conflict} and coalesce({gap} <= 0, true) and ({id_agrees_sql(r, r0)}"
            f" or ({names} and coalesce({year_range_sql(r)[0]}, {year_range_sql(r0)[0]}) is not null)))")


_CID_DISTANCE = cid_distance_sql("r", "p")  # computed once per pair by pair_closeness_sql


def pair_closeness_sql(pairs: str) -> str:
    """A query: per distinct (roster_id, poverty_id) of `pairs`, each name comparison (first_first, last_last,
    first_last, last_first: name_close_sql) and the IDs' edit distance (cid_distance), computed once.

    Their edit distances are the costly part of the queries that explain, review and veto pairs: those join this
    as `c` instead of writing the comparisons again for each use.
    """
    return f"""select q.roster_id, q.poverty_id,
        {name_close_sql("r.first", "p.first")} as first_first, {name_close_sql("r.last", "p.last")} as last_last,
        {name_close_sql("r.first", "p.last")} as first_last, {name_close_sql("r.last", "p.first")} as last_first,
        {_CID_DISTANCE} as cid_distance
    from (select distinct roster_id, poverty_id from {pairs}) q
    join std_roster r on r.record_id = q.roster_id
    join std_poverty p on p.record_id = q.poverty_id"""


def pair_vetoes_sql(pairs: str, taken: str) -> str:
    """A query: (roster_id, poverty_id, vetoes) for each distinct pair of `pairs`, vetoes a list of names (empty: none).

    Args:
        pairs: a table or subquery with roster_id and poverty_id.
        taken: a query of (roster_id, poverty_id) links already made by ID; another roster row linked to the same
            poverty person is vetoed unless it is the same person (see same_person_sql).
    """
    (rmin, rmax), (pmin, pmax) = year_range_sql("r"), year_range_sql("p")
    return f"""
with pairs as (
    select distinct roster_id, poverty_id from {pairs}
),
taken as (
    select q.roster_id, q.poverty_id, bool_or({same_person_sql('r', 'r0')}) as same_person
    from pairs q
    join ({taken}) t on t.poverty_id = q.poverty_id and t.roster_id <> q.roster_id
    join std_roster r on r.record_id = q.roster_id
    join std_roster r0 on r0.record_id = t.roster_id
    group by all
),
close as materialized (
    {pair_closeness_sql("pairs")}
),
compared as (
    select q.roster_id, q.poverty_id,
        {id_agrees_sql('r', 'p').replace(_CID_DISTANCE, 'c.cid_distance')} as id_agrees,
        coalesce(r.cid_status = 'valid' and p.cid_status = 'valid' and c.cid_distance > 1, false) as ids_differ,
        {year_gap_sql('r', 'p')} as year_gap,
        coalesce({rmin} < {rmax} or {pmin} < {pmax}, false) as age_range,
        {rmin} is null or {pmin} is null as year_missing,
        -- a first name is found on the other side as a first name, or crossed (typed in the surname column)
        r.first_name is null or p.first_name is null or c.first_first or c.last_first or c.first_last
            as first_agrees,
        c.first_first and c.last_last as both_agree,
        r.sex as roster_sex, p.sex as poverty_sex,
        coalesce(r.subdistrict_code <> p.subdistrict_code, false) as moved,
        coalesce(not t.same_person, false) as taken_by_other
    from pairs q
    join close c using (roster_id, poverty_id)
    join std_roster r on r.record_id = q.roster_id
    join std_poverty p on p.record_id = q.poverty_id
    left join taken t on t.roster_id = q.roster_id and t.poverty_id = q.poverty_id
),
final as (
    select roster_id, poverty_id, list_filter([
            case when ids_differ then '{VETO_IDS}' end,
            case when not age_range and year_gap > 2 then 'birth years ' || year_gap || ' apart' end,
            case when age_range and year_gap > 0 then '{VETO_AGE}' end,
            case when roster_sex <> poverty_sex and not id_agrees
                then 'sex differs: ' || roster_sex || ' vs ' || poverty_sex end,
            case when not first_agrees and not id_agrees then '{VETO_FIRST}' end,
            case when moved and year_missing and not id_agrees then '{VETO_MOVED}' end,
            case when year_missing and not id_agrees and not both_agree then '{VETO_UNCONFIRMED}' end,
            case when taken_by_other then '{VETO_TAKEN}' end
        ], lambda x: x is not null)::varchar[] as vetoes
    from compared
)
select * from final
"""
