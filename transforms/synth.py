"""Synthetic Thai people, welfare-fund rosters and a TPMAP-style extract, with the truth known.

Pure generation, no file I/O: `flows/sample.py` writes the files. Every column is built with numpy and
pyarrow over all rows at once, so a million households take seconds; Python loops run only over funds,
distinct titles or digits. The same (households, seed) always gives the same tables: the name corpora are
sorted before sampling and each stage draws from its own `numpy.random.default_rng([seed, stage])`.

Examples:
    >>> people = make_population(60, seed=1)
    >>> rosters = make_rosters(people, seed=1)      # [(fund_name, format, table of text cells), ...]
    >>> extract = make_poverty(people, seed=1)      # one row per person of a surveyed household
"""

from collections.abc import Callable
from functools import lru_cache

import geothai
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ROSTER_FORMATS", "ROSTER_RATES", "POVERTY_RATES", "SURVEY_YEAR_BE",
    "citizen_check_digit", "make_population", "make_rosters", "make_poverty",
]

SURVEY_YEAR_BE = 2567
# Buri Ram first (the MOU's province), then its Isan neighbours: larger samples spread outwards.
PROVINCE_ORDER = ("31", "32", "30", "33", "34", "36", "40", "44", "45", "46", "35", "37", "39", "41", "42",
                  "43")
HOUSEHOLDS_PER_PROVINCE = 120_000  # ~600 households a subdistrict: funds of a few hundred to ~1,000 members
HOUSEHOLD_SIZE_P = (0.14, 0.22, 0.24, 0.21, 0.12, 0.07)  # 1..6 people, mean ~3.1 (rural Isan)
VILLAGE_HEADS = ("โนน", "หนอง", "ดอน", "โคก", "ห้วย", "นา", "ป่า", "สวน", "ทุ่ง", "สระ", "หัว", "ตะแบก")
VILLAGE_TAILS = ("สูง", "ใหญ่", "แดง", "บัว", "ยาง", "ไผ่", "คำ", "ทอง", "กลาง", "ใหม่", "เก่า", "สำราญ",
                 "จาน", "มะค่า", "ขี้เหล็ก", "ตาล", "เจริญ", "ศรีสุข", "พัฒนา", "สะแก")
MALE_RANKS = ("จ.ส.อ.", "ร.ต.ท.", "พ.ต.อ.", "ดาบตำรวจ", "ว่าที่ร้อยตรี", "ดร.", "พ.ต.อ. ดร.", "ผศ.")
FEMALE_RANKS = ("ดร.", "ผศ.", "รศ.", "ว่าที่ร้อยตรีหญิง")

# Roster layouts, cycled over funds in subdistrict-code order (see flows/sample.py for the files).
ROSTER_FORMATS = ("utf8bom", "cp874", "xlsx", "fullname", "english")
# Share of roster rows given each difference (independent draws; see README of the sample).
ROSTER_RATES = {
    "maiden_surname": 0.40,  # of married women on a roster: the roster keeps her maiden name
    "title_glued": 0.08, "title_abbreviated": 0.30, "title_missing": 0.08,
    "name_typo": 0.03, "name_sound_alike": 0.04, "name_tone_dropped": 0.04,
    "sara_am_decomposed": 0.05, "zero_width_space": 0.02, "names_swapped": 0.015,
    "id_missing": 0.08, "id_dashes": 0.10, "id_spaces": 0.05, "id_thai_digits": 0.03,
    "id_excel_exponent": 0.02, "id_excel_dot_zero": 0.02, "id_digit_typo": 0.015, "id_transposed": 0.01,
    "id_as_number_in_xlsx": 0.40, "date_other_form": 0.20, "date_missing": 0.04, "date_thai_digits": 0.03,
    "duplicate_in_fund": 0.015, "duplicate_in_other_fund": 0.01,
    "no_name_row": 0.003, "impossible_date_row": 0.003,  # plus one blank row in every fund file
}
POVERTY_RATES = {
    "household_surveyed": 0.87, "title_abbreviated": 0.10, "name_typo": 0.01, "name_sound_alike": 0.01,
    "name_tone_dropped": 0.01, "sara_am_decomposed": 0.005, "id_missing": 0.01, "id_digit_typo": 0.005,
    "birth_year_missing": 0.01,
}
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.",
                    "ธ.ค.")


@lru_cache(maxsize=1)
def _corpora() -> tuple[pa.Array, pa.Array, pa.Array]:
    """Female, male and family names, sorted (the corpora are frozensets: set order is not reproducible)."""
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    def clean(names: frozenset[str]) -> pa.Array:
        return pa.array(sorted(n for n in names if "." not in n), pa.string())  # drops 'ป.เสฎฐวุฒิ'

    return clean(thai_female_names()), clean(thai_male_names()), clean(thai_family_names())


def citizen_check_digit(first12: np.ndarray) -> np.ndarray:
    """Check digits for an (n, 12) array of ID digits: (11 - sum(d_i * (14 - i)) mod 11) mod 10."""
    weights = np.arange(13, 1, -1)
    return (11 - (first12 @ weights) % 11) % 10


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Integers of exactly `width` digits as an (n, width) array of digits, most significant first.

    Read from the bytes of their decimal text: numpy's int64 division is ~20x slower at a million rows.
    """
    assert not len(values) or (values.min() >= 10 ** (width - 1) and values.max() < 10**width)
    text = pc.cast(pa.array(values, pa.int64()), pa.string())
    data = np.frombuffer(text.buffers()[2], np.uint8, count=len(values) * width)
    return data.reshape(len(values), width).astype(np.int64) - 48


def _areas(households: int, province_codes: list[str] | None, rng: np.random.Generator
           ) -> list[geothai.Subdistrict]:
    """The subdistricts the households live in, in code order.

    A big sample uses every subdistrict of its provinces; a small one a handful, always including two
    subdistricts that share a name (บ้านยาง, กระสัง...) so the address resolver meets the ambiguity.
    """
    if province_codes is None:
        n = min(len(PROVINCE_ORDER), -(-households // HOUSEHOLDS_PER_PROVINCE))
        province_codes = list(PROVINCE_ORDER[:n])
    areas = sorted(
        (s for p in province_codes for d in geothai.districts(p) for s in geothai.subdistricts(d.code)),
        key=lambda s: s.code,
    )
    wanted = max(6, households // 40)
    if wanted >= len(areas):
        return areas
    by_name: dict[str, list[int]] = {}
    for i, s in enumerate(areas):
        by_name.setdefault(s.name_th, []).append(i)
    pair = max(by_name.values(), key=len)[:2]
    rest = np.setdiff1d(np.arange(len(areas)), pair)
    picked = set(pair) | set(rng.choice(rest, wanted - len(pair), replace=False).tolist())
    return [areas[i] for i in sorted(picked)]


def _pick(n_names: int, n: int, rng: np.random.Generator, skew: float) -> np.ndarray:
    """n indexes into a name list; skew > 0 gives a Zipf-like popularity over a shuffled order."""
    if skew <= 0:
        return rng.integers(0, n_names, n)
    weights = 1.0 / (np.arange(n_names) + skew)
    order = rng.permutation(n_names)
    return order[rng.choice(n_names, n, p=weights / weights.sum())]


def make_population(households: int, seed: int, province_codes: list[str] | None = None) -> pa.Table:
    """One row per person of `households` households in real subdistricts, with DOPA codes and valid IDs.

    Household members share house code, address and (except married-in wives' maiden names) surname.
    Columns: person_id, house_code, house_no, village_no, village_name, subdistrict_code/_name,
    district_code/_name, province_code/_name, postal_code, citizen_id, title, first_name, last_name,
    maiden_name (married women only), sex (M/F), birth_date, birth_year_be, welfare_card, dim_health,
    dim_living, dim_education, dim_income, dim_access, poor.
    """
    rng = np.random.default_rng([seed, 1])
    areas = _areas(households, province_codes, rng)
    k = len(areas)
    # Households to subdistricts (uneven sizes), then to villages, sorted so codes come out in order.
    area_w = rng.gamma(4.0, 1.0, k)
    h_area = np.sort(np.r_[np.arange(min(k, households)),  # no subdistrict left empty
                           rng.choice(k, max(households - k, 0), p=area_w / area_w.sum())])
    villages_in = rng.integers(6, 21, k)
    h_village = (rng.random(households) * villages_in[h_area]).astype(np.int64) + 1
    order = np.lexsort((h_village, h_area))
    h_area, h_village = h_area[order], h_village[order]
    start = np.r_[0, np.flatnonzero((np.diff(h_area) != 0) | (np.diff(h_village) != 0)) + 1]
    in_village = np.arange(households) - np.repeat(start, np.diff(np.r_[start, households]))
    house_no = pc.cast(pa.array(in_village + 1), pa.string())
    slash = rng.random(households) < 0.15  # '12/3': a plot split off the original house number
    house_no = pc.if_else(pa.array(slash), pc.binary_join_element_wise(
        house_no, pc.cast(pa.array(rng.integers(1, 10, households)), pa.string()), "/"), house_no)
    # Village names: one per (subdistrict, village number), บ้าน + two parts.
    v_heads = rng.integers(0, len(VILLAGE_HEADS), (k, 21))
    v_tails = rng.integers(0, len(VILLAGE_TAILS), (k, 21))
    village_name = pc.binary_join_element_wise(
        "บ้าน", pa.array(VILLAGE_HEADS).take(pa.array(v_heads[h_area, h_village])),
        pa.array(VILLAGE_TAILS).take(pa.array(v_tails[h_area, h_village])), "")
    # House codes: district office (4 digits) + gappy running number (6) + a mod-11 check digit.
    district = np.array([int(s.district_code) for s in areas], np.int64)[h_area]
    d_start = np.r_[0, np.flatnonzero(np.diff(district) != 0) + 1]
    in_district = np.arange(households) - np.repeat(d_start, np.diff(np.r_[d_start, households]))
    first10 = district * 1_000_000 + 1 + in_district * 3 + rng.integers(0, 3, households)
    check = (11 - (_digits(first10, 10) @ np.arange(11, 1, -1)) % 11) % 10
    house_code = pc.cast(pa.array(first10 * 10 + check), pa.string())

    # People: head, spouse (80% of households of 2+), then children or an elderly parent.
    size = rng.choice(6, households, p=HOUSEHOLD_SIZE_P) + 1
    n = int(size.sum())
    hh = np.repeat(np.arange(households), size)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    has_spouse = ((size >= 2) & (rng.random(households) < 0.8))[hh]
    head_male = (rng.random(households) < 0.7)[hh]
    head_age = np.clip(rng.triangular(22, 52, 88, households).astype(np.int64), 22, 90)[hh]
    is_spouse = (pos == 1) & has_spouse
    male = np.where(pos == 0, head_male, np.where(is_spouse, ~head_male, rng.random(n) < 0.5))
    age = head_age - rng.integers(18, 38, n)
    age = np.where(age < 0, rng.integers(0, 6, n), age)
    elder = (pos >= 2) & (head_age < 55) & (rng.random(n) < 0.1)
    age = np.where(pos == 0, head_age, np.where(is_spouse, np.clip(head_age + rng.integers(-6, 5, n), 18, 95),
                                                   np.where(elder, head_age + rng.integers(22, 32, n), age)))
    widow = (pos == 0) & ~has_spouse & (age >= 45) & (rng.random(n) < 0.7)
    married_woman = ~male & ((pos <= 1) & has_spouse | widow)
    birth = np.datetime64("2024-06-30") - (age * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    birth_date = pa.array(birth.astype("datetime64[D]"), pa.date32())

    # Titles as indexes into one list (no Python string per person): the five common ones, then ranks.
    titles = pa.array(("นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง") + MALE_RANKS + FEMALE_RANKS)
    title_at = np.where(age < 15, np.where(male, 3, 4), np.where(male, 0, np.where(married_woman, 1, 2)))
    ranked = (age >= 25) & (rng.random(n) < np.where(male, 0.012, 0.003))
    rank_at = np.where(male, 5 + rng.integers(0, len(MALE_RANKS), n),
                       5 + len(MALE_RANKS) + rng.integers(0, len(FEMALE_RANKS), n))
    title = titles.take(pa.array(np.where(ranked, rank_at, title_at)))
    female_names, male_names, family_names = _corpora()
    # Given names: common ones are common; one take over male + female lists (a name can be in both).
    given = np.empty(n, np.int64)
    given[male] = _pick(len(male_names), int(male.sum()), rng, 60.0)
    given[~male] = len(male_names) + _pick(len(female_names), int((~male).sum()), rng, 60.0)
    first_name = pa.concat_arrays([male_names, female_names]).take(pa.array(given))
    surname = family_names.take(pa.array(_pick(len(family_names), households, rng, 0.0)[hh]))
    wives = np.flatnonzero(married_woman)
    maiden_at = np.full(n, -1, np.int64)
    maiden_at[wives] = _pick(len(family_names), len(wives), rng, 0.0)
    maiden = family_names.take(pa.array(maiden_at, mask=maiden_at < 0))

    # Citizen IDs: type 3 for people registered by 1984 (born before 2527 BE), else 1; office = a district
    # of the region (usually their own); 7-digit sequence from a bijection of the person index, so unique.
    year_be = pc.year(birth_date).to_numpy() + 543
    ptype = np.where(year_be < 2527, 3, 1)
    ptype = np.where(rng.random(n) < 0.01, rng.choice([2, 4, 5, 8], n), ptype)
    office = np.where(rng.random(n) < 0.8, district[hh], rng.choice(np.unique(district), n))
    mult = int(rng.integers(1_000_000, 9_999_999)) | 1
    mult += 2 if mult % 5 == 0 else 0  # odd and not a multiple of 5: invertible modulo 10**7
    seq = (np.arange(n, dtype=np.int64) * mult + int(rng.integers(0, 10**7))) % 10**7
    first12 = ptype * 10**11 + office * 10**7 + seq
    citizen_id = pc.cast(pa.array(first12 * 10 + citizen_check_digit(_digits(first12, 12))), pa.string())

    # Deprivation: household-level need drives living, income and access; health and education personal.
    need = rng.beta(1.2, 4.0, households)[hh]
    r = rng.random((5, n))
    dims = {
        "dim_health": r[0] < 0.03 + 0.15 * need + 0.002 * np.maximum(age - 60, 0),
        "dim_living": r[1] < 0.02 + 0.5 * need,
        "dim_education": (age >= 15) & (r[2] < 0.04 + 0.25 * need),
        "dim_income": r[3] < 0.05 + 0.45 * need,
        "dim_access": r[4] < 0.02 + 0.15 * need,
    }
    poor = np.logical_or.reduce(list(dims.values()))
    welfare = (age >= 18) & (rng.random(n) < np.where(poor, 0.6, 0.3))
    areas_t = {
        "subdistrict_code": [s.code for s in areas], "subdistrict_name": [s.name_th for s in areas],
        "district_code": [s.district_code for s in areas],
        "district_name": [geothai.district(s.district_code).name_th for s in areas],  # type: ignore[union-attr]
        "province_code": [s.province_code for s in areas],
        "province_name": [geothai.province(s.province_code).name_th for s in areas],  # type: ignore[union-attr]
        "postal_code": [s.postal_codes[0] for s in areas],
    }
    at = pa.array(h_area[hh])
    take_h = pa.array(hh)
    return pa.table({
        "person_id": pc.binary_join_element_wise("P", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)),
                                                                           pa.string()), 7, "0"), ""),
        "house_code": house_code.take(take_h),
        "house_no": house_no.take(take_h),
        "village_no": pc.cast(pa.array(h_village), pa.string()).take(take_h),
        "village_name": village_name.take(take_h),
        **{name: pa.array(vals, pa.string()).take(at) for name, vals in areas_t.items()},
        "citizen_id": citizen_id,
        "title": title,
        "first_name": first_name,
        "last_name": surname,
        "maiden_name": maiden,
        "sex": pa.array(np.where(male, "M", "F")),
        "birth_date": birth_date,
        "birth_year_be": pa.array(year_be.astype(np.int32)),
        "welfare_card": pa.array(welfare),
        **{name: pa.array(flag) for name, flag in dims.items()},
        "poor": pa.array(poor),
    })


# ---- Differences, applied to whole columns at once ---------------------------------------------------
# Strings become an (n, width) matrix of code points; an edit picks one eligible position per row.
_SOUND_ALIKE = {"ศ": "ส", "ษ": "ส", "ส": "ศ", "ณ": "น", "น": "ณ", "ธ": "ท", "ท": "ธ", "ภ": "พ", "พ": "ภ",
                "ญ": "ย", "ย": "ญ", "ร": "ล", "ล": "ร"}
_PARTNER = np.arange(0x0E80, dtype=np.uint32)
for _a, _b in _SOUND_ALIKE.items():
    _PARTNER[ord(_a)] = ord(_b)
Edit = Callable[[np.ndarray, np.random.Generator], np.ndarray]
_CONSONANTS = np.arange(0x0E01, 0x0E2F, dtype=np.uint32)
_TONES_KARAN = (0x0E48, 0x0E49, 0x0E4A, 0x0E4B, 0x0E4C)


def _codes(values: pa.Array) -> np.ndarray:
    width = max(1, pc.max(pc.utf8_length(values)).as_py() or 1)
    text = values.to_numpy(zero_copy_only=False).astype(f"U{width}")
    return text.view(np.uint32).reshape(len(values), width)


def _text(codes: np.ndarray) -> pa.Array:
    return pa.array(np.ascontiguousarray(codes).view(f"U{codes.shape[1]}").ravel(), pa.string())


def _choose_cols(eligible: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One random eligible column per row that has any: (rows, cols)."""
    score = np.where(eligible, rng.random(eligible.shape), -1.0)
    rows = np.flatnonzero(eligible.any(axis=1))
    return rows, score.argmax(axis=1)[rows]


def _remove(codes: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    keep = np.ones(codes.shape, bool)
    keep[rows, cols] = False
    order = np.argsort(~keep, axis=1, kind="stable")  # kept characters first, in their order
    out = np.take_along_axis(codes, order, axis=1)
    out[~np.take_along_axis(keep, order, axis=1)] = 0
    return out


def _typo(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half the rows lose a character, half have a consonant replaced by another."""
    drop = rng.random(len(codes)) < 0.5
    rows, cols = _choose_cols((codes != 0) & drop[:, None], rng)
    codes = _remove(codes, rows, cols)
    rows, cols = _choose_cols((codes >= 0x0E01) & (codes <= 0x0E2E) & ~drop[:, None], rng)
    codes[rows, cols] = _CONSONANTS[(codes[rows, cols] - 0x0E01 + rng.integers(1, 46, len(rows))) % 46]
    return codes


def _sound_alike(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    partner = np.where(codes < 0x0E80, _PARTNER[np.minimum(codes, 0x0E7F)], codes)
    rows, cols = _choose_cols(partner != codes, rng)
    codes[rows, cols] = partner[rows, cols]
    return codes


def _drop_tone(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _remove(codes, *_choose_cols(np.isin(codes, _TONES_KARAN), rng))


def _thai_digits(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.where((codes >= 0x30) & (codes <= 0x39), codes + (0x0E50 - 0x30), codes).astype(np.uint32)


def _digit_typo(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    rows, cols = _choose_cols((codes >= 0x30) & (codes <= 0x39), rng)
    codes[rows, cols] = 0x30 + (codes[rows, cols] - 0x30 + rng.integers(1, 10, len(rows))) % 10
    return codes


def _transpose(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    rows, cols = _choose_cols(np.c_[codes[:, :-1] != codes[:, 1:], np.zeros(len(codes), bool)]
                              & (codes != 0) & np.c_[codes[:, 1:] != 0, np.zeros(len(codes), bool)], rng)
    codes[rows, cols], codes[rows, cols + 1] = codes[rows, cols + 1], codes[rows, cols].copy()
    return codes


def _edit(values: pa.Array, mask: np.ndarray, how: Edit, rng: np.random.Generator) -> pa.Array:
    """Apply a code-matrix edit to the masked, non-null rows of a string column."""
    mask = mask & _valid(values)
    if not mask.any():
        return values
    changed = _text(how(_codes(values.filter(pa.array(mask))), rng))
    return pc.replace_with_mask(values, pa.array(mask), changed)


def _valid(values: pa.Array) -> np.ndarray:
    return pc.is_valid(values).to_numpy(zero_copy_only=False)


def _where(mask: np.ndarray, yes: pa.Array | str | None, no: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), yes if isinstance(yes, pa.Array) else pa.scalar(yes, pa.string()), no)


def _name_noise(first: pa.Array, last: pa.Array, rates: dict[str, float], rng: np.random.Generator
                ) -> tuple[pa.Array, pa.Array]:
    """Typos, sound-alike consonants, dropped tone marks and decomposed sara am, independently per name."""
    n = len(first)
    out = []
    for col in (first, last):
        col = _edit(col, rng.random(n) < rates["name_typo"], _typo, rng)
        col = _edit(col, rng.random(n) < rates["name_sound_alike"], _sound_alike, rng)
        col = _edit(col, rng.random(n) < rates["name_tone_dropped"], _drop_tone, rng)
        decompose = (rng.random(n) < rates["sara_am_decomposed"]) & _valid(col)
        if decompose.any():  # only the chosen rows: the replace would otherwise run over every name
            mask = pa.array(decompose)
            col = pc.replace_with_mask(col, mask, pc.replace_substring(col.filter(mask), "ำ", "\u0e4d\u0e32"))
        out.append(col)
    return out[0], out[1]


def _abbreviated(titles: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Titles as volunteers shorten them: น.ส./นส./นส, ด.ช./ดช., ranks without their dots."""
    forms = {"นางสาว": ("น.ส.", "นส.", "นส"), "เด็กชาย": ("ด.ช.", "ดช."), "เด็กหญิง": ("ด.ญ.", "ดญ."),
             "ว่าที่ร้อยตรี": ("ว่าที่ ร.ต.",), "ดาบตำรวจ": ("ด.ต.",), "จ.ส.อ.": ("จสอ.",),
             "ร.ต.ท.": ("รตท.",), "พ.ต.อ.": ("พตอ.",), "พ.ต.อ. ดร.": ("พ.ต.อ.ดร.", "พตอ.ดร.")}
    out = titles
    pick = rng.integers(0, 6, len(titles))
    for full, short in forms.items():
        is_t = pc.equal(titles, full).to_numpy(zero_copy_only=False)
        if is_t.any():
            out = pc.if_else(pa.array(is_t), pa.array(short).take(pa.array(pick % len(short))), out)
    return out


def _id_noise(ids: pa.Array, rates: dict[str, float], rng: np.random.Generator) -> pa.Array:
    """Typed and Excel-mangled forms of 13-digit IDs: one kind per row, then some missing."""
    n = len(ids)
    kinds = ("id_dashes", "id_spaces", "id_thai_digits", "id_excel_exponent", "id_excel_dot_zero",
             "id_digit_typo", "id_transposed")
    p = np.array([rates.get(k, 0.0) for k in kinds])
    kind = rng.choice(len(kinds) + 1, n, p=np.r_[p, 1 - p.sum()])
    parts = [pc.utf8_slice_codeunits(ids, a, b) for a, b in ((0, 1), (1, 5), (5, 10), (10, 12), (12, 13))]
    ids = _where(kind == 0, pc.binary_join_element_wise(*parts, "-"), ids)
    ids = _where(kind == 1, pc.binary_join_element_wise(*parts, " "), ids)
    ids = _edit(ids, kind == 2, _thai_digits, rng)
    # Excel shows a 13-digit number as 3.10120034567E+12: the check digit is lost in the export.
    exp = pc.binary_join_element_wise(parts[0], ".", pc.utf8_slice_codeunits(ids, 1, 12), "E+12", "")
    ids = _where(kind == 3, exp, ids)
    ids = _where(kind == 4, pc.binary_join_element_wise(ids, ".0", ""), ids)
    ids = _edit(ids, kind == 5, _digit_typo, rng)
    ids = _edit(ids, kind == 6, _transpose, rng)
    return _where(rng.random(n) < rates["id_missing"], None, ids)


def _columns(table: pa.Table) -> dict[str, pa.Array]:
    return {name: table.column(name).combine_chunks() for name in table.column_names}


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _date_text(birth: pa.Array, form: np.ndarray) -> pa.Array:
    """Birth dates as typed: 0 '05/01/2510', 1 '5 ม.ค. 2510', 2 '5 มกราคม พ.ศ. 2510', 3 ISO CE 1967-01-05."""
    day, month = pc.day(birth), pc.subtract(pc.month(birth), 1)
    year = pc.cast(pc.add(pc.year(birth), 543), pa.string())
    day_s = pc.cast(day, pa.string())
    slash = _join(pc.utf8_lpad(day_s, 2, "0"), pc.utf8_lpad(pc.cast(pc.add(month, 1), pa.string()), 2, "0"),
                  year, sep="/")
    abbr = _join(day_s, pa.array(THAI_MONTHS_ABBR).take(month), year, sep=" ")
    full = _join(day_s, pa.array(THAI_MONTHS).take(month), "พ.ศ.", year, sep=" ")
    return pc.choose(pa.array(form), slash, abbr, full, pc.cast(birth, pa.string()))


def _fund_members(people: pa.Table, rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fund subdistricts, and (person index, fund index) of every roster row, ordered by fund.

    About 60% of subdistricts have a fund (at least one per roster format). Adults join twice as often as
    children; the joining share is set so roster rows come to about 0.9 x households, which makes funds of
    a few hundred to ~1,000 members at scale. Some members appear twice in their fund or in a second one.
    """
    codes = sorted(pc.unique(people["subdistrict_code"]).to_pylist())
    n_funds = max(min(len(codes), len(ROSTER_FORMATS)), round(0.6 * len(codes)))
    fund_codes = sorted(rng.choice(codes, n_funds, replace=False).tolist())
    fund_of = pc.index_in(people["subdistrict_code"], value_set=pa.array(fund_codes))
    fund_of = pc.fill_null(fund_of, -1).to_numpy()
    weight = np.where(SURVEY_YEAR_BE - people["birth_year_be"].to_numpy() >= 18, 1.0, 0.5) * (fund_of >= 0)
    households = len(pc.unique(people["house_code"]))
    extra = ROSTER_RATES["duplicate_in_fund"] + ROSTER_RATES["duplicate_in_other_fund"]
    share = 0.9 * households / (1 + extra) / max(weight.sum(), 1.0)
    person = np.flatnonzero(rng.random(len(weight)) < np.minimum(0.95, share * weight))
    lonely = np.setdiff1d(np.arange(n_funds), fund_of[person])  # tiny samples: no fund without members
    person = np.sort(np.r_[person, [np.flatnonzero(fund_of == f)[0] for f in lonely]]).astype(np.int64)
    fund = fund_of[person]
    again = rng.random(len(person)) < ROSTER_RATES["duplicate_in_fund"]
    moved = (rng.random(len(person)) < ROSTER_RATES["duplicate_in_other_fund"]) & (n_funds > 1)
    other = (fund + rng.integers(1, max(n_funds, 2), len(person))) % n_funds
    person = np.r_[person, person[again], person[moved]]
    fund = np.r_[fund, fund[again], other[moved]]
    order = np.lexsort((rng.random(len(person)), fund))
    return fund_codes, person[order], fund[order]


def make_rosters(population: pa.Table, seed: int) -> list[tuple[str, str, pa.Table]]:
    """Fund rosters as volunteers type them: [(fund_name, format, table of text cells)], one per fund.

    Each table holds the format's own headers (see `_LAYOUTS`) plus truth columns the writer drops:
    `_person_id` (null for a blank row), `_expected` ('accept', 'blank_row', 'no_name', 'accept_unreadable_date'),
    `_id_number` (write the ID cell as a number, as Excel would, in XLSX files) and `_subdistrict_code`.
    """
    rng = np.random.default_rng([seed, 2])
    rates = ROSTER_RATES
    fund_codes, person, fund = _fund_members(population, rng)
    r = _columns(population.take(pa.array(person)))
    m = len(person)
    fmt = (fund % len(ROSTER_FORMATS))
    u = lambda: rng.random(m)  # noqa: E731 - one fresh uniform draw per row

    maiden = (u() < rates["maiden_surname"]) & _valid(r["maiden_name"])
    last = _where(maiden, r["maiden_name"], r["last_name"])
    first, last = _name_noise(r["first_name"], last, rates, rng)
    swap = u() < rates["names_swapped"]
    first, last = _where(swap, last, first), _where(swap, first, last)
    first = _where(u() < rates["zero_width_space"], _join(first, "\u200b"), first)
    title = _where(u() < rates["title_abbreviated"], _abbreviated(r["title"], rng), r["title"])
    title = _where(u() < rates["title_missing"], None, title)
    glued = (u() < rates["title_glued"]) & _valid(title)
    first = _where(glued, _join(title, first), first)
    title = _where(glued, None, title)
    # The combined column: title glued or spaced, or left out; now and then two spaces before the surname.
    lead = _where(u() < 0.6, pc.fill_null(title, ""), _join(pc.fill_null(title, ""), " "))
    lead = _where(pc.is_null(title).to_numpy(zero_copy_only=False), "", lead)
    full = _join(lead, first, _where(u() < 0.1, "  ", pa.array([" "] * m)), last)

    cid = _id_noise(r["citizen_id"], rates, rng)
    plain = pc.match_substring_regex(pc.fill_null(cid, ""), r"^\d{13}$").to_numpy(zero_copy_only=False)
    id_number = plain & (fmt == 2) & (u() < rates["id_as_number_in_xlsx"])
    usual = np.array([0, 1, 2, 0, 3])[fmt]  # utf8bom slash, cp874 abbreviated, xlsx full, ...
    form = np.where(u() < rates["date_other_form"], rng.integers(0, 3, m), usual)
    birth = _date_text(r["birth_date"], form)
    birth = _edit(birth, (u() < rates["date_thai_digits"]) & (form != 3), _thai_digits, rng)
    birth = _where(u() < rates["date_missing"], None, birth)

    mueang = pc.starts_with(r["district_name"], "เมือง").to_numpy(zero_copy_only=False)
    district = _where(mueang & (u() < 0.4), "เมือง", r["district_name"])
    village_no = _edit(r["village_no"], u() < 0.03, _thai_digits, rng)
    subdistrict = _where(u() < 0.05, _join("ต.", r["subdistrict_name"]), r["subdistrict_name"])
    postal = _where(u() < 0.1, None, r["postal_code"])
    free = pa.array(fmt == ROSTER_FORMATS.index("fullname"))  # only these files have the ที่อยู่ column
    parts = {k: r[k].filter(free) for k in ("house_no", "village_no", "village_name", "subdistrict_name",
                                            "province_name")}
    address = pc.replace_with_mask(pa.nulls(m, pa.string()), free,
                                   _address_text(parts, district.filter(free), postal.filter(free), rng))

    # Deliberately bad rows, at a low rate, and at least one of each kind in the first funds.
    no_name = u() < rates["no_name_row"]
    bad_date = (u() < rates["impossible_date_row"]) & ~no_name
    starts = np.searchsorted(fund, np.arange(len(fund_codes) + 1))  # every fund has a member
    firsts = starts[:-1]
    forced = firsts[:2] + (rng.random(min(2, len(firsts))) * np.diff(starts)[:2]).astype(np.int64)
    no_name[forced[0]] = True
    if len(forced) > 1:
        bad_date[forced[1]], no_name[forced[1]] = True, False
    first, last, full, title = (_where(no_name, None, c) for c in (first, last, full, title))
    impossible = _join(_str(rng.choice(np.array(["30", "31"]), m)), "02",
                       _str(r["birth_year_be"].to_numpy()), sep="/")
    birth = _where(bad_date, impossible, birth)
    # A row with an impossible date still names a person: accepted, its date nulled and flagged (issue 13).
    expected = np.where(no_name, "no_name", np.where(bad_date, "accept_unreadable_date", "accept"))

    member_no = _str(np.arange(m) - np.repeat(firsts, np.diff(starts)) + 1)
    cells = {
        "member_no": member_no, "title": title, "first": first, "last": last, "full": full, "cid": cid,
        "sex": pa.array(np.where(pc.equal(r["sex"], "M").to_numpy(zero_copy_only=False), "ชาย", "หญิง")),
        "birth": birth, "house_no": r["house_no"], "village_no": village_no,
        "village_name": r["village_name"],
        "subdistrict": subdistrict, "district": district, "province": r["province_name"], "postal": postal,
        "address": address, "_person_id": r["person_id"], "_expected": pa.array(expected),
        "_id_number": pa.array(id_number),
    }
    # Names of each fund's area, from the first person living there (people are sorted by subdistrict).
    area = pc.cast(population["subdistrict_code"], pa.int64()).to_numpy()
    first_in = np.searchsorted(area, np.array(fund_codes, np.int64))
    names = population.select(["subdistrict_name", "district_name", "province_name"]).take(pa.array(first_in))
    cells["_subdistrict_code"] = pa.array(fund_codes, pa.string()).take(pa.array(fund))
    out = []
    for i, code in enumerate(fund_codes):
        a, b = int(starts[i]), int(starts[i + 1])
        fmt_name = ROSTER_FORMATS[i % len(ROSTER_FORMATS)]
        layout = _LAYOUTS[fmt_name]
        table = pa.table({h: cells[c].slice(a, b - a) for h, c in layout.items()}
                         | {k: cells[k].slice(a, b - a) for k in _TRUTH_COLUMNS})
        if b - a >= 2:  # a blank row somewhere inside (a trailing one would vanish from a workbook)
            at = int(rng.integers(1, b - a))
            truth = {"_expected": "blank_row", "_id_number": False, "_subdistrict_code": code}
            blank = pa.table({f.name: pa.array([truth.get(f.name)], f.type) for f in table.schema})
            table = pa.concat_tables([table.slice(0, at), blank, table.slice(at)])
        name, district_name, province = (names[c][i].as_py() for c in names.column_names)
        out.append((f"กองทุนสวัสดิการชุมชนตำบล{name} อำเภอ{district_name} จังหวัด{province}", fmt_name, table))
    return out


_TRUTH_COLUMNS = ("_person_id", "_expected", "_id_number", "_subdistrict_code")
_LAYOUTS: dict[str, dict[str, str]] = {
    "utf8bom": {"เลขที่สมาชิก": "member_no", "คำนำหน้า": "title", "ชื่อ": "first", "นามสกุล": "last",
                "เลขประจำตัวประชาชน": "cid", "เพศ": "sex", "วันเกิด": "birth", "บ้านเลขที่": "house_no",
                "หมู่ที่": "village_no", "ตำบล": "subdistrict", "อำเภอ": "district", "จังหวัด": "province",
                "รหัสไปรษณีย์": "postal"},
    "cp874": {"ลำดับสมาชิก": "member_no", "คำนำหน้าชื่อ": "title", "ชื่อ": "first", "นามสกุล": "last",
              "เลขบัตรประชาชน": "cid", "วันเดือนปีเกิด": "birth", "บ้านเลขที่": "house_no", "หมู่": "village_no",
              "ตำบล": "subdistrict", "อำเภอ": "district", "จังหวัด": "province"},
    "xlsx": {"เลขที่สมาชิก": "member_no", "คำนำหน้า": "title", "ชื่อ": "first", "นามสกุล": "last",
             "เลขประจำตัวประชาชน 13 หลัก": "cid", "เพศ": "sex", "วัน/เดือน/ปีเกิด": "birth",
             "บ้านเลขที่": "house_no", "หมู่ที่": "village_no", "ชื่อหมู่บ้าน": "village_name",
             "ตำบล": "subdistrict", "อำเภอ": "district", "จังหวัด": "province", "รหัสไปรษณีย์": "postal"},
    "fullname": {"เลขที่สมาชิก": "member_no", "ชื่อ-สกุล": "full", "เลขประจำตัวประชาชน": "cid",
                 "วันเดือนปีเกิด": "birth", "ที่อยู่": "address"},
    "english": {"member_no": "member_no", "title": "title", "first_name": "first", "last_name": "last",
                "citizen_id": "cid", "sex": "sex", "birth_date": "birth", "house_no": "house_no",
                "moo": "village_no", "tambon": "subdistrict", "amphoe": "district", "changwat": "province",
                "postcode": "postal"},
}


def _address_text(r: dict[str, pa.Array], district: pa.Array, postal: pa.Array, rng: np.random.Generator
                  ) -> pa.Array:
    """One free-text address: '12/3 ม.4 บ้านโนนสูง ต.ในเมือง อ.เมือง จ.บุรีรัมย์ 31000', in varied forms."""
    m = len(district)

    def prefixed(options: tuple[str, ...], value: pa.Array) -> pa.Array:
        return _join(pa.array(options).take(pa.array(rng.integers(0, len(options), m))), value)

    parts = [
        r["house_no"],
        prefixed(("ม.", "ม. ", "หมู่ ", "หมู่ที่ "), r["village_no"]),
        _where(rng.random(m) < 0.5, r["village_name"], pa.array([""] * m)),
        prefixed(("ต.", "ต.", "ตำบล", ""), r["subdistrict_name"]),
        prefixed(("อ.", "อ.", "อำเภอ", ""), district),
        prefixed(("จ.", "จ.", "จังหวัด", ""), r["province_name"]),
        pc.fill_null(postal, ""),
    ]
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(_join(*parts, sep=" "), "  +", " "))
    return _edit(text, rng.random(m) < 0.1, _thai_digits, rng)


def make_poverty(population: pa.Table, seed: int, survey_year: int = SURVEY_YEAR_BE) -> pa.Table:
    """The TPMAP-style extract: every person of the surveyed households (~87%), milder differences.

    Returns English canonical columns (all text, flags '0'/'1', sex ชาย/หญิง, birth year BE) plus
    `person_id` and `file_part` (0 = the CSV, 1 = the Parquet file; districts alternate between them).
    `survey_year` only changes that column (a next year's extract: transforms/synth_year2.py): the same people
    are surveyed, with the same differences, whatever the year.
    """
    rng = np.random.default_rng([seed, 3])
    rates = POVERTY_RATES
    # People are sorted by house code, so a household is a run of equal codes.
    house = pc.cast(population["house_code"], pa.int64()).to_numpy()
    household = np.r_[0, np.cumsum(house[1:] != house[:-1])]
    surveyed = rng.random(int(household[-1]) + 1 if len(house) else 0) < rates["household_surveyed"]
    wanted = ["person_id", "house_code", "house_no", "village_no", "village_name", "subdistrict_code",
              "subdistrict_name", "district_code", "district_name", "province_name", "citizen_id", "title",
              "first_name", "last_name", "sex", "birth_year_be", "welfare_card", "dim_health", "dim_living",
              "dim_education", "dim_income", "dim_access"]
    p = _columns(population.select(wanted).take(pa.array(np.flatnonzero(surveyed[household]))))
    n = len(p["person_id"])
    first, last = _name_noise(p["first_name"], p["last_name"], rates, rng)
    title = _where(rng.random(n) < rates["title_abbreviated"], _abbreviated(p["title"], rng), p["title"])
    cid = _edit(p["citizen_id"], rng.random(n) < rates["id_digit_typo"], _digit_typo, rng)
    cid = _where(rng.random(n) < rates["id_missing"], None, cid)
    year = _where(rng.random(n) < rates["birth_year_missing"], None, pc.cast(p["birth_year_be"], pa.string()))
    districts = sorted(pc.unique(p["district_code"]).to_pylist())
    key = p["district_code"] if len(districts) > 1 else p["subdistrict_code"]
    rank = pc.index_in(key, value_set=pa.array(sorted(pc.unique(key).to_pylist()))).to_numpy()
    return pa.table({
        "person_id": p["person_id"], "file_part": pa.array((rank % 2).astype(np.int8)),
        "house_code": p["house_code"], "house_no": p["house_no"], "village_no": p["village_no"],
        "village_name": p["village_name"], "subdistrict_code": p["subdistrict_code"],
        "subdistrict": p["subdistrict_name"], "district": p["district_name"], "province": p["province_name"],
        "citizen_id": cid, "title": title, "first_name": first, "last_name": last,
        "sex": pa.array(np.where(pc.equal(p["sex"], "M").to_numpy(zero_copy_only=False), "ชาย", "หญิง")),
        "birth_year": year, "welfare_card": pc.if_else(p["welfare_card"], "1", "0"),
        "survey_year": pa.array([str(survey_year)] * n),
        **{d: pc.if_else(p[d], "1", "0") for d in ("dim_health", "dim_living", "dim_education", "dim_income",
                                                  "dim_access")},
    })
