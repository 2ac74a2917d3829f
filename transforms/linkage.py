"""Splink settings for the probabilistic tier: Thai-aware comparisons, blocking rules, EM training rules.

Pure: builds dictionaries and SQL text; flows/link.py hands them to Splink on the warehouse connection.
Names are compared on Thai code points (DuckDB's damerau_levenshtein counts code points) and on the
three phonetic keys computed in standardise (lk82, udom83, metasound), which group the sound-alike
consonants and dropped tone marks that edit distance punishes.

Examples:
    >>> settings = splink_settings(prior=1e-6)
    >>> [c["output_column_name"] for c in settings["comparisons"]][:2]
    ['first_name', 'last_name']
"""

from typing import Any

# Columns the Splink input tables carry (std columns plus the `link_open` flag of records still unlinked).
SPLINK_COLUMNS = (
    "record_id", "first_name", "last_name", "first_lk82", "first_udom83", "first_metasound",
    "last_lk82", "last_udom83", "last_metasound", "first_rkey", "last_rkey", "cid", "birth_year_be",
    "birth_year_min", "birth_year_max", "sex",
    "house_no", "village_no", "subdistrict_code", "district_code", "link_open",
)

# Candidate pairs: each rule pairs records sharing an area and a phonetic key (or the household, or birth
# year and both keys), so work grows with block sizes, not with roster x poverty. `link_open` keeps pairs of
# records that earlier tiers have not linked.
BLOCKING_RULES: dict[str, str] = {
    "subdistrict+first_phonetic": "l.subdistrict_code = r.subdistrict_code and l.first_lk82 = r.first_lk82",
    "subdistrict+last_phonetic": "l.subdistrict_code = r.subdistrict_code and l.last_lk82 = r.last_lk82",
    "subdistrict+village+house": (
        "l.subdistrict_code = r.subdistrict_code and l.village_no = r.village_no and l.house_no = r.house_no"
    ),
    # Across areas (movers): both phonetic keys and the birth years agree (a year inside an age range counts).
    "both_phonetic+birth_year (any area)": (
        "l.first_lk82 = r.first_lk82 and l.last_lk82 = r.last_lk82"
        " and l.birth_year_min <= r.birth_year_max and r.birth_year_min <= l.birth_year_max"
    ),
    # Romanised rosters ("Thanawat Boonprasert") meet Thai records only on the cross-script sound key.
    "district+both_rkey": "l.district_code = r.district_code and l.first_rkey = r.first_rkey"
                          " and l.last_rkey = r.last_rkey",
    "swapped_phonetic+subdistrict": (
        "l.subdistrict_code = r.subdistrict_code and l.first_lk82 = r.last_lk82 and l.last_lk82 = r.first_lk82"
    ),
    # Movers without a birth year: found so that review sees them (the "moved" veto stops the link). Names
    # spelt alike, not phonetic keys, keep common names from exploding the pairs (see int_blocking_report).
    "same_names+no_birth_year (any area)": (
        "l.first_name = r.first_name and l.last_name = r.last_name"
        " and (l.birth_year_min is null or r.birth_year_min is null)"
    ),
}

# EM runs on person-level rules (not the household, which EM would mistake for the person); each rule
# fixes some compared fields, the other rule estimates them.
TRAINING_RULES = (
    "l.subdistrict_code = r.subdistrict_code and l.birth_year_be = r.birth_year_be",
    "l.first_name = r.first_name and l.last_name = r.last_name",
)


# Years between the two sides' birth-year ranges (<= 0: they overlap).
_YEAR_GAP = 'greatest("birth_year_min_l" - "birth_year_max_r", "birth_year_min_r" - "birth_year_max_l")'


def _crossed(a: str, b: str) -> str:
    keys = " or ".join(f'"{a}_{k}_l" = "{b}_{k}_r"' for k in ("name", "lk82", "udom83", "metasound", "rkey"))
    return f"({keys})"


# Each crossing may hold by spelling or by any phonetic key (a swapped name can carry a typo too).
SWAPPED_SQL = f"{_crossed('first', 'last')} and {_crossed('last', 'first')}"


def _null(col: str) -> dict[str, Any]:
    return {"sql_condition": f'"{col}_l" is null or "{col}_r" is null', "label_for_charts": "missing",
            "is_null_level": True}


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "disagree"}


def name_comparison(part: str, swap_u: float | None = None) -> dict[str, Any]:
    """first_name or last_name: exact (term-frequency adjusted), one edit, a phonetic key, two edits, swapped.

    Args:
        swap_u: u probability of the swapped level, counted on the data (see swap_u_sql): random sampling
            almost never meets a swap, and a level without u gets no weight.
    """
    col = f"{part}_name"
    def near(edits: int) -> str:  # a cheap length test first: most random pairs differ in length
        return f'abs(length("{col}_l") - length("{col}_r")) <= {edits}'

    # metasound alone groups too coarsely to count (a twin's สุนิตา and สโรฌา share one)
    phonetic = " or ".join(f'"{part}_{k}_l" = "{part}_{k}_r"' for k in ("lk82", "udom83", "rkey"))
    return {
        "output_column_name": col,
        "comparison_description": f"{col} on Thai code points and phonetic keys",
        "comparison_levels": [
            _null(col),
            _level(f'"{col}_l" = "{col}_r"', "exact", tf_adjustment_column=col, tf_adjustment_weight=1.0),
            _level(f'{near(1)} and damerau_levenshtein("{col}_l", "{col}_r") <= 1', "one edit"),
            _level(phonetic, "phonetic key agrees"),
            _level(f'{near(2)} and damerau_levenshtein("{col}_l", "{col}_r") <= 2', "two edits"),
            # The roster typed each name into the other's column. Both crossings must hold: one alone is what
            # every member of a household shares (the surname), not evidence of a swap.
            _level(SWAPPED_SQL, "first/last swapped", **({"u_probability": swap_u} if swap_u else {})),
            _else(),
        ],
    }


# A village or house number says nothing across subdistricts (หมู่ 7 of one is not หมู่ 7 of another): that
# level weighs nothing, so a mover is judged on names and birth year, not penalised twice for one move.
_OTHER_AREA = _level('"subdistrict_code_l" <> "subdistrict_code_r"', "other subdistrict", m_probability=0.5,
                     u_probability=0.5, fix_m_probability=True, fix_u_probability=True)
# Among true pairs EM sees almost no move, and would weigh one at minus hundreds of bits; people do move.
MOVED_M = 0.02


def _exact_comparison(col: str, description: str) -> dict[str, Any]:
    return {
        "output_column_name": col,
        "comparison_description": description,
        "comparison_levels": [_null(col), _OTHER_AREA, _level(f'"{col}_l" = "{col}_r"', "exact"), _else()],
    }


def comparisons(swap_u: float | None = None) -> list[dict[str, Any]]:
    """Every comparison of the probabilistic tier, in the order the explanation lists them."""
    return [
        name_comparison("first", swap_u),
        name_comparison("last", swap_u),
        {
            "output_column_name": "birth_year_be",
            "comparison_description": "Birth year (BE)",
            "comparison_levels": [
                _null("birth_year_min"),
                _level('"birth_year_be_l" = "birth_year_be_r"', "exact"),
                # An age gives a range of birth years: the other side's year (or range) inside it agrees.
                _level(f"{_YEAR_GAP} <= 0", "inside the age range"),
                _level(f"{_YEAR_GAP} <= 1", "within 1 year"),
                _level(f"{_YEAR_GAP} <= 5", "within 5 years"),
                _else(),
            ],
        },
        {
            "output_column_name": "cid",
            "comparison_description": "Citizen ID (a broken ID is still evidence)",
            "comparison_levels": [
                _null("cid"),
                _level('"cid_l" = "cid_r"', "exact"),
                # hamming is cheap on equal-length IDs (inputs hold only 13-digit IDs): one digit typo = 1,
                # an adjacent swap = 2. damerau_levenshtein on 13 characters cost 6 us a pair here.
                _level('hamming("cid_l", "cid_r") <= 2', "one typo or swap apart"),
                _else(),
            ],
        },
        {
            "output_column_name": "subdistrict_code",
            "comparison_description": "Subdistrict, else district",
            "comparison_levels": [
                _null("subdistrict_code"),
                _level('"subdistrict_code_l" = "subdistrict_code_r"', "exact"),
                _level('"district_code_l" = "district_code_r"', "same district",
                       m_probability=MOVED_M / 2, fix_m_probability=True),
                {**_else(), "m_probability": MOVED_M / 2, "fix_m_probability": True},
            ],
        },
        _exact_comparison("village_no", "Village number (หมู่)"),
        _exact_comparison("house_no", "House number"),
        {
            "output_column_name": "sex",
            "comparison_description": "Sex",
            "comparison_levels": [_null("sex"), _level('"sex_l" = "sex_r"', "exact"), _else()],
        },
    ]


def swap_u_sql() -> str:
    """Share of roster x poverty pairs whose names are crossed (phonetic keys, an upper bound): the swap level's u."""
    return """
with roster as (
    select first_lk82, last_lk82 from int_splink_roster
),
poverty as (
    select first_lk82, last_lk82 from int_splink_poverty
),
crossed as (
    select count(*) as pairs
    from roster r join poverty p on r.first_lk82 = p.last_lk82 and r.last_lk82 = p.first_lk82
),
final as (
    select greatest(crossed.pairs, 1)::double
        / greatest((select count(*) from roster) * (select count(*) from poverty), 1) as swap_u
    from crossed
)
select * from final
"""


def splink_settings(
    prior: float, blocking_rules: dict[str, str] | None = None, swap_u: float | None = None
) -> dict[str, Any]:
    """The Splink settings dictionary: link_only between roster and poverty, keyed by record_id.

    Args:
        prior: probability that two random records match (from the share of earlier-tier links).
        blocking_rules: rule name -> SQL; defaults to BLOCKING_RULES. Only open records are paired.
    """
    rules = blocking_rules or BLOCKING_RULES
    return {
        "link_type": "link_only",
        "unique_id_column_name": "record_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(swap_u),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"({sql}) and l.link_open and r.link_open"} for sql in rules.values()
        ],
        "retain_matching_columns": True,  # keeps the gamma_ (level) columns the explanation names
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
        "max_iterations": 20,
        "em_convergence": 0.0001,
    }


def prior_from_tiers(
    linked_share: float, open_roster_no_cid: int, open_roster_cid: int, poverty_no_cid_share: float,
    open_poverty: int,
) -> float:
    """Probability that an open roster record and a poverty record match, from what tiers a and b found.

    `linked_share` is the share of roster records with a valid ID linked by ID: about the share of fund
    members who are in the poverty data. An open roster record without a usable ID matches with that
    chance; one with a valid ID only when the poverty copy lacks a usable ID.
    """
    expected = linked_share * (open_roster_no_cid + open_roster_cid * poverty_no_cid_share)
    pairs = max(open_roster_no_cid + open_roster_cid, 1) * max(open_poverty, 1)
    return min(max(expected, 1.0) / pairs, 0.5)
