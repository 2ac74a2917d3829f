"""TPMAP / จปฐ.-style poverty extracts: who is in them, and seven written forms.

About 60% of the members of the covered subdistricts appear (the same true ID, sometimes none, sometimes a name
spelt by sound or a married woman under her maiden surname), beside poor people in no roster and namesakes of
members (same first and last name, another person: other ID, other birth year).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
from _common import file_expect
from _grid import Sheet, write_delimited, write_parquet, write_xlsx
from _people import AREAS, SOUND_ALIKE, Person, Population, id_is_valid

DIMS = ["health", "living", "education", "income", "access"]


@dataclass
class ExRow:
    person: Person
    first: str
    last: str
    cid: str | None
    year_be: int | None
    dims: dict[str, int]
    card: bool
    house_code: str

    def entry(self) -> dict[str, Any]:
        return {"person": self.person.pid, "first_name": self.first, "last_name": self.last, "citizen_id": self.cid,
                "id_valid": None if self.cid is None else id_is_valid(self.cid), "birth_year_be": self.year_be,
                "age": None, "dims": dict(self.dims), "welfare_card": self.card}


def extract_rows(pop: Population, rng: random.Random, areas: list[str], cap: int = 38) -> list[ExRow]:
    """Rows of one extract: members of `areas` (about 60%), outsiders and namesakes, grouped by household."""
    mem = [p for p in pop.people if p.area in areas and "fund" in p.extra and "in_extract" not in p.extra]
    chosen = [p for p in mem if rng.random() < 0.6][: int(cap * 0.68)]
    out_n = max(3, cap - len(chosen) - 3)
    people = list(chosen)
    for k in range(min(3, len(mem))):  # namesakes: another person with a member's full name
        twin = rng.choice(mem)
        y = twin.birth.year
        lo, hi = (y + 20, y + 35) if y < 1975 else (1940, y - 20)
        people.append(pop.person(twin.area, sex=twin.sex, first=twin.first, last=twin.last, born=(lo, min(hi, 2004)),
                                 village=(twin.village_no, twin.village_name) if k == 0 else None))
    for _ in range(out_n):
        people.append(pop.person(rng.choice(areas)))
    houses: dict[tuple, str] = {}
    rows = []
    for p in sorted(people, key=lambda q: (q.area, q.village_no, q.house_no, q.pid)):
        p.extra["in_extract"] = True
        key = (p.area, p.village_no, p.house_no)
        if key not in houses:
            houses[key] = AREAS[p.area][3][:4] + "".join(str(rng.randrange(10)) for _ in range(7))
        first, last = p.first, p.last
        is_member = "fund" in p.extra
        if is_member and rng.random() < 0.3:
            first, last = SOUND_ALIKE.get(first, first), SOUND_ALIKE.get(last, last)
        if is_member and p.maiden and rng.random() < 0.6:
            last = p.maiden
        cid = None if rng.random() < 0.06 else p.cid
        year = None if rng.random() < 0.04 else p.year_be
        dims = {d: int(rng.random() < 0.3) for d in DIMS}
        if not any(dims.values()):
            dims[rng.choice(DIMS)] = 1
        rows.append(ExRow(p, first, last, cid, year, dims, rng.random() < 0.7, houses[key]))
    return rows


FLAGS = {"01": ("1", "0"), "int": (1, 0), "YN": ("Y", "N"), "tick": ("✓", ""), "mee": ("มี", "ไม่มี")}
Getter = Callable[[ExRow], Any]


def _fields(flag: str, card: str, sex: tuple[str, str]) -> dict[str, Getter]:
    yes, no = FLAGS[flag]
    cy, cn = FLAGS[card]
    f: dict[str, Getter] = {
        "house_code": lambda r: r.house_code, "house_no": lambda r: r.person.house_no,
        "village_no": lambda r: r.person.village_no, "village_name": lambda r: r.person.village_name,
        "subdistrict_code": lambda r: AREAS[r.person.area][3], "subdistrict": lambda r: AREAS[r.person.area][0],
        "district": lambda r: AREAS[r.person.area][1], "province": lambda r: AREAS[r.person.area][2],
        "citizen_id": lambda r: r.cid or "", "title": lambda r: r.person.title, "first_name": lambda r: r.first,
        "last_name": lambda r: r.last, "sex": lambda r: sex[0] if r.person.sex == "M" else sex[1],
        "birth_year": lambda r: r.year_be if r.year_be else "", "welfare_card": lambda r: cy if r.card else cn,
        "survey_year": lambda r: 2567,
    }
    for d in DIMS:
        f["dim_" + d] = (lambda dd: lambda r: yes if r.dims[dd] else no)(d)
    return f


def _fill(s: Sheet, cols: list[tuple[str, str]], rows: list[ExRow], fields: dict[str, Getter]) -> None:
    s.header(cols)
    for r in rows:
        s.member([fields[role](r) for _, role in cols], r.entry())


TH_COLS = [("รหัสบ้าน", "house_code"), ("บ้านเลขที่", "house_no"), ("หมู่ที่", "village_no"),
           ("ชื่อหมู่บ้าน", "village_name"), ("รหัสตำบล", "subdistrict_code"), ("ตำบล", "subdistrict"),
           ("อำเภอ", "district"), ("จังหวัด", "province"), ("เลขประจำตัวประชาชน", "citizen_id"),
           ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"), ("เพศ", "sex"),
           ("ปีเกิด (พ.ศ.)", "birth_year"), ("บัตรสวัสดิการแห่งรัฐ", "welfare_card"), ("ปีที่สำรวจ", "survey_year"),
           ("ด้านสุขภาพ", "dim_health"), ("ด้านความเป็นอยู่", "dim_living"), ("ด้านการศึกษา", "dim_education"),
           ("ด้านรายได้", "dim_income"), ("ด้านการเข้าถึงบริการรัฐ", "dim_access")]


def jpt_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/khonkaen_jpt_2567.csv"
    s = Sheet("")
    _fill(s, TH_COLS, extract_rows(pop, rng, ["sila", "phralap"]), _fields("01", "01", ("ชาย", "หญิง")))
    write_delimited(out / rel, s)
    return {rel: file_expect("poverty", "jpt-thai-headers-csv-01", None, None, [s])}


def db_cp874_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/ubon_tpmap_export_cp874.csv"
    cols = [("hh_code", "house_code"), ("addr", "house_no"), ("moo", "village_no"), ("mooban", "village_name"),
            ("tmb_code", "subdistrict_code"), ("pid", "citizen_id"), ("pname", "title"), ("name", "first_name"),
            ("sname", "last_name"), ("sex", "sex"), ("yob", "birth_year"), ("card", "welfare_card"),
            ("yr", "survey_year"), ("d_hlth", "dim_health"), ("d_liv", "dim_living"), ("d_edu", "dim_education"),
            ("d_inc", "dim_income"), ("d_acc", "dim_access")]
    s = Sheet("")
    _fill(s, cols, extract_rows(pop, rng, ["khamyai", "saensuk"]), _fields("YN", "YN", ("1", "2")))
    write_delimited(out / rel, s, encoding="cp874")
    return {rel: file_expect("poverty", "database-lowercase-codes-cp874-yn", None, None, [s])}


def tick_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/surin_คนจนเป้าหมาย_2567.xlsx"
    cols = [("ลำดับ", "row_number"), ("รหัสประจำบ้าน (11 หลัก)", "house_code"), ("เลขที่", "house_no"),
            ("ม.", "village_no"), ("ตำบล", "subdistrict"), ("อำเภอ", "district"), ("จังหวัด", "province"),
            ("เลขบัตรประชาชน", "citizen_id"), ("คำนำหน้าชื่อ", "title"), ("ชื่อ", "first_name"),
            ("ชื่อสกุล", "last_name"), ("ปีเกิด", "birth_year"), ("ถือบัตรสวัสดิการฯ", "welfare_card"),
            ("มิติสุขภาพ", "dim_health"), ("มิติความเป็นอยู่", "dim_living"), ("มิติการศึกษา", "dim_education"),
            ("มิติรายได้", "dim_income"), ("มิติการเข้าถึงบริการรัฐ", "dim_access")]
    s = Sheet("คนจนเป้าหมาย")
    s.title("ข้อมูลคนจนเป้าหมายตามระบบ TPMAP ปี 2567 จังหวัดสุรินทร์")
    s.title("ที่มา: ข้อมูล จปฐ. ปี 2567 และทะเบียนบัตรสวัสดิการแห่งรัฐ")
    rows = extract_rows(pop, rng, ["salakdai", "nokmueang"])
    f = _fields("tick", "tick", ("ชาย", "หญิง"))
    f["row_number"] = lambda r: rows.index(r) + 1
    _fill(s, cols, rows, f)
    s.blank()
    s.other("total", "รวม", f"{len(rows)} คน")
    write_xlsx(out / rel, [s])
    return {rel: file_expect("poverty", "tpmap-target-poor-xlsx-ticks", None, None, [s])}


def english_parquet(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/songkhla_poverty_2567.parquet"
    cols = [("household_id", "house_code"), ("house_number", "house_no"), ("village_number", "village_no"),
            ("village", "village_name"), ("tambon_code", "subdistrict_code"), ("tambon", "subdistrict"),
            ("amphoe", "district"), ("province", "province"), ("national_id", "citizen_id"), ("prefix", "title"),
            ("given_name", "first_name"), ("family_name", "last_name"), ("gender", "sex"),
            ("birth_year_be", "birth_year"), ("state_welfare_card", "welfare_card"), ("survey_year", "survey_year"),
            ("poor_health", "dim_health"), ("poor_living", "dim_living"), ("poor_education", "dim_education"),
            ("poor_income", "dim_income"), ("poor_access", "dim_access")]
    rows = extract_rows(pop, rng, ["khohong", "khuanlang"])
    f = _fields("mee", "mee", ("ชาย", "หญิง"))
    f["citizen_id"] = lambda r: r.cid
    f["birth_year"] = lambda r: r.year_be
    s = Sheet("")
    s.columns = {str(i + 1): role for i, (_, role) in enumerate(cols)}
    data = []
    for r in rows:
        data.append([f[role](r) for _, role in cols])
        s.member(data[-1], r.entry())
    write_parquet(out / rel, [c for c, _ in cols], data,
                  {"village_number": pa.int32(), "birth_year_be": pa.int32(), "survey_year": pa.int32()})
    return {rel: file_expect("poverty", "english-snake-case-parquet-mee", None, None, [s])}


def nakhon_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/nakhon_jpt_2567.xlsx"
    cols = [("รหัสบ้าน", "house_code"), ("บ้านเลขที่", "house_no"), ("หมู่", "village_no"),
            ("รหัส ต.", "subdistrict_code"), ("เลขบัตร", "citizen_id"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"),
            ("สกุล", "last_name"), ("เพศ", "sex"), ("พ.ศ.เกิด", "birth_year"), ("บัตรสวัสดิการ", "welfare_card"),
            ("ปีข้อมูล", "survey_year"), ("สุขภาพ", "dim_health"), ("ความเป็นอยู่", "dim_living"),
            ("การศึกษา", "dim_education"), ("รายได้", "dim_income"), ("การเข้าถึงบริการรัฐ", "dim_access")]
    rows = extract_rows(pop, rng, ["pakphun", "thasak"])
    nop = pop.person("pakphun", sex="M", first="นพ", born=(1960, 1980))  # a given name that looks like an abbreviation
    rows.append(ExRow(nop, nop.first, nop.last, nop.cid, nop.year_be, {"health": 0, "living": 1, "education": 0,
                      "income": 1, "access": 0}, True, "8001" + "".join(str(rng.randrange(10)) for _ in range(7))))
    s = Sheet("Sheet1")
    _fill(s, cols, rows, _fields("int", "int", ("ช", "ญ")))
    write_xlsx(out / rel, [s])
    return {rel: file_expect("poverty", "jpt-short-headers-xlsx-numeric-flags", None, None, [s])}


def lampang_tsv(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/lampang_tpmap.tsv"
    cols = [("HOUSE_ID", "house_code"), ("HOUSE_NO", "house_no"), ("VILLAGE_NO", "village_no"),
            ("TAMBON_NAME", "subdistrict"), ("AMPHUR_NAME", "district"), ("PROVINCE_NAME", "province"),
            ("NID", "citizen_id"), ("TITLE_NAME", "title"), ("FIRST_NAME", "first_name"), ("LAST_NAME", "last_name"),
            ("GENDER", "sex"), ("BIRTH_YEAR", "birth_year"), ("WELFARE", "welfare_card"),
            ("SURVEY_YEAR", "survey_year"),
            ("HEALTH", "dim_health"), ("LIVING", "dim_living"), ("EDUCATION", "dim_education"),
            ("INCOME", "dim_income"), ("ACCESSIBILITY", "dim_access")]
    s = Sheet("")
    _fill(s, cols, extract_rows(pop, rng, ["phichai", "tonthongchai"]), _fields("YN", "01", ("M", "F")))
    write_delimited(out / rel, s, delimiter="\t")
    return {rel: file_expect("poverty", "upper-case-database-tsv", None, None, [s])}


def phitsanulok_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    rel = "extracts/phitsanulok_jpt_utf8bom.csv"
    cols = [("ปีสำรวจ", "survey_year"), ("จังหวัด", "province"), ("อำเภอ", "district"), ("ตำบล", "subdistrict"),
            ("หมู่", "village_no"), ("ชื่อหมู่บ้าน", "village_name"), ("รหัสบ้าน", "house_code"),
            ("บ้านเลขที่", "house_no"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"), ("คำนำหน้า", "title"),
            ("เลขบัตรประชาชน", "citizen_id"), ("ปีเกิด", "birth_year"), ("เพศ", "sex"),
            ("มีบัตรสวัสดิการ", "welfare_card"), ("จนด้านสุขภาพ", "dim_health"), ("จนด้านความเป็นอยู่", "dim_living"),
            ("จนด้านการศึกษา", "dim_education"), ("จนด้านรายได้", "dim_income"),
            ("จนด้านการเข้าถึงบริการรัฐ", "dim_access")]
    s = Sheet("")
    _fill(s, cols, extract_rows(pop, rng, ["wangthong", "aranyik"]), _fields("mee", "YN", ("ชาย", "หญิง")))
    write_delimited(out / rel, s, encoding="utf-8-sig")
    return {rel: file_expect("poverty", "jpt-reordered-columns-bom-csv-mee", None, None, [s])}


STYLES = [jpt_csv, db_cp874_csv, tick_xlsx, english_parquet, nakhon_xlsx, lampang_tsv, phitsanulok_csv]
