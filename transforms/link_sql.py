"""SQL builders for the link stage: ID tiers, Splink inputs, one-to-one choice, review queue, explained links.

Tables, in the order flows/link.py builds them (all `int_*` but the two marts):
    int_link_exact      tier a: equal check-digit-valid citizen IDs
    int_link_id_typo    tier b: IDs one digit or one adjacent swap apart, with agreeing names
    int_link_clerical   pairs a reviewer accepted (transforms/clerical_sql.py, with the decisions' vetoes)
    int_splink_roster / int_splink_poverty   Splink inputs; `link_open` marks records still unlinked
    int_splink_pairs    Splink's scored candidate pairs (roster_id, poverty_id, probability, weights)
    int_link_probabilistic   tier c: best pair per roster record at or above the upper threshold
    int_links           all tiers, one row per linked roster record
    review              pairs between the thresholds, side by side, neither linked nor lost
    links               one row per accepted roster record, linked or not, explained
"""

from transforms.clerical_sql import VETO_REJECTED, VETO_UNSURE
from transforms.link_vetoes import cid_distance_sql, name_close_sql, pair_vetoes_sql, year_gap_sql
from transforms.linkage import SPLINK_COLUMNS, comparisons

COMPARED = ("cid", "first_name", "last_name", "birth_year_be", "sex", "subdistrict_code", "village_no", "house_no")
USABLE_CID = "length({a}.cid) = 13 and {a}.cid_status in ('valid', 'bad_check_digit')"


def exact_id_links_sql() -> str:
    """int_link_exact: roster records whose check-digit-valid citizen ID equals a poverty record's.

    A poverty ID held by two records (a typing slip) links to the first in file order, never both.
    """
    return """
create or replace table int_link_exact as
with roster as (
    select record_id, cid from std_roster where cid_status = 'valid'
),
poverty as (
    select record_id, cid, row_number() over (partition by cid order by record_id) as nth
    from std_poverty where cid_status = 'valid'
),
final as (
    select roster.record_id as roster_id, poverty.record_id as poverty_id,
        'exact_id' as match_method, 1.0::double as match_score, 'ID equal and check digit valid' as rule
    from roster join poverty on roster.cid = poverty.cid and poverty.nth = 1
)
select * from final order by roster_id
"""


def id_typo_candidates_sql() -> str:
    """int_id_typo_candidates: pairs with IDs one typo apart (one digit changed, or two adjacent digits swapped)
    and names agreeing, each with its vetoes (see transforms/link_vetoes.py; empty when none).

    Set-based: each ID yields 13 keys with one digit masked (equal keys at the same position = at most one
    digit differs) and up to 12 keys with two adjacent digits swapped. The keys are numbers, not text: a usable ID
    is 13 ASCII digits (transforms/citizen_id.py), so the ID is a BIGINT and masking digit `pos` subtracts it
    (digit x 10^(13 - pos)); an integer key is cheaper to make, hash and join than a substring (~14 keys for each
    of a province's million poverty records). Names agree when first and last are close, or are swapped, or (a
    married name) the first name is close and the birth years agree.
    """
    usable_r, usable_p = USABLE_CID.format(a="r"), USABLE_CID.format(a="p")
    first, last = name_close_sql("r.first", "p.first"), name_close_sql("r.last", "p.last")
    swap = f"{name_close_sql('r.first', 'p.last')} and {name_close_sql('r.last', 'p.first')}"
    digit = "(id_num // place) % 10"  # the digit at `place` (1 for the rightmost digit, 10^12 for the leftmost)
    return f"""
create or replace table int_id_typo_candidates as
with roster as (
    select r.record_id, try_cast(r.cid as bigint) as id_num from std_roster r
    where {usable_r} and r.record_id not in (select roster_id from int_link_exact)
),
poverty as (
    select p.record_id, try_cast(p.cid as bigint) as id_num from std_poverty p where {usable_p}
),
positions as (  -- digit pos (1 = leftmost) is worth `place`
    select pos, (10::bigint ** (13 - pos))::bigint as place from range(1, 14) t(pos)
),
-- the ID with digit pos zeroed, times 16, plus pos: one integer per (position, rest of the ID)
roster_masked as (
    select record_id, (id_num - {digit} * place) * 16 + pos as id_key from roster, positions
),
poverty_masked as (
    select record_id, (id_num - {digit} * place) * 16 + pos as id_key from poverty, positions
),
roster_swapped as (  -- digits pos and pos + 1 swapped: (d2 - d1) moves from place / 10 up to place
    select record_id, id_num + (d2 - d1) * 9 * (place // 10) as id_key
    from (select record_id, id_num, place, {digit} as d1, (id_num // (place // 10)) % 10 as d2
          from roster, positions where pos <= 12)
    where d1 <> d2
),
id_pairs as (
    select distinct rm.record_id as roster_id, pm.record_id as poverty_id
    from roster_masked rm join poverty_masked pm using (id_key)
    union
    select rs.record_id as roster_id, p.record_id as poverty_id
    from roster_swapped rs join poverty p on p.id_num = rs.id_key
),
compared as (
    select i.roster_id, i.poverty_id,
        case when r.cid = p.cid then 'same ID, check digit fails'
            when damerau_levenshtein(r.cid, p.cid) = 1 and levenshtein(r.cid, p.cid) = 2
                then 'ID adjacent digits swapped'
            else 'ID one digit differs' end as id_rule,
        {first} and {last} as names_agree,
        {swap} as names_swapped,
        {first} and coalesce({year_gap_sql('r', 'p')} <= 0, false) as married_name
    from id_pairs i
    join std_roster r on r.record_id = i.roster_id
    join std_poverty p on p.record_id = i.poverty_id
),
accepted as (
    select roster_id, poverty_id, id_rule,
        case when names_agree then 1 when names_swapped then 2 else 3 end as name_rank,
        case when names_agree then 'names agree' when names_swapped then 'first/last swapped'
            else 'surname differs: possible married name' end as name_rule
    from compared
    where names_agree or names_swapped or married_name
),
vetoed as (
    {pair_vetoes_sql("accepted", "select roster_id, poverty_id from int_link_exact")}
),
final as (
    select accepted.*, vetoed.vetoes
    from accepted join vetoed using (roster_id, poverty_id)
)
select * from final order by roster_id, poverty_id
"""


def id_typo_links_sql() -> str:
    """int_link_id_typo: each roster record's best unvetoed ID-typo candidate (same ID first, then names)."""
    return """
create or replace table int_link_id_typo as
with ranked as (
    select *, row_number() over (
        partition by roster_id order by id_rule = 'same ID, check digit fails' desc, name_rank, poverty_id
    ) as nth
    from int_id_typo_candidates
    where len(vetoes) = 0
),
final as (
    select roster_id, poverty_id, 'id_typo' as match_method, 1.0::double as match_score,
        id_rule || '; ' || name_rule as rule
    from ranked where nth = 1
)
select * from final order by roster_id
"""


def splink_input_sql(dataset: str) -> str:
    """int_splink_<dataset>: the columns Splink compares; `link_open` is false for roster records already linked.

    Every poverty record stays open, so a roster duplicate without an ID can still join its poverty person.
    """
    special = {
        "cid": "case when length(s.cid) = 13 then s.cid end as cid",
        # std tables from before birth-year ranges (or a year without one) compare on the year itself.
        "birth_year_min": "coalesce(s.birth_year_min, s.birth_year_be) as birth_year_min",
        "birth_year_max": "coalesce(s.birth_year_max, s.birth_year_be) as birth_year_max",
    }
    cols = ", ".join(special.get(c, f"s.{c}") for c in SPLINK_COLUMNS if c != "link_open")
    open_sql = "true"
    if dataset == "roster":
        open_sql = (
            "s.record_id not in (select roster_id from int_link_exact union all select roster_id from int_link_id_typo"
            " union all select roster_id from int_link_clerical)"
        )
    return f"""
create or replace table int_splink_{dataset} as
with final as (
    select {cols}, {open_sql} as link_open from std_{dataset} s
)
select * from final order by record_id
"""


def splink_pairs_sql(predictions: str, present: set[str] | None = None) -> str:
    """int_splink_pairs: Splink's predictions with roster and poverty ids named, gammas and match weights kept.

    A comparison Splink could not train (a tiny or one-sided input) may be missing from its output: its gamma and
    weight are kept as nulls so the explanation still lists it.
    """
    cols = [c["output_column_name"] for c in comparisons()]

    def _col(name: str, kind: str) -> str:
        return name if present is None or name in present else f"null::{kind} as {name}"

    keep = ", ".join(f"{_col(f'gamma_{c}', 'integer')}, {_col(f'mw_{c}', 'double')}" for c in cols)
    tf = ", ".join(
        f"coalesce({c if present is None or c in present else 'null::double'}, 0) as {c}"
        for c in ("mw_tf_adj_first_name", "mw_tf_adj_last_name")
    )
    return f"""
create or replace table int_splink_pairs as
with predictions as (
    select * from {predictions}
),
final as (
    select
        case when source_dataset_l = 'roster' then record_id_l else record_id_r end as roster_id,
        case when source_dataset_l = 'roster' then record_id_r else record_id_l end as poverty_id,
        match_probability, match_weight, match_key, {keep}, {tf}
    from predictions
)
select * from final order by roster_id, poverty_id
"""


def splink_vetoes_sql() -> str:
    """int_splink_pairs again, with each pair's vetoes (see transforms/link_vetoes.py; empty when none).

    A roster row other than the ones linked by ID (tiers a and b) to the poverty person is vetoed unless it is
    the same person listed twice.
    """
    taken = "select roster_id, poverty_id from int_link_exact union all " \
        "select roster_id, poverty_id from int_link_id_typo"
    return f"""
create or replace table int_splink_pairs as
with vetoed as (
    {pair_vetoes_sql("int_splink_pairs", taken)}
),
final as (
    select s.*, vetoed.vetoes from int_splink_pairs s join vetoed using (roster_id, poverty_id)
)
select * from final order by roster_id, poverty_id
"""


def vetoed_pairs_sql() -> str:
    """int_link_vetoed: every vetoed candidate pair (ID-typo or Splink), so an unlinked record can say why."""
    return """
create or replace table int_link_vetoed as
with id_typo as (
    select roster_id, poverty_id, 'id_typo' as tier, null::double as match_probability, vetoes
    from int_id_typo_candidates where len(vetoes) > 0
),
probabilistic as (
    select roster_id, poverty_id, 'probabilistic' as tier, match_probability, vetoes
    from int_splink_pairs where len(vetoes) > 0
),
final as (
    select * from id_typo union all select * from probabilistic
)
select * from final order by roster_id, poverty_id, tier
"""


def blocking_report_sql(blocked_pairs: str | None, rules: list[str]) -> str:
    """int_blocking_report: candidate pairs per blocking rule (pairs an earlier rule made are not counted again).

    Args:
        blocked_pairs: Splink's blocked pairs table (match_key = the rule's position), or None for no pairs.
        rules: rule names in Splink's order.
    """
    names = ", ".join(f"({i}, '{name}')" for i, name in enumerate(rules))
    counts = (
        f"select cast(match_key as integer) as rule_order, count(*) as pairs from {blocked_pairs} group by all"
        if blocked_pairs else "select null::integer as rule_order, 0::bigint as pairs where false"
    )
    return f"""
create or replace table int_blocking_report as
with rules as (
    select * from (values {names}) t(rule_order, rule)
),
counts as (
    {counts}
),
final as (
    select rules.rule_order::integer as rule_order, rules.rule, coalesce(counts.pairs, 0)::bigint as pairs
    from rules left join counts using (rule_order)
)
select * from final order by rule_order
"""


def empty_splink_pairs_sql() -> str:
    """int_splink_pairs with no rows (no open roster records), so the later steps need no special case."""
    cols = [c["output_column_name"] for c in comparisons()]
    typed = ", ".join(f"null::integer as gamma_{c}, null::double as mw_{c}" for c in cols)
    tf = ", ".join(f"null::double as mw_tf_adj_{c}" for c in ("first_name", "last_name"))
    return f"""
create or replace table int_splink_pairs as
select null::bigint as roster_id, null::bigint as poverty_id, null::double as match_probability,
    null::double as match_weight, null::varchar as match_key, {typed}, {tf}, null::varchar[] as vetoes
where false
"""


def probabilistic_links_sql(upper: float, margin: float) -> str:
    """int_link_probabilistic: each open roster record's best pair, if >= upper and clearly ahead of the runner-up.

    A runner-up within `margin` bits of match weight (say two household members fitting equally well) makes the
    record ambiguous: it goes to review instead. Ties are broken by poverty record_id, so the choice is stable.
    Vetoed pairs neither link nor count as runners-up (a father vetoed by his birth year leaves his son's link),
    but a pair a reviewer was unsure about still counts as a runner-up: it may be the person.
    """
    return f"""
create or replace table int_link_probabilistic as
with ranked as (
    select roster_id, poverty_id, match_probability, match_weight, list_contains(vetoes, '{VETO_UNSURE}') as unsure,
        row_number() over (partition by roster_id order by match_probability desc, poverty_id) as nth,
        lead(match_weight) over (partition by roster_id order by match_probability desc, poverty_id) as runner_up
    from int_splink_pairs
    where len(list_filter(vetoes, lambda v: v <> '{VETO_UNSURE}')) = 0
),
final as (
    select roster_id, poverty_id, 'probabilistic' as match_method, match_probability as match_score,
        'Splink match weight ' || round(match_weight, 2) as rule
    from ranked
    where nth = 1 and not unsure and match_probability >= {float(upper)!r}
        and (runner_up is null or match_weight - runner_up >= {float(margin)!r})
)
select * from final order by roster_id
"""


def all_links_sql() -> str:
    """int_links: every tier's links, one row per linked roster record (tiers never overlap)."""
    return """
create or replace table int_links as
with tiers as (
    select * from int_link_exact
    union all select * from int_link_id_typo
    union all select * from int_link_clerical
    union all select * from int_link_probabilistic
),
final as (
    select *, count(*) over (partition by poverty_id) > 1 as roster_duplicate from tiers
)
select * from final order by roster_id
"""


def _agreement(field: str) -> str:
    similar = "false"
    if field in ("first_name", "last_name"):
        similar = name_close_sql(f"r.{field.split('_')[0]}", f"p.{field.split('_')[0]}")
    elif field == "cid":
        similar = f"{cid_distance_sql('r', 'p')} <= 1"
    elif field == "birth_year_be":  # on the birth-year ranges: a year inside an age range agrees
        gap = year_gap_sql("r", "p")
        return (f"case when {gap} is null then 'missing' when {gap} <= 0 then 'agree' "
                f"when {gap} <= 1 then 'similar' else 'disagree' end")
    return (
        f"case when r.{field} is null or p.{field} is null then 'missing' "
        f"when r.{field} = p.{field} then 'agree' when {similar} then 'similar' else 'disagree' end"
    )


def _notes_sql() -> str:
    first, last = name_close_sql("r.first", "p.first"), name_close_sql("r.last", "p.last")
    swap = f"{name_close_sql('r.first', 'p.last')} and {name_close_sql('r.last', 'p.first')}"
    return f"""list_filter([
            case when {first} and not {last} and not ({swap})
                then 'surname differs: possible married name' end,
            case when not {first} and {swap} then 'first/last swapped' end,
            case when r.cid_status = 'bad_check_digit' then 'roster ID check digit fails' end,
            case when p.cid_status = 'bad_check_digit' then 'poverty ID check digit fails' end,
            case when l.roster_duplicate then 'poverty person linked from more than one roster row' end
        ], lambda x: x is not null)"""


def _splink_detail_sql() -> str:
    """JSON of Splink's level and match weight per comparison, for probabilistic links."""
    parts = []
    for c in comparisons():
        col = c["output_column_name"]
        levels = [lv for lv in c["comparison_levels"] if not lv.get("is_null_level")]
        n = len(levels)
        label = " ".join(f"when {n - 1 - i} then '{lv['label_for_charts']}'" for i, lv in enumerate(levels))
        weight = f"s.mw_{col}" + (f" + s.mw_tf_adj_{col}" if col in ("first_name", "last_name") else "")
        parts.append(
            f"'{col}', json_object('level', case s.gamma_{col} when -1 then 'missing' {label} end, "
            f"'match_weight', round({weight}, 3))"
        )
    return f"json_object('match_weight', round(s.match_weight, 3), 'levels', json_object({', '.join(parts)}))"


def _explanation_sql(vetoes: bool = False) -> str:
    """JSON explanation of the pair (r, p) joined as `l` (method, rule, roster_duplicate) and `s` (Splink pair).

    With `vetoes`, it names the pair's vetoes (`s.vetoes`), e.g. "vetoes": ["different valid IDs"].
    """
    fields = ", ".join(f"'{f}', {_agreement(f)}" for f in COMPARED)
    named = ", 'vetoes', s.vetoes" if vetoes else ""
    return f"""cast(json_object(
            'method', l.match_method, 'rule', l.rule, 'fields', json_object({fields}),
            'notes', {_notes_sql()}{named},
            'splink', case when s.roster_id is not null then {_splink_detail_sql()} end
        ) as varchar)"""


def review_sql(lower: float, upper: float) -> str:
    """review: Splink pairs of roster records no tier linked, both records side by side, neither linked nor lost.

    That is unvetoed pairs between the thresholds, pairs above `upper` left unlinked as ambiguous, and vetoed
    pairs that are otherwise strong (scoring >= upper, or first and last names agreeing and the birth years
    agreeing or unknown), whose review_reason names the vetoes. A reviewer's decision (transforms/clerical_sql.py)
    takes a rejected pair out and keeps an unsure one in, whatever its score.
    """
    names = f"{name_close_sql('r.first', 'p.first')} and {name_close_sql('r.last', 'p.last')}"
    strong = f"s.match_probability >= {float(upper)!r} or ({names} and coalesce({year_gap_sql('r', 'p')} <= 0, true))"
    side = ", ".join(
        f"cast({a}.{c} as {'integer' if c == 'birth_year_be' else 'varchar'}) as {prefix}_{c}"
        for a, prefix in (("r", "roster"), ("p", "poverty"))
        for c in ("title", "first_name", "last_name", "sex", "birth_year_be", "cid", "cid_status", "house_no",
                  "village_no", "subdistrict_code")
    )
    return f"""
create or replace table review as
with open_pairs as materialized (  -- the pairs of records no tier linked, so names are compared only for them
    select s.* from int_splink_pairs s
    where s.roster_id not in (select roster_id from int_links) and not list_contains(s.vetoes, '{VETO_REJECTED}')
),
pairs as (
    select s.roster_id, s.poverty_id, s.match_probability, s.match_weight, 'review' as match_method,
        false as roster_duplicate,
        case when list_contains(s.vetoes, '{VETO_UNSURE}') then 'unsure: a reviewer could not decide'
            when len(s.vetoes) > 0 then 'vetoed: ' || array_to_string(s.vetoes, '; ')
            when s.match_probability >= {float(upper)!r} then 'ambiguous: another candidate scores about as well'
            else 'between the review and link thresholds' end as review_reason,
        'Splink match weight ' || round(s.match_weight, 2) || '; ' || review_reason as rule
    from open_pairs s
    join std_roster r on r.record_id = s.roster_id
    join std_poverty p on p.record_id = s.poverty_id
    -- `strong` read only for vetoed pairs (a filter's OR and AND skip rows already decided)
    where list_contains(s.vetoes, '{VETO_UNSURE}') or (len(s.vetoes) = 0 and s.match_probability >= {float(lower)!r})
        or (len(s.vetoes) > 0 and ({strong}))
),
final as (
    select
        r.source_file as roster_file, r.source_row as roster_row,
        p.source_file as poverty_file, p.source_row as poverty_row,
        r.record_id as roster_record_id, p.record_id as poverty_record_id,
        r.dataset_key as fund, p.house_code,
        l.match_probability, l.match_weight, l.review_reason,
        row_number() over (partition by l.roster_id order by l.match_probability desc, l.poverty_id) as candidate_rank,
        {side},
        {_explanation_sql(vetoes=True)} as explanation
    from pairs l
    join std_roster r on r.record_id = l.roster_id
    join std_poverty p on p.record_id = l.poverty_id
    join open_pairs s on s.roster_id = l.roster_id and s.poverty_id = l.poverty_id
)
select * from final order by roster_file, roster_row, candidate_rank
"""


def links_sql() -> str:
    """links: one row per accepted roster record, linked or not, with lineage on both sides and an explanation."""
    return f"""
create or replace table links as
with roster as (
    select * from std_roster
),
linked as (  -- with the poverty record's lineage, so `final` need not join std_poverty again
    select l.roster_id, l.poverty_id, l.match_method, l.match_score, l.roster_duplicate,
        {_explanation_sql()} as explanation,
        p.source_file, p.source_row, p.house_code, p.record_id, p.source_sheet, p.source_line
    from int_links l
    join std_roster r on r.record_id = l.roster_id
    join std_poverty p on p.record_id = l.poverty_id
    left join int_splink_pairs s on l.match_method = 'probabilistic'
        and s.roster_id = l.roster_id and s.poverty_id = l.poverty_id
),
in_review as (
    select distinct roster_record_id from review
),
ranked_vetoed as (  -- only unlinked records list their vetoed candidates
    select *, row_number() over (
            partition by roster_id order by tier = 'id_typo' desc, match_probability desc, poverty_id
        ) as nth
    from int_link_vetoed where roster_id not in (select roster_id from int_links)
),
vetoed as (  -- an unlinked record's three best vetoed candidates and their vetoes, best first
    -- (list_sort of three (nth, candidate) structs: cheaper than an ordered list aggregate)
    select roster_id, to_json(list_transform(list_sort(list({{'nth': nth,
            'candidate': {{'poverty_record_id': poverty_id, 'tier': tier, 'vetoes': vetoes}}}})),
        lambda x: x.candidate)) as candidates
    from ranked_vetoed where nth <= 3 group by roster_id
),
final as (
    select
        r.source_file as roster_file, r.source_row as roster_row,
        l.source_file as poverty_file, l.source_row as poverty_row,
        coalesce(l.match_method, 'unlinked') as match_method, l.match_score,
        coalesce(l.explanation, cast(json_object('method', 'unlinked',
            'notes', case when q.roster_record_id is null then []::varchar[] else ['in review queue'] end,
            'vetoed', coalesce(v.candidates, '[]'::json)) as varchar)) as explanation,
        coalesce(l.roster_duplicate, false) as roster_duplicate,
        l.house_code, r.record_id as roster_record_id, l.record_id as poverty_record_id,
        r.dataset_key as fund,
        -- where a person finds the lines: the sheet and its line number as the spreadsheet shows them
        r.source_sheet as roster_sheet, r.source_line as roster_line,
        l.source_sheet as poverty_sheet, l.source_line as poverty_line
    from roster r
    left join linked l on l.roster_id = r.record_id
    left join in_review q on q.roster_record_id = r.record_id
    left join vetoed v on v.roster_id = r.record_id
)
select * from final order by roster_file, roster_row
"""
