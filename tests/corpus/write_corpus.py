"""Write the real-form corpus (tests/corpus/files/) and its expected reading (tests/corpus/expected.json).

Run from the repository root: ``.venv/bin/python tests/corpus/write_corpus.py``. Deterministic: a fixed seed,
files and keys in a fixed order, so a rerun rewrites the same bytes for CSV/TSV and the same cells elsewhere.
Knows nothing of saphan's reader: it writes files the way offices do and says how a careful person reads them.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from extracts import write_extracts  # noqa: E402
from layout import TEXT_FORMATS, SheetBuilder, header_rows, parse_cols, write_sheets  # noqa: E402
from people import AREAS, BKK_ROAD, BKK_SOI, RANK_FULL, Person, World  # noqa: E402
from render import render_date, render_id, sex_text, thai_digits, title_text, unreadable_date  # noqa: E402
from styles import ROSTERS, TRAP_FILES  # noqa: E402

HERE = Path(__file__).parent
OUT = HERE / "files"
DMY = {"dmy_be", "dmy_be_nopad", "dmy_be_dash", "dmy_yy", "thai_abbr", "thai_full", "thai_full_pso", "dmy_ce"}


def fund_name(spec: dict[str, Any]) -> str:
    return spec.get("fund") or f"กองทุนสวัสดิการชุมชน{spec['fund_kind']}{AREAS[spec['area']][2]}"


def title_line(text: str, spec: dict[str, Any]) -> str:
    prov, dist, sub = AREAS[spec["area"]][:3]
    line = text.format(fund=fund_name(spec), province=prov, district=dist, subdistrict=sub)
    if spec["area"].startswith("BKK"):
        line = line.replace("อำเภอ", "เขต").replace("จังหวัดกรุงเทพมหานคร", "กรุงเทพมหานคร")
    return line


class Row:
    """One person written in one file's habits, with what a careful reader gets back."""

    def __init__(self, p: Person, spec: dict[str, Any], id_habit: str, unreadable: int | None,
                 rng: random.Random, number: int) -> None:
        self.p, self.spec, self.rng, self.number = p, spec, rng, number
        self.excel = spec["fmt"] in ("xlsx", "xls", "ods")
        self.id_cell, self.cid, self.valid = render_id(p.cid, id_habit)
        habit = spec["date"]
        if unreadable is not None:
            self.date_cell: Any = unreadable_date(habit, unreadable)
            self.year: int | None = None
        else:
            self.date_cell, self.year = render_date(p.birth, habit)
            if spec["thai_digits"]:  # typed on a Thai keyboard layout: "๕ ม.ค. ๒๕๑๐"
                self.date_cell = thai_digits(str(self.date_cell))
        self.title_habit = rng.choice(["full", "abbr"]) if spec["title"] == "mixed" else spec["title"]
        self.first = p.first_en if spec["roman"] else p.first
        self.last = p.last_en if spec["roman"] else p.last

    def _num(self, v: int | str) -> int | str:
        return int(v) if self.excel else str(v)

    def cell(self, role: str, header: str) -> Any:
        p, spec, area = self.p, self.spec, AREAS[self.spec["area"]]
        bkk, place = spec["area"].startswith("BKK"), spec["place"]
        if role == "citizen_id":
            return self.id_cell
        if role == "title":
            return title_text(p, self.title_habit)
        if role == "first_name":
            return (title_text(p, self.title_habit) if spec["glue_first"] else "") + self.first
        if role == "last_name":
            return self.last
        if role == "full_name":
            return self.full_name()
        if role == "birth_date":
            return self.date_cell
        if role == "birth_year":
            return self.date_cell if spec["date"].startswith("year") else render_date(p.birth, "year_be")[0]
        if role == "age":
            return self._num(p.age) if spec["age"] == "num" else f"{p.age} ปี"
        if role == "sex":
            return sex_text(p, spec["sex"])
        if role == "house_no":
            return p.house_no
        if role == "village_no":
            return self._num(p.moo)
        if role == "village_name":
            return p.village
        if role == "soi":
            return BKK_SOI[p.area][p.moo % 2]
        if role == "road":
            return BKK_ROAD[p.area][p.moo % len(BKK_ROAD[p.area])]
        if role == "subdistrict":
            return {"plain": area[2], "prefixed": ("แขวง" if bkk else "ต.") + area[2], "en": area[7]}[place]
        if role == "district":
            # the capital district is written just "เมือง" after อ.: the province says which
            short = "เมือง" if area[1].startswith("เมือง") else area[1]
            return {"plain": area[1], "prefixed": ("เขต" if bkk else "อ.") + short, "en": area[6]}[place]
        if role == "province":
            return {"plain": area[0], "prefixed": "กทม." if bkk else "จ." + area[0], "en": area[5]}[place]
        if role == "postal_code":
            return self._num(area[4])
        if role == "full_address":
            return self.address()
        if role == "phone":
            return f"{p.phone[:3]}-{p.phone[3:6]}-{p.phone[6:]}"
        if role == "member_no":
            return f"M{self.number:05d}" if header.isupper() else f"{self.number:04d}"
        if role == "member_since":
            seq = int(p.pid[1:])  # joined some time after birth, by 2024
            joined = date(min(2024, max(2008 + seq % 16, p.birth.year + 1)), 1 + seq % 12, 1 + seq % 28)
            habit = spec["date"] if spec["date"] in DMY | {"iso_ce", "excel_date"} else "dmy_be"
            return render_date(joined, habit)[0]
        if role == "fund_name":
            return fund_name(spec)
        if role == "row_number":
            return self._num(self.number)
        if role == "ignored":
            notes = ["", "", "", "", "ผู้สูงอายุ", "ย้ายที่อยู่", "ผู้พิการ"]
            return self.rng.choice(notes) if header == "หมายเหตุ" else ""
        raise ValueError(role)

    def full_name(self) -> str:
        p, style = self.p, self.spec["name"]
        if style == "en":
            return f"{title_text(p, 'en')} {p.first_en} {p.last_en}"
        if style == "spaced":
            gap = "  " if self.number % 3 == 0 else " "
            return f"{title_text(p, self.title_habit)} {self.first}{gap}{self.last}"
        habit = {"glued": "full", "abbr_glued": "abbr", "long_glued": "long"}[style]
        return f"{title_text(p, habit)}{self.first} {self.last}"

    def address(self) -> str:
        p, a = self.p, AREAS[self.spec["area"]]
        if self.spec["place"] == "en":
            return f"{p.house_no} Moo {p.moo}, {a[7]}, {a[6]}, {a[5]} {a[4]}"
        if self.spec["area"].startswith("BKK"):
            return f"{p.house_no} {BKK_SOI[p.area][p.moo % 2]} แขวง{a[2]} เขต{a[1]} กรุงเทพฯ {a[4]}"
        return f"{p.house_no} ม.{p.moo} {p.village} ต.{a[2]} อ.{a[1]} จ.{a[0]} {a[4]}"

    def expected(self, roles: list[str]) -> dict[str, Any]:
        has_date = "birth_date" in roles or "birth_year" in roles
        return {"person": self.p.pid, "first_name": self.first, "last_name": self.last, "citizen_id": self.cid,
                "id_valid": self.valid, "birth_year_be": self.year if has_date else None,
                "age": self.p.age if "age" in roles else None}


def choose_people(world: World, spec: dict[str, Any], used: set[str], rng: random.Random) -> list[Person]:
    """Members of the area not yet on a roster; the area's traps only go to the files named for them."""
    pool = [p for hh in world.households[spec["area"]] for p in hh if p.pid not in used]
    traps = [p for p in pool if p.trap in ("model", "father", "twin", "abbr_name")]
    rest = [p for p in pool if not p.trap]
    rng.shuffle(rest)
    if spec["title"] == "long" or spec["name"] == "long_glued":  # files that spell ranks out need some ranks
        rest.sort(key=lambda p: p.title not in RANK_FULL)
    if spec["sheets"] == "village":  # a per-village workbook: members of three villages only
        counts: dict[int, int] = {}
        for p in rest:
            counts[p.moo] = counts.get(p.moo, 0) + 1
        top = sorted(counts, key=lambda m: (-counts[m], m))[:3]
        rest = [p for p in rest if p.moo in top]
    chosen = (traps if spec["path"] in TRAP_FILES else []) + rest
    chosen = chosen[: spec["n"]]
    if len(chosen) < spec["n"]:
        raise SystemExit(f"area {spec['area']} has too few people for {spec['path']}")
    used.update(p.pid for p in chosen)
    return sorted(chosen, key=lambda p: (p.moo, p.house_code, p.pid))


def trailer(b: SheetBuilder, kinds: tuple[str, ...], count: int, english: bool) -> None:
    sign_col = max(1, b.width - 4)
    for kind in kinds:
        if kind == "blank":
            b.add([], "blank")
        elif kind == "total":
            b.add(["", f"รวม {count} คน" if count % 2 else f"รวมทั้งสิ้น {count} ราย"], "total")
        elif kind == "total_en":
            b.add(["", f"Total {count} members"], "total")
        elif kind == "signature":
            for text in ["ลงชื่อ..............................................ผู้รับรอง", "(นางบุญช่วย แก้วประเสริฐ)",
                         "ตำแหน่ง ประธานกองทุน"]:
                b.text(text, "signature", sign_col)
        elif kind == "signature_en":
            for text in ["Signed .................................... Certifier", "(Mrs. Boonchuay Kaewprasert)",
                         "Chairperson"]:
                b.text(text, "signature", sign_col)
        elif kind == "note":
            b.text("หมายเหตุ ข้อมูล ณ วันที่ 30 กันยายน 2567" if not english else "Note: data as of 30 Sep 2024",
                   "note")


def id_habits(spec: dict[str, Any], n: int, rng: random.Random) -> list[str]:
    """The file's own habit for every row, except one row per listed exception (a missing ID, a bad digit)."""
    habits = [spec["id"]] * n
    slots = rng.sample(range(2, n), len(spec["id_extra"]))
    for slot, extra in zip(slots, spec["id_extra"], strict=True):
        habits[slot] = extra
    return habits


def build_roster(world: World, spec: dict[str, Any], used: set[str], rng: random.Random) -> tuple[list, dict]:
    people = choose_people(world, spec, used, rng)
    if spec["duplicate"]:  # the same member typed twice, as happens
        people.insert(3, people[2])
    cols = parse_cols(spec["cols"], spec["area"])
    roles = [r for _, _, r in cols]
    habits = id_habits(spec, len(people), rng)
    bad_dates = set(rng.sample(range(1, len(people)), spec["unreadable"]))
    fund = fund_name(spec)
    english = spec["roman"] or spec["title"] == "en"
    if spec["fund_from"] == "sheet":
        groups = [(fund, people)]
    elif spec["sheets"] == "village":
        moos = sorted({p.moo for p in people})
        groups = [(f"หมู่ {m}", [p for p in people if p.moo == m]) for m in moos]
    else:
        groups = [("" if spec["fmt"] in TEXT_FORMATS else "Sheet1", people)]
    builders = []
    k = 0
    for name, members in groups:
        b = SheetBuilder(name, len(cols))
        for t in spec["titles"]:
            b.text(title_line(t, spec), "title", merge=spec["merge_title"])
            if spec["sheets"] == "village" and t.startswith("ทะเบียน"):
                b.text(f"หมู่ที่ {members[0].moo} {members[0].village}", "title", merge=spec["merge_title"])
        hr, hm = header_rows(cols)
        b.header(hr, hm if spec["fmt"] not in TEXT_FORMATS else [], repeated=False)
        moo = None
        for i, p in enumerate(members):
            if spec["repeat"] and i and i % spec["repeat"] == 0:
                b.header(hr, [], repeated=True)
            if spec["subheader"] and p.moo != moo:
                b.add([f"หมู่ที่ {p.moo} {p.village}"], "subheader")
            moo = p.moo
            row = Row(p, spec, habits[k], (k % 4) if k in bad_dates else None, rng, i + 1)
            cells = [row.cell(role, sub) for _, sub, role in cols]
            line = b.add(cells)
            b.accepted.append({"sheet": name, "line": line, **row.expected(roles)})
            k += 1
        trailer(b, spec["trailer"], len(members), english)
        builders.append(b)
    date_order = None
    if "birth_date" in roles:
        date_order = "dmy" if spec["date"] in DMY else "mdy" if spec["date"] == "mdy_ce" else None
    expected = {
        "dataset": "roster", "style": spec["style"], "fund": fund, "fund_from": spec["fund_from"],
        "sheets": [{"sheet": b.sheet.name, "header_lines": b.header_lines,
                    "columns": {str(i + 1): r for i, r in enumerate(roles)}, "date_order": date_order}
                   for b in builders],
        "accepted": [a for b in builders for a in b.accepted],
        "not_people": [n for b in builders for n in b.not_people],
    }
    return [b.sheet for b in builders], expected


def dump_expected(files: dict[str, Any]) -> str:
    """JSON with one line per sheet, accepted row and non-person line: readable and diffable."""
    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    out = ['{"files": {']
    for i, (name, f) in enumerate(files.items()):
        head = {k: f[k] for k in ("dataset", "style", "fund", "fund_from")}
        out.append(f" {one(name)}: {{" + one(head)[1:-1] + ",")
        for key in ("sheets", "accepted", "not_people"):
            items = ",\n   ".join(one(x) for x in f[key])
            end = "]" if key == "not_people" else "],"
            out.append(f"  {one(key)}: [" + (f"\n   {items}\n  " if items else "") + end)
        out.append(" }" + ("," if i < len(files) - 1 else ""))
    out.append("}}")
    return "\n".join(out) + "\n"


def main() -> None:
    world = World(seed=13)
    world.build(per_area=36)
    rng = random.Random(2567)
    if OUT.exists():
        shutil.rmtree(OUT)
    files: dict[str, Any] = {}
    used: set[str] = set()
    members: list[Person] = []
    for spec in ROSTERS:
        sheets, expected = build_roster(world, spec, used, rng)
        write_sheets(OUT / spec["path"], spec["fmt"], sheets, spec["pad"])
        files[spec["path"]] = expected
        members += [p for p in world.persons if p.pid in {a["person"] for a in expected["accepted"]}
                    and p not in members]
    files.update(write_extracts(world, members, OUT, rng))
    (HERE / "expected.json").write_text(dump_expected(files), encoding="utf-8")
    rosters = [f for f in files.values() if f["dataset"] == "roster"]
    extracts = [f for f in files.values() if f["dataset"] == "poverty"]
    in_extract = {a["person"] for f in extracts for a in f["accepted"]}
    linked = sum(1 for p in members if p.pid in in_extract)
    print(f"{len(rosters)} rosters ({sum(len(f['accepted']) for f in rosters)} member lines, {len(members)} "
          f"people), {len(extracts)} extracts ({sum(len(f['accepted']) for f in extracts)} rows); "
          f"{linked / len(members):.0%} of members in some extract")


if __name__ == "__main__":
    main()
