"""One contract per table that crosses a stage: columns, types, nullability, description, checks.

Checks are enforced by flows at stage boundaries (see transforms/contract_sql.py for the SQL).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    nullable: bool = True
    pii: bool = False
    accepted: tuple[str, ...] = ()
    unique: bool = False


@dataclass(frozen=True)
class Contract:
    table: str
    description: str
    columns: tuple[Column, ...]
    # Column sets that together are unique (a row's identity).
    unique_together: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _text(name: str, description: str, pii: bool = False) -> Column:
    return Column(name, "VARCHAR", description, pii=pii)


LINEAGE = (
    Column("source_file", "VARCHAR", "Input file name", nullable=False),
    Column("source_sha256", "VARCHAR", "sha256 of the input file's bytes", nullable=False),
    Column("source_row", "BIGINT", "1-based position among the file's data rows", nullable=False),
    Column("source_sheet", "VARCHAR", "Sheet name ('' for CSV and Parquet)", nullable=False),
    Column("source_line", "BIGINT", "1-based line number as seen in the sheet (Excel row, CSV line)",
           nullable=False),
)
# How ingest read a line, beside its cells: the kind of non-person line, the date habit, fund, ages' year.
READING = (
    Column("line_kind", "VARCHAR", "repeated_header, total_line, signature_line, note_line, above_header or null"),
    Column("date_order", "VARCHAR", "The birth-date column's day/month order as decided for the sheet"),
    Column("date_era", "VARCHAR", "The birth-date column's era (BE or CE) as decided from its years"),
    Column("date_epoch", "INTEGER", "The workbook's date system for serial numbers: 1900, or 1904"),
    Column("fund", "VARCHAR", "The roster's fund as read from title lines, sheet, folder or file name"),
    Column("as_of_year", "INTEGER", "The year (BE) the file's ages are counted at"),
    Column("file_subdistrict_code", "VARCHAR", "The area the file's title lines or fund name give (subdistrict)"),
    Column("file_district_code", "VARCHAR", "The area the file's title lines or fund name give (district)"),
    Column("file_province_code", "VARCHAR", "The area the file's title lines or fund name give (province)"),
)

# Canonical raw columns, as read (all text). Header synonyms map onto these names.
ROSTER_FIELDS: dict[str, str] = {
    "member_no": "Member number in the fund",
    "fund_name": "Fund name when the roster carries it",
    "title": "Title as written (คำนำหน้า)",
    "first_name": "First name as written",
    "last_name": "Last name as written",
    "full_name": "Combined ชื่อ-สกุล as written",
    "citizen_id": "Citizen ID as written",
    "sex": "Sex as written",
    "birth_date": "Birth date as written",
    "birth_year": "Birth year as written",
    "age": "Age as written (อายุ)",
    "join_date": "Join date as written",
    "house_no": "House number as written",
    "village_no": "Village number (หมู่) as written",
    "village_name": "Village name as written",
    "soi": "Soi as written",
    "road": "Road as written",
    "subdistrict": "Subdistrict (ตำบล/แขวง) as written",
    "district": "District (อำเภอ/เขต) as written",
    "province": "Province as written",
    "postal_code": "Postal code as written",
    "address": "Free-text address (ที่อยู่) as written",
}
POVERTY_FIELDS: dict[str, str] = {
    "house_code": "House code (รหัสประจำบ้าน, 11 digits)",
    "house_no": "House number",
    "village_no": "Village number",
    "village_name": "Village name",
    "subdistrict_code": "Subdistrict code (6 digits)",
    "subdistrict": "Subdistrict name",
    "district": "District name",
    "province": "Province name",
    "citizen_id": "Citizen ID",
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Combined name",
    "sex": "Sex",
    "birth_year": "Birth year (BE)",
    "birth_date": "Birth date",
    "age": "Age as written",
    "welfare_card": "State welfare card holder flag",
    "survey_year": "Survey year (BE)",
    "dim_health": "Poor in health (0/1)",
    "dim_living": "Poor in living standards (0/1)",
    "dim_education": "Poor in education (0/1)",
    "dim_income": "Poor in income (0/1)",
    "dim_access": "Poor in access to public services (0/1)",
}
FIELDS = {"roster": ROSTER_FIELDS, "poverty": POVERTY_FIELDS}
PII_FIELDS = {"title", "first_name", "last_name", "full_name", "citizen_id", "birth_date", "house_no", "address"}

# A file is rejected unless its header names at least one column of each group.
REQUIRED_ANY: dict[str, tuple[tuple[str, ...], ...]] = {
    "roster": (("first_name", "full_name"),),
    "poverty": (("first_name", "full_name"), ("citizen_id",), ("subdistrict_code", "subdistrict")),
}


def raw_contract(dataset: str) -> Contract:
    cols = tuple(_text(n, d, pii=n in PII_FIELDS) for n, d in FIELDS[dataset].items())
    return Contract(
        f"raw_{dataset}", f"{dataset} rows as read, every cell text, with lineage", LINEAGE + READING + cols,
        unique_together=(("source_file", "source_row"),),
    )


CID_STATUS = ("valid", "bad_check_digit", "wrong_length", "missing", "unusable")
ADDRESS_STATUS = ("resolved", "ambiguous", "unresolved")


def std_contract(dataset: str) -> Contract:
    """Accepted rows with standardised keys: what the link stage reads."""
    cols = (
        Column("record_id", "BIGINT", "Row identity within the run (file order, then row)", False, unique=True),
        *LINEAGE,
        Column("dataset_key", "VARCHAR", "roster: fund (file stem); poverty: house code", nullable=True),
        _text("title", "Canonical title(s)"),
        Column("sex", "VARCHAR", "M/F from the sex column, else implied by the title", accepted=("M", "F")),
        _text("first_name", "Cleaned first name", pii=True),
        _text("last_name", "Cleaned last name", pii=True),
        _text("first_lk82", "lk82 code of the first name"),
        _text("first_udom83", "udom83 code of the first name"),
        _text("first_metasound", "metasound code of the first name"),
        _text("last_lk82", "lk82 code of the last name"),
        _text("last_udom83", "udom83 code of the last name"),
        _text("last_metasound", "metasound code of the last name"),
        _text("first_roman", "Romanised first name key"),
        _text("last_roman", "Romanised last name key"),
        _text("first_rkey", "Sound key of the first name, the same from Thai or Latin script (transforms/romanise)"),
        _text("last_rkey", "Sound key of the last name, the same from Thai or Latin script"),
        _text("cid", "Cleaned 13-digit citizen ID (kept when the check digit fails)", pii=True),
        Column("cid_status", "VARCHAR", "valid / bad_check_digit / wrong_length / missing / unusable", False,
               accepted=CID_STATUS),
        Column("birth_year_be", "INTEGER", "Birth year, Buddhist era"),
        Column("birth_year_min", "INTEGER", "Earliest possible birth year (BE): the birth year, or from an age"),
        Column("birth_year_max", "INTEGER", "Latest possible birth year (BE): the birth year, or from an age"),
        _text("house_no", "House number", pii=True),
        _text("village_no", "Village number"),
        _text("subdistrict_code", "DOPA subdistrict code (6 digits)"),
        _text("district_code", "DOPA district code (4 digits)"),
        _text("province_code", "DOPA province code (2 digits)"),
        Column("address_status", "VARCHAR", "resolved / ambiguous / unresolved", False, accepted=ADDRESS_STATUS),
    )
    return Contract(f"std_{dataset}", f"accepted {dataset} rows with standardised keys", cols)


QUARANTINE = Contract(
    "quarantine",
    "Every input row not accepted, with the reason and its raw values",
    (
        Column("dataset", "VARCHAR", "roster or poverty", False, accepted=("roster", "poverty")),
        Column("source_file", "VARCHAR", "Input file name", False),
        Column("source_row", "BIGINT", "1-based data row in the file", False),
        Column("source_sheet", "VARCHAR", "Sheet name ('' for CSV and Parquet)", False),
        Column("source_line", "BIGINT", "1-based line as seen in the sheet", False),
        Column("reason", "VARCHAR", "Why the row was not accepted", False),
        Column("raw_values", "VARCHAR", "The row's cells as read, JSON", False, pii=True),
    ),
    unique_together=(("source_file", "source_row"),),
)

# clerical: a pair a reviewer accepted in the review queue (flows/review.py, transforms/clerical_sql.py)
MATCH_METHODS = ("exact_id", "id_typo", "clerical", "probabilistic", "unlinked")

LINKS = Contract(
    "links",
    "One row per accepted roster record, linked or not",
    (
        Column("roster_file", "VARCHAR", "Roster file name", False),
        Column("roster_row", "BIGINT", "1-based data row in the roster file", False),
        Column("poverty_file", "VARCHAR", "Poverty file name (null when unlinked)"),
        Column("poverty_row", "BIGINT", "1-based data row in the poverty file (null when unlinked)"),
        Column("match_method", "VARCHAR", "How the link was made, or 'unlinked'", False, accepted=MATCH_METHODS),
        Column("match_score", "DOUBLE", "Match probability (1.0 for exact ID)"),
        Column("explanation", "VARCHAR", "Which fields agreed, disagreed or were missing", False),
        Column("roster_duplicate", "BOOLEAN", "The poverty person is linked from more than one roster row", False),
        Column("house_code", "VARCHAR", "The linked poverty person's household (รหัสประจำบ้าน)"),
        Column("roster_record_id", "BIGINT", "std_roster.record_id", False, unique=True),
        Column("poverty_record_id", "BIGINT", "std_poverty.record_id (null when unlinked)"),
        Column("fund", "VARCHAR", "The roster's fund (std_roster.dataset_key)"),
        Column("roster_sheet", "VARCHAR", "The roster line's sheet ('' for CSV and Parquet)", False),
        Column("roster_line", "BIGINT", "The roster line's number as the spreadsheet shows it (Excel row)", False),
        Column("poverty_sheet", "VARCHAR", "The poverty line's sheet (null when unlinked)"),
        Column("poverty_line", "BIGINT", "The poverty line's number as the spreadsheet shows it"),
    ),
    unique_together=(("roster_file", "roster_row"),),
)

_SIDE = ("title", "first_name", "last_name", "sex", "birth_year_be", "cid", "cid_status", "house_no", "village_no",
         "subdistrict_code")
_SIDE_TYPES = {"birth_year_be": "INTEGER"}

REVIEW = Contract(
    "review",
    "Probabilistic pairs of unlinked roster records scoring >= the review threshold (between the thresholds, or "
    "ambiguous), both records side by side: neither linked nor lost",
    (
        Column("roster_file", "VARCHAR", "Roster file name", False),
        Column("roster_row", "BIGINT", "1-based data row in the roster file", False),
        Column("poverty_file", "VARCHAR", "Poverty file name", False),
        Column("poverty_row", "BIGINT", "1-based data row in the poverty file", False),
        Column("roster_record_id", "BIGINT", "std_roster.record_id", False),
        Column("poverty_record_id", "BIGINT", "std_poverty.record_id", False),
        Column("fund", "VARCHAR", "The roster's fund"),
        Column("house_code", "VARCHAR", "The poverty person's household"),
        Column("match_probability", "DOUBLE", "Splink match probability", False),
        Column("match_weight", "DOUBLE", "Splink match weight (log2 Bayes factor)", False),
        Column("review_reason", "VARCHAR", "Between the thresholds, ambiguous (a runner-up about as good), or "
               "vetoed: <the contradictions named>", False),
        Column("candidate_rank", "BIGINT", "1 = the roster record's best candidate", False),
        *(
            Column(f"{side}_{c}", _SIDE_TYPES.get(c, "VARCHAR"), f"{side} {c}",
                   pii=c in ("first_name", "last_name", "cid", "house_no"))
            for side in ("roster", "poverty") for c in _SIDE
        ),
        Column("explanation", "VARCHAR", "Fields, notes and Splink levels and weights, JSON", False),
    ),
    unique_together=(("roster_record_id", "poverty_record_id"),),
)

BLOCKING_REPORT = Contract(
    "int_blocking_report",
    "Candidate pairs of the probabilistic tier per blocking rule (pairs of earlier rules not counted again)",
    (
        Column("rule_order", "INTEGER", "Position of the rule (Splink match_key)", False, unique=True),
        Column("rule", "VARCHAR", "Rule name", False, unique=True),
        Column("pairs", "BIGINT", "Candidate pairs the rule added", False),
    ),
)
