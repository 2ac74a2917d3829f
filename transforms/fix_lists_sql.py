"""Fix lists: what each fund should correct in its own roster, as SQL over stg_roster and Thai text.

A fund's volunteers fix their spreadsheet, not saphan's tables, so every item points at a line as the
spreadsheet shows it (file, sheet, line) and says, in Thai, what is wrong and what to write instead. Two kinds:

- Lines quarantined that may be a person: ``no_name`` (a member number or ID but no name) and ``above_header``
  (a data line above the header). Blank lines, repeated headers, totals, signatures and notes lose nobody and
  are not listed.
- Cells of accepted rows that could not be read (the person was kept, the field nulled): a citizen ID whose
  check digit fails, of the wrong length or ruined by Excel's scientific notation; a birth date impossible,
  unreadable or implausible, an age unreadable; an address unresolved, or ambiguous (several subdistricts fit).
  A cell left empty is not listed: saphan cannot tell a fund what it never had.

fix_items_sql() gives one row per (line, problem); flows/fix_lists.py writes the workbooks from it and the
fund_summary mart counts it (transforms/marts_sql.py), so the counts and the workbooks cannot disagree.

Examples:
    >>> PROBLEMS["cid_bad_check_digit"].field
    'citizen_id'
    >>> fix_list_file_names(["กองทุน ก/ข", "กองทุน ก:ข", ""])
    {'กองทุน ก/ข': 'กองทุน ก_ข.xlsx', 'กองทุน ก:ข': 'กองทุน ก_ข_2.xlsx', '': 'fund.xlsx'}
"""

import re
from dataclasses import dataclass

import geothai

__all__ = ["FIELD_COLUMNS", "FIELD_TH", "PROBLEMS", "Problem", "ambiguous_places_th", "fix_counts_sql",
           "fix_items_sql", "fix_list_file_names"]


@dataclass(frozen=True)
class Problem:
    """One kind of fix: the field it concerns, what is wrong and what to write instead (Thai)."""

    field: str
    wrong: str
    write: str


_ID_WRITE = "เขียนเลขประจำตัวประชาชน 13 หลักตามบัตรประชาชน ในรูป x-xxxx-xxxxx-xx-x หรือติดกัน 13 หลัก"
_DATE_WRITE = "เขียนวันเกิดตามบัตรประชาชน เป็น วัน/เดือน/ปี พ.ศ. เช่น 05/01/2510 หรือ 5 ม.ค. 2510"
_ADDRESS_WRITE = "เขียนตำบล อำเภอ และจังหวัดให้ครบ สะกดตามชื่อทางราชการ (เช่น ต.บ้านยาง อ.เมืองบุรีรัมย์ จ.บุรีรัมย์)"

# Order = the order items of one line are listed in.
PROBLEMS: dict[str, Problem] = {
    "no_name": Problem("row", "แถวนี้ไม่มีชื่อสมาชิก จึงไม่ได้นำเข้า",
                       "เขียนชื่อและนามสกุลของสมาชิก หรือลบแถวนี้ถ้าไม่ใช่สมาชิก"),
    "above_header": Problem("row", "แถวนี้อยู่เหนือหัวตาราง จึงไม่ได้อ่านเป็นสมาชิก",
                            "ย้ายแถวนี้ไปไว้ใต้หัวตาราง หรือลบถ้าไม่ใช่สมาชิก"),
    "cid_bad_check_digit": Problem(
        "citizen_id", "เลขประจำตัวประชาชนผิด: หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรง มีเลขพิมพ์ผิดหรือสลับกัน", _ID_WRITE),
    "cid_wrong_length": Problem("citizen_id", "เลขประจำตัวประชาชนไม่ใช่ 13 หลัก", _ID_WRITE),
    "cid_unusable": Problem(
        "citizen_id", "เลขประจำตัวประชาชนถูก Excel เปลี่ยนเป็นตัวเลขแบบย่อ (เช่น 3.1E+12) ตัวเลขบางหลักหายไปแล้ว",
        "ตั้งรูปแบบเซลล์เป็นข้อความ (Text) แล้วพิมพ์เลข 13 หลักใหม่ตามบัตรประชาชน"),
    "birth_date_impossible": Problem("birth_date", "วันเกิดนี้ไม่มีในปฏิทิน (เช่น 30 ก.พ.)", _DATE_WRITE),
    "birth_date_unparsed": Problem("birth_date", "อ่านวันเกิดไม่ออก", _DATE_WRITE),
    "birth_date_implausible": Problem(
        "birth_date", "ปีเกิดเป็นไปไม่ได้ (ก่อน พ.ศ. 2443 หรือหลังปีที่ทำทะเบียน)",
        "ตรวจปีเกิดให้เป็นปี พ.ศ. ตามบัตรประชาชน " + _DATE_WRITE.removeprefix("เขียนวันเกิดตามบัตรประชาชน ")),
    "age_unreadable": Problem("age", "อ่านอายุไม่ออก", "เขียนอายุเป็นจำนวนปี เช่น 45 หรือเขียนวันเกิดแทน"),
    "address_unresolved": Problem("address", "หาที่อยู่นี้ในทะเบียนพื้นที่ของกรมการปกครองไม่พบ", _ADDRESS_WRITE),
    "address_ambiguous": Problem("address", "ที่อยู่นี้ตรงกับหลายตำบล", "ระบุอำเภอและจังหวัดให้ชัดเจน"),
}

# The raw columns that hold each field as written (raw_roster); the first non-empty ones are shown.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "citizen_id": ("citizen_id",),
    "birth_date": ("birth_date", "birth_year"),
    "age": ("age",),
    "address": ("address", "house_no", "village_no", "village_name", "subdistrict", "district", "province",
                "postal_code"),
    "row": ("member_no", "title", "first_name", "last_name", "full_name", "citizen_id", "birth_date"),
}
FIELD_TH = {"citizen_id": "เลขประจำตัวประชาชน", "birth_date": "วันเกิด", "age": "อายุ", "address": "ที่อยู่",
            "row": "ทั้งแถว"}

_AREA_WRITTEN = ("address", "village_name", "subdistrict", "district", "province", "postal_code")
_CELL_STATUS = {  # stg_roster column -> (problem prefix, the statuses of a cell written but not read)
    "cid_status": ("cid", ("bad_check_digit", "wrong_length", "unusable")),
    "birth_date_status": ("birth_date", ("impossible", "unparsed", "implausible")),
    "age_status": ("age", ("unreadable",)),
    "address_status": ("address", ("unresolved", "ambiguous")),
}


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def fix_items_sql(stg: str = "stg_roster", raw: str = "raw_roster") -> str:
    """SELECT of one row per (roster line, problem): fund, source_file, source_row, source_sheet, source_line,
    problem (a key of PROBLEMS), address_candidates; in the file's own order.

    Example: a line with an impossible date and an unresolved address gives two rows, birth date first.
    """
    rank = "case problem " + " ".join(f"when '{p}' then {i}" for i, p in enumerate(PROBLEMS)) + " end"
    cells = [
        f"case when s.reject_reason is null and s.{col} in ({_in(values)}) then '{prefix}_' || s.{col} end"
        for col, (prefix, values) in _CELL_STATUS.items()
    ]
    # An address is "not read" only when something was written: a row with no area at all is not listed.
    written = "coalesce(" + ", ".join(f"r.{c}" for c in _AREA_WRITTEN) + ") is not null"
    return f"""
select fund, source_file, source_row, source_sheet, source_line, problem, address_candidates
from (
    select s.dataset_key as fund, s.source_file, s.source_row, s.source_sheet, s.source_line,
        s.address_candidates, s.address_status,
        unnest([
            case when s.reject_reason in ('no_name', 'above_header') then s.reject_reason end,
            {", ".join(cells)}
        ]) as problem
    from {stg} s
) i
where problem is not null and fund is not null
    and (not starts_with(problem, 'address_') or exists (
        select 1 from {raw} r where r.source_file = i.source_file and r.source_row = i.source_row and {written}))
order by fund, source_file, source_row, {rank}
"""


def fix_counts_sql(stg: str = "stg_roster", raw: str = "raw_roster") -> str:
    """SELECT per fund: fix_lines (lines with anything to fix), fix_quarantined, fix_citizen_id, fix_birth_date
    (birth date or age) and fix_address (lines with such a problem)."""
    def lines(prefixes: tuple[str, ...]) -> str:
        cond = " or ".join(f"starts_with(problem, '{p}')" for p in prefixes)
        return f"count(distinct (source_file, source_row)) filter (where {cond})"

    return f"""
select fund, count(distinct (source_file, source_row)) as fix_lines,
    {lines(("no_name", "above_header"))} as fix_quarantined, {lines(("cid_",))} as fix_citizen_id,
    {lines(("birth_date_", "age_"))} as fix_birth_date, {lines(("address_",))} as fix_address
from ({fix_items_sql(stg, raw)})
group by fund
"""


def ambiguous_places_th(candidates: str | None) -> str:
    """The subdistricts an ambiguous address fits, in Thai, from their DOPA codes ('310108,310909').

    Examples:
        >>> ambiguous_places_th("310108,310909")
        'ตรงกับ ต.บ้านยาง อ.เมืองบุรีรัมย์ จ.บุรีรัมย์; ต.บ้านยาง อ.พุทไธสง จ.บุรีรัมย์'
        >>> ambiguous_places_th(None)
        ''
    """
    places = []
    for code in (candidates or "").split(","):
        sub = geothai.subdistrict(code.strip()) if len(code.strip()) == 6 else None
        if sub is None:
            continue
        district, province = geothai.district(sub.district_code), geothai.province(sub.province_code)
        places.append(f"ต.{sub.name_th} อ.{district.name_th if district else '?'} "
                      f"จ.{province.name_th if province else '?'}")
    return "ตรงกับ " + "; ".join(places) if places else ""


# Characters a file name cannot hold on Windows or Linux, and control characters; runs of them become one '_'.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_STEM_CHARS = 80  # Thai letters are 3 bytes in UTF-8: 80 characters stay well under the 255-byte limit


def fix_list_file_names(funds: list[str]) -> dict[str, str]:
    """A safe, distinct ``<fund>.xlsx`` name per fund; later funds with the same safe name get ``_2``, ``_3``.

    Examples:
        >>> fix_list_file_names(["..", "a. "])
        {'..': 'fund.xlsx', 'a. ': 'a.xlsx'}
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for fund in funds:
        stem = _UNSAFE.sub("_", fund).strip(" .")[:MAX_STEM_CHARS].strip(" .") or "fund"
        name, n = stem, 1
        while name.casefold() in used:  # case-insensitive file systems would merge 'A' and 'a'
            n += 1
            name = f"{stem}_{n}"
        used.add(name.casefold())
        names[fund] = f"{name}.xlsx"
    return names
