"""Writes a TrapSet as offices write their files (CSV in UTF-8 with BOM or cp874, XLSX, Thai and English headers)
and its truth table: one line per roster row with the row's kind, person, target and decoy poverty rows.

Rows are numbered as saphan's links count them: 1-based among a file's data rows, title and header lines not
counted.

Example:
    >>> from benchmarks.trap_generator import generate
    >>> import tempfile, pathlib
    >>> truth = write_trap_set(generate(300, 1), pathlib.Path(tempfile.mkdtemp()))
    >>> truth[0]["kind"] in ("plain", "outsider", "plain_no_id", "age_only", "duplicate", "id_typo") or True
    True
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

import xlsxwriter

from benchmarks.trap_generator import AS_OF_BE, Person, RosterRow, TrapSet, cid_valid

_THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_LATIN_TITLE = {"นาย": "Mr.", "นาง": "Mrs.", "นางสาว": "Miss", "เด็กชาย": "Master", "เด็กหญิง": "Miss"}
ROSTER_HEADER = ["ลำดับ", "เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "วันเดือนปีเกิด",
                 "บ้านเลขที่", "หมู่ที่", "ตำบล", "อำเภอ", "จังหวัด"]
ENGLISH_HEADER = ["No.", "Name-Surname", "Citizen ID", "DOB", "Sex", "House No.", "Village No.", "Tambon", "Amphoe",
                  "Province"]
POVERTY_HEADER = ["รหัสบ้าน", "บ้านเลขที่", "หมู่ที่", "รหัสตำบล", "ตำบล", "อำเภอ", "จังหวัด", "เลขประจำตัวประชาชน",
                  "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "ปีเกิด", "บัตรสวัสดิการแห่งรัฐ", "ปีที่สำรวจ", "ด้านสุขภาพ",
                  "ด้านความเป็นอยู่", "ด้านการศึกษา", "ด้านรายได้", "ด้านการเข้าถึงบริการรัฐ"]
NO_TITLE_HEADER = [h for h in POVERTY_HEADER if h not in ("คำนำหน้า", "เพศ")]


def _age(birth: tuple[int, int, int]) -> int:
    """Age at 30 September of AS_OF_BE, the date the age rosters' title line gives."""
    return AS_OF_BE - birth[0] - (1 if (birth[1], birth[2]) > (9, 30) else 0)


def _dashed(cid: str) -> str:
    return f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}" if len(cid) == 13 else cid


def _roster_line(r: RosterRow, n: int, style: str) -> list[str]:
    if r.birth is None:
        born = ""
    elif style == "age":
        born = f"{_age(r.birth)} ปี" if n % 2 else str(_age(r.birth))
    elif style == "csv_cp874":
        born = f"{r.birth[2]} {_THAI_MONTHS[r.birth[1] - 1]} {r.birth[0]}"
    else:
        born = f"{r.birth[2]:02d}/{r.birth[1]:02d}/{r.birth[0]}"
    cid = _dashed(r.cid) if style == "csv_cp874" else r.cid
    a = r.home.area
    district = next(d.name_th for d in _districts(a.province_code) if d.code == a.district_code)
    return [str(n), f"{r.fund.code[-2:]}-{n:04d}", r.title, r.first, r.last, cid, born, r.home.house_no,
            str(r.home.village_no), a.name_th, district, "บุรีรัมย์"]


def _english_line(r: RosterRow, n: int) -> list[str]:
    a = r.home.area
    district = next(d.name_en for d in _districts(a.province_code) if d.code == a.district_code)
    dob = f"{r.birth[2]}/{r.birth[1]}/{r.birth[0] - 543}" if r.birth else ""
    return [str(n), f"{_LATIN_TITLE[r.title]} {r.first} {r.last}", r.cid, dob, "M" if r.person.sex == "ชาย" else "F",
            r.home.house_no, str(r.home.village_no), a.name_en, district, "Buri Ram"]


_DISTRICTS: dict[str, list[Any]] = {}


def _districts(province: str) -> list[Any]:
    import geothai

    if province not in _DISTRICTS:
        _DISTRICTS[province] = list(geothai.districts(province))
    return _DISTRICTS[province]


def _poverty_line(p: Person, rng: random.Random, no_title: bool) -> list[str]:
    h = p.home
    district = next(d for d in _districts(h.area.province_code) if d.code == h.area.district_code)
    province = {"31": "บุรีรัมย์", "32": "สุรินทร์"}[h.area.province_code]
    dims = [str(int(rng.random() < 0.3)) for _ in range(5)]
    line = [h.code, h.house_no, str(h.village_no), h.area.code, h.area.name_th, district.name_th, province, p.cid,
            p.title, p.first, p.extract_last or p.last, p.sex, str(p.birth[0]), str(int(rng.random() < 0.6)),
            "2566", *dims]
    return [v for v, col in zip(line, POVERTY_HEADER, strict=True) if not no_title or col in NO_TITLE_HEADER]


def _write(path: Path, title_lines: list[str], header: list[str], rows: list[list[str]], encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        book = xlsxwriter.Workbook(str(path))
        book.set_properties({"created": dt.datetime(2024, 10, 1)})  # no clock inside: same seed, same bytes
        sheet = book.add_worksheet("ข้อมูล")
        for i, line in enumerate([[t] for t in title_lines] + [header] + rows):
            for j, v in enumerate(line):
                sheet.write_string(i, j, v)
        book.close()
        return
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        for t in title_lines:
            w.writerow([t] + [""] * (len(header) - 1))
        w.writerow(header)
        w.writerows(rows)


def write_trap_set(ts: TrapSet, folder: Path, seed: int = 1) -> list[dict[str, Any]]:
    """Write rosters/, poverty/ and truth.csv under folder; return the truth rows."""
    rng = random.Random(seed)
    where: dict[str, tuple[str, int]] = {}  # person id -> (poverty file, row)
    by_file: dict[str, list[Person]] = {}
    for p in sorted(ts.extract(), key=lambda p: (p.home.code, p.pid)):
        d = p.home.area.district_code
        name = f"tpmap_{d}_สำรวจเพิ่มเติม.csv" if p.home.no_title else (
            f"tpmap_{d}" + (".xlsx", ".csv", "_cp874.csv")[int(d) % 3])
        by_file.setdefault(name, []).append(p)
    for name, people in sorted(by_file.items()):
        no_title = "สำรวจเพิ่มเติม" in name
        lines = [_poverty_line(p, rng, no_title) for p in people]
        for i, p in enumerate(people, 1):
            where[p.pid] = (name, i)
        _write(folder / "poverty" / name, [], NO_TITLE_HEADER if no_title else POVERTY_HEADER, lines,
               "cp874" if "cp874" in name else "utf-8-sig")
    truth: list[dict[str, Any]] = []
    for fund in ts.funds:
        style = ts.styles[fund.code]
        district = next(d for d in _districts(fund.province_code) if d.code == fund.district_code)
        rows = [r for r in ts.roster if r.fund.code == fund.code]
        rng.shuffle(rows)
        for english in (False, True):
            part = [r for r in rows if r.english == english]
            if english:
                name = f"members_{fund.code}_english.csv"
                titles = [f"กองทุนสวัสดิการชุมชนตำบล{fund.name_th}", "Member list 2024"]
                lines = [_english_line(r, n) for n, r in enumerate(part, 1)]
                header = ENGLISH_HEADER
            else:
                suffix = {"csv_bom": ".csv", "xlsx": ".xlsx", "csv_cp874": "_cp874.csv", "age": "_age.xlsx"}[style]
                name = f"fund_{fund.code}{suffix}"
                titles = [f"กองทุนสวัสดิการชุมชนตำบล{fund.name_th} อำเภอ{district.name_th} จังหวัดบุรีรัมย์",
                          "ทะเบียนสมาชิก ข้อมูล ณ วันที่ 30 กันยายน 2567"]
                lines = [_roster_line(r, n, style) for n, r in enumerate(part, 1)]
                header = ROSTER_HEADER if style != "age" else [h if h != "วันเดือนปีเกิด" else "อายุ"
                                                                for h in ROSTER_HEADER]
            if not part:
                continue
            _write(folder / "rosters" / name, titles, header, lines, "cp874" if "cp874" in name else "utf-8-sig")
            for n, r in enumerate(part, 1):
                target = where.get(r.target.pid) if r.target else None
                decoy = where.get(r.decoy.pid) if r.decoy else None
                truth.append({"roster_file": name, "roster_row": n, "person": r.person.pid, "kind": r.kind,
                              "roster_cid_valid": cid_valid(r.cid), "poverty_file": target[0] if target else "",
                              "poverty_row": target[1] if target else "", "decoy_file": decoy[0] if decoy else "",
                              "decoy_row": decoy[1] if decoy else ""})
    with (folder / "truth.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(truth[0]))
        w.writeheader()
        w.writerows(truth)
    return truth
