"""TPMAP / จปฐ.-style poverty extracts: one row per person of a surveyed household, per area and village.

About 60% of roster members are in some extract (all trap persons are), with some of their household, a few
poor people on no roster, and namesakes. Names are sometimes spelt differently here or carry the maiden
surname; an ID may be missing or mistyped on this side only.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from layout import TEXT_FORMATS, SheetBuilder, parse_cols, write_sheets
from people import AREAS, Person, World, misspelt
from render import render_id, sex_text, title_text
from sheets import write_parquet
from styles import EXTRACT_STYLES

DIMS = ["health", "living", "education", "income", "access"]
MAX_ROWS = 38


def flag(value: bool, style: str, typed: bool) -> Any:
    if style == "01":
        return int(value) if typed else str(int(value))
    return {"มี": ("มี", "ไม่มี"), "tick": ("✓", ""), "YN": ("Y", "N"), "yes": ("Yes", "No")}[style][not value]


def choose_rows(world: World, members: list[Person], rng: random.Random) -> list[tuple[str, list[Person]]]:
    """(area, persons) chunks of at most MAX_ROWS rows, split between villages."""
    on_roster = {p.pid for p in members}
    chunks = []
    for area in AREAS:
        picked: dict[str, Person] = {}
        for hh in world.households[area]:
            hh_members = [p for p in hh if p.pid in on_roster]
            for p in hh:
                if p.trap:
                    picked[p.pid] = p
                elif p.pid in on_roster and rng.random() < 0.6:
                    picked[p.pid] = p
                elif p.pid not in on_roster and any(m.pid in picked for m in hh_members) and rng.random() < 0.3:
                    picked[p.pid] = p
        outside = [hh for hh in world.households[area] if not any(p.pid in on_roster for p in hh)]
        for hh in rng.sample(outside, min(2, len(outside))):  # poor households no fund reaches
            picked.update({p.pid: p for p in hh})
        rows = sorted(picked.values(), key=lambda p: (p.moo, p.house_code, p.pid))
        chunk: list[Person] = []
        for moo in sorted({p.moo for p in rows}):
            village = [p for p in rows if p.moo == moo]
            if chunk and len(chunk) + len(village) > MAX_ROWS:
                chunks.append((area, chunk))
                chunk = []
            chunk += village
        if chunk:
            chunks.append((area, chunk))
    return chunks


class ExtractRow:
    def __init__(self, p: Person, spec: dict[str, Any], rng: random.Random, poverty: dict[str, Any]) -> None:
        self.p, self.spec = p, spec
        self.typed = spec["fmt"] not in TEXT_FORMATS
        r = rng.random()
        habit = "missing" if r < 0.05 else "bad" if r < 0.08 else spec["id"]
        self.id_cell, self.cid, self.valid = render_id(p.cid, habit)
        self.year: int | None = None if rng.random() < 0.04 else p.birth.year + 543
        self.first, self.last = p.first, p.last
        if p.other_last and int(p.pid[1:]) % 2 == 0:
            self.last = p.other_last  # the survey holds her maiden surname
        if p.variant.get("extract") == "first":
            self.first = misspelt(p.first)
        elif p.variant.get("extract") == "last":
            self.last = misspelt(self.last)
        self.poverty = poverty

    def cell(self, role: str) -> Any:
        p, spec, a, typed = self.p, self.spec, AREAS[self.p.area], self.typed
        simple = {"house_code": p.house_code, "house_no": p.house_no, "village_name": p.village,
                  "subdistrict_code": a[3], "subdistrict": a[2], "district": a[1], "province": a[0],
                  "first_name": self.first, "last_name": self.last, "title": title_text(p, spec["title"])}
        if role in simple:
            return simple[role]
        if role == "citizen_id":
            return (None if self.cid is None else self.id_cell) if spec["fmt"] == "parquet" else self.id_cell
        if role == "village_no":
            return p.moo if typed else str(p.moo)
        if role == "sex":
            s = sex_text(p, spec["sex"])
            return int(s) if spec["fmt"] == "parquet" and spec["sex"] == "code" else s
        if role == "birth_year":
            if self.year is None:
                return None if spec["fmt"] == "parquet" else ""
            return self.year if typed else str(self.year)
        if role == "birth_date":
            return "" if self.year is None else p.birth.isoformat()
        if role == "survey_year":
            return 2566 if typed else "2566"
        if role == "welfare_card":
            return flag(self.poverty["card"], spec["card"], typed)
        if role.startswith("dim_"):
            key = {"dim_education": "education"}.get(role, role[4:])
            return flag(self.poverty["dims"][key] == 1, spec["flags"], typed)
        raise ValueError(role)

    def expected(self) -> dict[str, Any]:
        return {"person": self.p.pid, "first_name": self.first, "last_name": self.last, "citizen_id": self.cid,
                "id_valid": self.valid, "birth_year_be": self.year, "age": None,
                "dims": dict(self.poverty["dims"]), "welfare_card": self.poverty["card"]}


def poverty_of(p: Person, rng: random.Random) -> dict[str, Any]:
    dims = {d: int(rng.random() < 0.3) for d in DIMS}
    if rng.random() < 0.85 and not any(dims.values()):
        dims[rng.choice(DIMS)] = 1
    return {"dims": dims, "card": rng.random() < 0.65}


def write_extracts(world: World, members: list[Person], out: Path, rng: random.Random) -> dict[str, Any]:
    files: dict[str, Any] = {}
    poverty: dict[str, dict[str, Any]] = {}
    for i, (area, persons) in enumerate(choose_rows(world, members, rng)):
        spec = EXTRACT_STYLES[i % len(EXTRACT_STYLES)]
        path = "extracts/" + spec["path"].format(a=f"{area.lower().replace('-', '_')}_{i + 1:02d}")
        cols = parse_cols(spec["cols"], area)
        roles = [r for _, _, r in cols]
        for p in persons:
            poverty.setdefault(p.pid, poverty_of(p, rng))
        rows = [ExtractRow(p, spec, rng, poverty[p.pid]) for p in persons]
        sheets_exp = []
        accepted: list[dict[str, Any]] = []
        not_people: list[dict[str, Any]] = []
        if spec["fmt"] == "parquet":
            columns = {sub: [r.cell(role) for r in rows] for _, sub, role in cols}
            types = {sub: "int" if isinstance(next((v for v in vals if v is not None), ""), int) else "str"
                     for sub, vals in columns.items()}
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            write_parquet(out / path, columns, types)
            sheets_exp.append({"sheet": "", "header_lines": [],
                               "columns": {str(k + 1): r for k, r in enumerate(roles)}, "date_order": None})
            accepted = [{"sheet": "", "line": k + 1, **r.expected()} for k, r in enumerate(rows)]
        else:
            if spec["sheets"] == "village":
                groups = [(f"หมู่ {m}", [r for r in rows if r.p.moo == m]) for m in sorted({p.moo for p in persons})]
            else:
                groups = [("" if spec["fmt"] in TEXT_FORMATS else "Sheet1", rows)]
            builders = []
            for name, group in groups:
                b = SheetBuilder(name, len(cols))
                prov, dist, sub = AREAS[area][:3]
                for t in spec["titles"]:
                    b.text(t.format(province=prov, district=dist, subdistrict=sub), "title")
                b.header([[sub for _, sub, _ in cols]], [], repeated=False)
                for r in group:
                    line = b.add([r.cell(role) for role in roles])
                    b.accepted.append({"sheet": name, "line": line, **r.expected()})
                if spec["titles"]:
                    b.add([], "blank")
                    b.add(["", f"รวม {len(group)} คน"], "total")
                builders.append(b)
                sheets_exp.append({"sheet": name, "header_lines": b.header_lines,
                                   "columns": {str(k + 1): r for k, r in enumerate(roles)}, "date_order": None})
                accepted += b.accepted
                not_people += b.not_people
            write_sheets(out / path, spec["fmt"], [b.sheet for b in builders], spec["pad"])
        files[path] = {"dataset": "poverty", "style": spec["style"], "fund": None, "fund_from": None,
                       "sheets": sheets_exp, "accepted": accepted, "not_people": not_people}
    return files
