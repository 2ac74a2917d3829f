"""Contracts of the marts that planners read, with the Thai headers used in the XLSX workbook.

Marts carry a pseudonymous `person_key` (transforms/pseudonym.py), never a citizen ID or a name. The restricted
tables (raw_*, stg_*, std_*, lkp_*, int_*) keep raw identifiers; an authorised officer holding the warehouse resolves
a key there (see docs/planners.md). Dimension flags are the household's: a person is poor in a dimension when any
record of their household (same house code) is flagged; an unknown flag counts as not poor.
"""

from schemas.contracts import Column, Contract

DIMENSIONS: dict[str, str] = {
    "health": "สุขภาพ",
    "living": "ความเป็นอยู่",
    "education": "การศึกษา",
    "income": "รายได้",
    "access": "การเข้าถึงบริการรัฐ",
}
LEVELS = ("province", "district", "subdistrict", "village")
MATCH_METHODS = ("exact_id", "id_typo", "clerical", "probabilistic", "unlinked")
# The linked methods fund_summary counts, one linked_<method> column each, in this order.
LINKED_METHODS = MATCH_METHODS[:-1]

_PERSON_KEY = Column(
    "person_key", "VARCHAR",
    "Pseudonymous person key (keyed HMAC-SHA256 of the citizen ID, or of the record's lineage when the ID is "
    "missing or invalid); the same person has the same key in every mart",
    nullable=False,
)


def _area(nullable: bool = True) -> tuple[Column, ...]:
    return (
        Column("province_code", "VARCHAR", "DOPA province code (2 digits); the Parquet partition", nullable),
        Column("district_code", "VARCHAR", "DOPA district code (4 digits)"),
        Column("subdistrict_code", "VARCHAR", "DOPA subdistrict code (6 digits)"),
    )


def _area_names() -> tuple[Column, ...]:
    return (
        Column("province_name", "VARCHAR", "Province name (DOPA, Thai)"),
        Column("district_name", "VARCHAR", "District name (DOPA, Thai)"),
        Column("subdistrict_name", "VARCHAR", "Subdistrict name (DOPA, Thai)"),
    )


def _dims(description: str) -> tuple[Column, ...]:
    return tuple(Column(f"dim_{d}", "BOOLEAN", description.format(dim=d)) for d in DIMENSIONS)


def _poverty_status(nullable: bool) -> tuple[Column, ...]:
    n = " (null when the member is not linked)" if nullable else ""
    return (
        *_dims("Household poor in {dim}" + n),
        Column("poor_dimensions", "INTEGER", "Number of dimensions the household is poor in" + n, nullable),
        Column("is_poor", "BOOLEAN", "Poor in at least one dimension" + n, nullable),
        Column("welfare_card", "BOOLEAN", "Holds a state welfare card (null when unknown)"),
        Column("target_poor", "BOOLEAN", "Target poor: poor in at least one dimension AND a welfare card" + n,
               nullable),
        Column("survey_year", "INTEGER", "Poverty survey year (BE)"),
    )


MEMBER_POVERTY = Contract(
    "member_poverty",
    "Each accepted fund member (roster row) with the linked poverty person and household: dimension flags, "
    "welfare card, target-poor status. Pseudonymous: no ID, no name.",
    (
        *_area(),
        Column("village_no", "VARCHAR", "Village number (หมู่): the poverty record's when linked, else the roster's"),
        Column("fund", "VARCHAR", "Fund (roster fund name, else the roster file name without extension)", False),
        _PERSON_KEY,
        Column("linked", "BOOLEAN", "Linked to a poverty record", False),
        Column("match_method", "VARCHAR", "How the link was made, or 'unlinked'", False),
        Column("match_score", "DOUBLE", "Match probability (1.0 for ID tiers; null when unlinked)"),
        Column("roster_duplicate", "BOOLEAN", "The same person appears in more than one roster row", False),
        Column("house_code", "VARCHAR", "House code (รหัสประจำบ้าน) of the linked household"),
        *_poverty_status(nullable=True),
    ),
)

POOR_NOT_IN_FUND = Contract(
    "poor_not_in_fund",
    "Outreach list: people of poor households, in subdistricts that have a fund, linked to no roster record; one "
    "row per person, by subdistrict and village. Find them by house code and village; names stay restricted.",
    (
        *_area(nullable=False),
        *_area_names(),
        Column("village_no", "VARCHAR", "Village number (หมู่)"),
        Column("house_code", "VARCHAR", "House code (รหัสประจำบ้าน): how an outreach worker finds the household"),
        _PERSON_KEY,
        Column("funds", "VARCHAR", "Funds with members in this subdistrict, '; '-separated", False),
        *_poverty_status(nullable=False),
    ),
    unique_together=(("person_key",),),
)


def _coverage_counts() -> tuple[Column, ...]:
    cols: list[Column] = [
        Column("poor_people", "BIGINT", "People of poor households (distinct person keys)", False),
        Column("poor_members", "BIGINT", "Of those, fund members (linked to a roster record)", False),
        Column("coverage_rate", "DOUBLE", "poor_members / poor_people, 4 decimals (null when no poor people)"),
        Column("target_poor_people", "BIGINT", "Target poor people", False),
        Column("target_poor_members", "BIGINT", "Target poor people who are fund members", False),
        Column("target_coverage_rate", "DOUBLE", "target_poor_members / target_poor_people"),
    ]
    for d in DIMENSIONS:
        cols += [
            Column(f"poor_{d}", "BIGINT", f"People of households poor in {d}", False),
            Column(f"members_{d}", "BIGINT", f"Of those, fund members ({d})", False),
            Column(f"coverage_{d}", "DOUBLE", f"members_{d} / poor_{d}"),
        ]
    return tuple(cols)


COVERAGE = Contract(
    "coverage",
    "Coverage of poor people by fund membership, per province, district, subdistrict and village; overall, for "
    "the target poor, and per dimension.",
    (
        Column("level", "VARCHAR", "province / district / subdistrict / village", False, accepted=LEVELS),
        *_area(nullable=False),
        Column("village_no", "VARCHAR", "Village number (หมู่) at the village level"),
        *_area_names(),
        Column("has_fund", "BOOLEAN", "A fund has members living in this area", False),
        *_coverage_counts(),
    ),
    unique_together=(("level", "province_code", "district_code", "subdistrict_code", "village_no"),),
)

FUND_SUMMARY = Contract(
    "fund_summary",
    "One row per fund: members, linked and unlinked, by match method, duplicates, poor members overall and by "
    "dimension.",
    (
        Column("province_code", "VARCHAR", "The fund's province: where most of its members live"),
        Column("district_code", "VARCHAR", "The fund's district: where most of its members live"),
        Column("subdistrict_code", "VARCHAR", "The fund's subdistrict: where most of its members live"),
        Column("fund", "VARCHAR", "Fund name", False, unique=True),
        Column("members", "BIGINT", "Accepted roster rows", False),
        Column("distinct_people", "BIGINT", "Distinct person keys among them", False),
        Column("linked", "BIGINT", "Rows linked to a poverty record", False),
        Column("unlinked", "BIGINT", "Rows linked to no poverty record", False),
        Column("linked_exact_id", "BIGINT", "Linked by equal valid citizen ID", False),
        Column("linked_id_typo", "BIGINT", "Linked by an ID one typo apart with agreeing names", False),
        Column("linked_clerical", "BIGINT", "Linked because a reviewer accepted the pair (review queue)", False),
        Column("linked_probabilistic", "BIGINT", "Linked by the probabilistic model", False),
        Column("duplicates", "BIGINT", "Rows whose person appears in more than one roster row", False),
        Column("poor_members", "BIGINT", "Linked rows of poor households", False),
        Column("target_poor_members", "BIGINT", "Linked rows that are target poor", False),
        *(Column(f"poor_{d}", "BIGINT", f"Linked rows of households poor in {d}", False) for d in DIMENSIONS),
        # What the fund's fix list (fix_lists/<fund>.xlsx, restricted) asks it to correct: counts of roster lines,
        # null only for a warehouse without staged roster rows to count from.
        Column("fix_lines", "BIGINT", "Roster lines in the fund's fix list (anything to correct)"),
        Column("fix_quarantined", "BIGINT", "Lines quarantined that may be a person (no name, above the header)"),
        Column("fix_citizen_id", "BIGINT", "Lines whose citizen ID could not be read (check digit, length, Excel)"),
        Column("fix_birth_date", "BIGINT", "Lines whose birth date or age could not be read"),
        Column("fix_address", "BIGINT", "Lines whose written address is unresolved or ambiguous"),
    ),
)

MARTS: tuple[Contract, ...] = (MEMBER_POVERTY, POOR_NOT_IN_FUND, COVERAGE, FUND_SUMMARY)

POVERTY_CHANGES = ("still_poor", "newly_poor", "no_longer_poor", "poor_new_to_survey", "poor_not_surveyed")
MEMBERSHIP_CHANGES = ("joined", "left", "stayed")
# Not a run's mart: `saphan compare RUN_A RUN_B` builds it from two runs (transforms/change_sql.py).
POVERTY_CHANGE = Contract(
    "poverty_change",
    "Change between two runs (e.g. last year's extract and this year's), one row per person followed by a key "
    "made from a valid citizen ID who is poor or a fund member in either run. Pseudonymous: no ID, no name.",
    (
        Column("province_code", "VARCHAR", "DOPA province code: the second run's area when the person is in it"),
        Column("district_code", "VARCHAR", "DOPA district code (same source as the province)"),
        Column("subdistrict_code", "VARCHAR", "DOPA subdistrict code (same source as the province)"),
        Column("village_no", "VARCHAR", "Village number (หมู่), same source"),
        _PERSON_KEY,
        Column("surveyed_a", "BOOLEAN", "In the first run's poverty extract", False),
        Column("poor_a", "BOOLEAN", "Household poor in at least one dimension in the first run (null: not surveyed)"),
        Column("member_a", "BOOLEAN", "A fund member (a roster line) in the first run", False),
        Column("surveyed_b", "BOOLEAN", "In the second run's poverty extract", False),
        Column("poor_b", "BOOLEAN", "Household poor in at least one dimension in the second run (null: not surveyed)"),
        Column("member_b", "BOOLEAN", "A fund member (a roster line) in the second run", False),
        Column("poverty_change", "VARCHAR", "still_poor, newly_poor, no_longer_poor, poor_new_to_survey, "
               "poor_not_surveyed; null when poor in neither run", accepted=POVERTY_CHANGES),
        Column("membership_change", "VARCHAR", "joined, left, stayed; null when a member in neither run",
               accepted=MEMBERSHIP_CHANGES),
    ),
    unique_together=(("person_key",),),
)

# Thai column headers for the XLSX workbook and the HTML report.
THAI_HEADERS: dict[str, str] = {
    "level": "ระดับพื้นที่",
    "province_code": "รหัสจังหวัด",
    "district_code": "รหัสอำเภอ",
    "subdistrict_code": "รหัสตำบล",
    "province_name": "จังหวัด",
    "district_name": "อำเภอ",
    "subdistrict_name": "ตำบล",
    "village_no": "หมู่ที่",
    "fund": "กองทุน",
    "funds": "กองทุนในตำบล",
    "person_key": "รหัสแทนตัวบุคคล",
    "linked": "เชื่อมโยงได้",
    "match_method": "วิธีเชื่อมโยง",
    "match_score": "คะแนนการเชื่อมโยง",
    "roster_duplicate": "ซ้ำในทะเบียนสมาชิก",
    "house_code": "รหัสประจำบ้าน",
    "poor_dimensions": "จำนวนมิติที่จน",
    "is_poor": "จนอย่างน้อยหนึ่งมิติ",
    "welfare_card": "บัตรสวัสดิการแห่งรัฐ",
    "target_poor": "คนจนเป้าหมาย",
    "survey_year": "ปีสำรวจ",
    "has_fund": "มีกองทุน",
    "poor_people": "คนจน",
    "poor_members": "คนจนที่เป็นสมาชิก",
    "coverage_rate": "สัดส่วนที่ครอบคลุม",
    "target_poor_people": "คนจนเป้าหมาย (คน)",
    "target_poor_members": "คนจนเป้าหมายที่เป็นสมาชิก",
    "target_coverage_rate": "สัดส่วนคนจนเป้าหมายที่ครอบคลุม",
    "members": "สมาชิก",
    "distinct_people": "จำนวนคน (ไม่ซ้ำ)",
    "unlinked": "เชื่อมโยงไม่ได้",
    "linked_exact_id": "เชื่อมด้วยเลขประจำตัวตรงกัน",
    "linked_id_typo": "เชื่อมด้วยเลขประจำตัวพิมพ์ผิดหนึ่งหลัก",
    "linked_clerical": "เชื่อมโดยผู้ตรวจสอบ",
    "linked_probabilistic": "เชื่อมด้วยแบบจำลองความน่าจะเป็น",
    "duplicates": "ซ้ำ",
    "fix_lines": "บรรทัดที่ต้องแก้ไข",
    "fix_quarantined": "แถวที่ไม่ได้นำเข้า (ต้องแก้)",
    "fix_citizen_id": "เลขประจำตัวที่อ่านไม่ได้",
    "fix_birth_date": "วันเกิดหรืออายุที่อ่านไม่ได้",
    "fix_address": "ที่อยู่ที่หาไม่พบหรือกำกวม",
    "surveyed_a": "อยู่ในข้อมูลสำรวจปีก่อน",
    "poor_a": "จนปีก่อน",
    "member_a": "เป็นสมาชิกปีก่อน",
    "surveyed_b": "อยู่ในข้อมูลสำรวจปีนี้",
    "poor_b": "จนปีนี้",
    "member_b": "เป็นสมาชิกปีนี้",
    "poverty_change": "การเปลี่ยนแปลงความยากจน",
    "membership_change": "การเปลี่ยนแปลงการเป็นสมาชิก",
}
for _d, _th in DIMENSIONS.items():
    THAI_HEADERS[f"dim_{_d}"] = f"จนด้าน{_th}"
    THAI_HEADERS[f"poor_{_d}"] = f"คนจนด้าน{_th}"
    THAI_HEADERS[f"members_{_d}"] = f"สมาชิกที่จนด้าน{_th}"
    THAI_HEADERS[f"coverage_{_d}"] = f"สัดส่วนที่ครอบคลุมด้าน{_th}"

MART_TITLES_TH: dict[str, str] = {
    "member_poverty": "สมาชิกกับความยากจน",
    "poor_not_in_fund": "คนจนที่ยังไม่เป็นสมาชิก",
    "coverage": "ความครอบคลุม",
    "fund_summary": "สรุปรายกองทุน",
}
