"""A second survey year for the synthetic sample, with the transitions known (`saphan sample --year2`).

The same people a year on: some poor households are no longer poor, some others become poor (income); the
same households are surveyed, with the same typing differences; some members leave their fund and some poor
people join one. Pure generation, no file I/O (flows/sample.py writes the files); its own random stage
(``default_rng([seed, 4])`` and ``[seed, 5]``), so the first year's tables are unchanged.

What saphan can follow from year to year is a person key made from a citizen ID: transitions() says, per
person of the extract, whether their ID reads the same valid way in both years (``followed``), whether their
household is poor each year, and whether they joined or left a fund. Only clean cases are planted as joiners and
leavers (a valid ID on a single roster line, the same person in both extracts), so the expected counts hold
exactly.

Examples:
    >>> people = make_population(300, seed=2567)
    >>> year2 = next_year(people, seed=2567)                # dimension flags redrawn for some households
    >>> extract_b = make_poverty(year2, 2567, survey_year=2568)
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.synth import (
    _LAYOUTS,
    ROSTER_FORMATS,
    SURVEY_YEAR_BE,
    _date_text,
    citizen_check_digit,
    make_population,
    make_poverty,
)

__all__ = ["YEAR2_RATES", "YEAR2_SURVEY_BE", "change_rosters", "next_year", "transitions"]

YEAR2_SURVEY_BE = SURVEY_YEAR_BE + 1
DIMS = ("dim_health", "dim_living", "dim_education", "dim_income", "dim_access")
YEAR2_RATES = {
    "poor_household_recovers": 0.20,  # of poor households: no dimension flagged next year
    "household_falls_poor": 0.10,  # of households not poor: poor in income next year
    "member_leaves": 0.08,  # of members with one clean roster line, surveyed and followed
    "poor_joins": 0.10,  # of poor people in a funded subdistrict, in no fund, surveyed and followed
}
_ = (make_population, make_poverty)  # named in the examples


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 4])


def next_year(people: pa.Table, seed: int) -> pa.Table:
    """The population a year later: the same people, with dimension flags redrawn for some households."""
    rng = _rng(seed)
    house = pc.cast(people["house_code"], pa.int64()).to_numpy()
    household = np.r_[0, np.cumsum(house[1:] != house[:-1])] if len(house) else np.zeros(0, np.int64)
    n_households = int(household[-1]) + 1 if len(house) else 0
    poor_person = np.logical_or.reduce([people[d].to_numpy(zero_copy_only=False) for d in DIMS])
    poor_household = np.zeros(n_households, bool)
    np.logical_or.at(poor_household, household, poor_person)
    draw = rng.random(n_households)
    recovers = (poor_household & (draw < YEAR2_RATES["poor_household_recovers"]))[household]
    falls = (~poor_household & (draw < YEAR2_RATES["household_falls_poor"]))[household]
    columns = {name: people[name] for name in people.column_names}
    for d in DIMS:
        flag = people[d].to_numpy(zero_copy_only=False) & ~recovers
        columns[d] = pa.array(flag | falls if d == "dim_income" else flag)
    columns["poor"] = pa.array(np.logical_or.reduce([columns[d].to_numpy(zero_copy_only=False) for d in DIMS]))
    return pa.table(columns)


def _valid_ids(ids: pa.Array) -> np.ndarray:
    """True where the text is 13 ASCII digits with a valid check digit (what saphan can key a person on)."""
    text = pc.fill_null(ids, "").to_numpy(zero_copy_only=False).astype("U13")
    plain = pc.match_substring_regex(pc.fill_null(ids, ""), r"^[0-9]{13}$").to_numpy(zero_copy_only=False)
    digits = np.zeros((len(text), 13), np.int64)
    if plain.any():
        digits[plain] = text[plain].view(np.uint32).reshape(-1, 13).astype(np.int64) - 48
    return plain & (citizen_check_digit(digits[:, :12]) == digits[:, 12])


def _household_poor(extract: pa.Table) -> np.ndarray:
    """Per extract row: is any person of its household (same house code) flagged in a dimension."""
    poor = np.logical_or.reduce([pc.equal(extract[d], "1").to_numpy(zero_copy_only=False) for d in DIMS])
    codes, at = np.unique(extract["house_code"].to_numpy(zero_copy_only=False), return_inverse=True)
    any_poor = np.zeros(len(codes), bool)
    np.logical_or.at(any_poor, at, poor)
    return any_poor[at]


def _followed(extract_a: pa.Table, extract_b: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Person ids in both extracts whose ID reads valid and the same both years; their poverty in A and B."""
    a_ids = extract_a["person_id"].to_numpy(zero_copy_only=False)
    found = pc.index_in(extract_a["person_id"], value_set=extract_b["person_id"])
    in_b = pc.is_valid(found).to_numpy(zero_copy_only=False)
    b_at = pc.fill_null(found, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    same = pc.equal(extract_a["citizen_id"], extract_b["citizen_id"].take(pa.array(b_at)))
    ok = (in_b & _valid_ids(extract_a["citizen_id"]) & pc.fill_null(same, False).to_numpy(zero_copy_only=False))
    return a_ids[ok], _household_poor(extract_a)[ok], _household_poor(extract_b)[b_at[ok]]


def _cid_header(fmt: str) -> str:
    return next(h for h, role in _LAYOUTS[fmt].items() if role == "cid")


def _joiner_cells(people: pa.Table, fmt: str, first_no: int) -> dict[str, pa.Array]:
    """Clean roster cells for new members, in the format's layout (its usual date form, full IDs)."""
    n = people.num_rows
    join = pc.binary_join_element_wise
    birth = _date_text(people["birth_date"].combine_chunks(), np.full(n, (0, 1, 2, 0, 3)[ROSTER_FORMATS.index(fmt)]))
    full = join(people["title"], join(people["first_name"], people["last_name"], " "), "")
    address = join(people["house_no"], join("ม.", people["village_no"], ""), join("ต.", people["subdistrict_name"], ""),
                   join("อ.", people["district_name"], ""), join("จ.", people["province_name"], ""),
                   people["postal_code"], " ")
    role_values = {
        "member_no": pc.cast(pa.array(np.arange(first_no, first_no + n)), pa.string()),
        "title": people["title"], "first": people["first_name"], "last": people["last_name"], "full": full,
        "cid": people["citizen_id"],
        "sex": pa.array(np.where(pc.equal(people["sex"], "M").to_numpy(zero_copy_only=False), "ชาย", "หญิง")),
        "birth": birth, "house_no": people["house_no"], "village_no": people["village_no"],
        "village_name": people["village_name"], "subdistrict": people["subdistrict_name"],
        "district": people["district_name"], "province": people["province_name"], "postal": people["postal_code"],
        "address": address,
    }
    return {h: pa.array(role_values[role], pa.string()) for h, role in _LAYOUTS[fmt].items()}


def change_rosters(people: pa.Table, rosters: list[tuple[str, str, pa.Table]], extract_a: pa.Table,
                   extract_b: pa.Table, seed: int) -> tuple[list[tuple[str, str, pa.Table]], list[str], list[str]]:
    """The next year's rosters: planted leavers removed, planted joiners appended to their subdistrict's fund.

    Returns (rosters, leaver person ids, joiner person ids), each list sorted.
    """
    rng = np.random.default_rng([seed, 5])
    followed, _, poor_b = _followed(extract_a, extract_b)
    followed_set = set(followed.tolist())
    lines: dict[str, int] = {}
    for _, _, t in rosters:
        for pid in t["_person_id"].to_pylist():
            if pid is not None:
                lines[pid] = lines.get(pid, 0) + 1
    truth_cid = dict(zip(people["person_id"].to_pylist(), people["citizen_id"].to_pylist(), strict=True))
    leavers: list[str] = []
    kept = []
    for fund, fmt, t in rosters:  # per fund: a Python loop over funds, the rows masked with arrow
        pids = t["_person_id"].to_pylist()
        cids = t[_cid_header(fmt)].to_pylist()
        clean = np.array([p is not None and lines.get(p) == 1 and p in followed_set and c == truth_cid.get(p)
                          and e == "accept" for p, c, e in zip(pids, cids, t["_expected"].to_pylist(), strict=True)])
        leave = clean & (rng.random(len(pids)) < YEAR2_RATES["member_leaves"])
        leavers += [p for p, out in zip(pids, leave, strict=True) if out]
        kept.append((fund, fmt, t.filter(pa.array(~leave))))
    poor_next = {p for p, poor in zip(followed.tolist(), poor_b.tolist(), strict=True) if poor}
    fund_of = {t["_subdistrict_code"][0].as_py(): i for i, (_, _, t) in enumerate(rosters)}
    pid = people["person_id"].to_numpy(zero_copy_only=False)
    area = people["subdistrict_code"].to_numpy(zero_copy_only=False)
    candidate = np.array([p not in lines and p in poor_next and a in fund_of for p, a in zip(pid, area, strict=True)])
    joins = candidate & (rng.random(len(pid)) < YEAR2_RATES["poor_joins"])
    joiners = sorted(pid[joins].tolist())
    out = []
    for i, (fund, fmt, t) in enumerate(kept):
        mine = np.flatnonzero(joins & (area == rosters[i][2]["_subdistrict_code"][0].as_py()))
        if len(mine):
            numbers = [int(x) for x in t[_member_header(fmt)].to_pylist() if x and str(x).isdigit()]
            cells = _joiner_cells(people.take(pa.array(mine)), fmt, max(numbers, default=0) + 1)
            truth = {"_person_id": pa.array(pid[mine], pa.string()), "_expected": pa.array(["accept"] * len(mine)),
                     "_id_number": pa.array([False] * len(mine)),
                     "_subdistrict_code": pa.array(area[mine], pa.string())}
            added = pa.table({f.name: (cells | truth)[f.name].cast(f.type) for f in t.schema})
            t = pa.concat_tables([t, added])
        out.append((fund, fmt, t))
    return out, sorted(leavers), joiners


def _member_header(fmt: str) -> str:
    return next(h for h, role in _LAYOUTS[fmt].items() if role == "member_no")


def transitions(extract_a: pa.Table, extract_b: pa.Table, leavers: list[str], joiners: list[str]) -> pa.Table:
    """One row per person followed across the two extracts, or planted as a joiner or leaver.

    Columns: person_id, subdistrict_code (the second year's), poor_a, poor_b (the household's flags) and
    member_change ('joined', 'left' or null).
    """
    followed, poor_a, poor_b = _followed(extract_a, extract_b)
    at = pc.index_in(pa.array(followed, pa.string()), value_set=extract_b["person_id"])
    change = {p: "joined" for p in joiners} | {p: "left" for p in leavers}
    return pa.table({
        "person_id": pa.array(followed, pa.string()),
        "subdistrict_code": extract_b["subdistrict_code"].take(at),
        "poor_a": pa.array(poor_a), "poor_b": pa.array(poor_b),
        "member_change": pa.array([change.get(p) for p in followed.tolist()], pa.string()),
    }).sort_by("person_id")
