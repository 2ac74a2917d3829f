"""Shared pieces of the roster and extract styles: members of a fund, one written record per line.

Example:
    >>> rec = Rec.of(person, rng, id_style="dashed", date_style="dmy_be")   # doctest: +SKIP
    >>> rec.entry()["citizen_id"]                                           # doctest: +SKIP
    '3400143915003'
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from _people import FEMALE, MALE, UNREADABLE_DATES, Person, Population, broken_id, fmt_date, fmt_id, id_is_valid


def members(pop: Population, area: str, n: int, fund: str, *, born: tuple[int, int] = (1940, 2003),
            village: tuple[int, str] | None = None) -> list[Person]:
    """n new people of `area` who are members of `fund`; about one in five shares the previous one's house."""
    out: list[Person] = []
    for _ in range(n):
        prev = out[-1] if out else None
        if prev is not None and pop.rng.random() < 0.2:
            # a housemate: same house and surname, never the same given name
            sex = "F" if prev.sex == "M" else "M"
            first = pop.rng.choice([n for n in (MALE if sex == "M" else FEMALE) if n != prev.first])
            p = pop.person(area, sex=sex, first=first, born=born, village=(prev.village_no, prev.village_name),
                           house_no=prev.house_no, last=prev.last)
        else:
            p = pop.person(area, born=born, village=village)
        p.extra["fund"] = fund
        out.append(p)
    return out


@dataclass
class Rec:
    """One person as written on one line."""

    person: Person
    title: str
    first: str
    last: str
    cid_cell: Any
    cid: str | None
    date_cell: Any
    year_be: int | None
    age: int | None = None

    @classmethod
    def of(cls, p: Person, rng: random.Random, *, id_style: str = "plain", date_style: str | None = "dmy_be",
           typo: float = 0.07, missing_id: float = 0.05, bad_date: float = 0.05, sci: float = 0.0,
           age: bool = False, last: str | None = None, first: str | None = None) -> Rec:
        digits: str | None = p.cid
        r = rng.random()
        style = id_style
        if r < typo:
            digits = broken_id(p.cid, rng)
        elif r < typo + missing_id:
            digits = None
        elif r < typo + missing_id + sci:
            style = "sci"
        cid_cell, cid = fmt_id(digits, style)
        if date_style is None:
            date_cell, year = "", None
        elif rng.random() < bad_date:
            date_cell, year = rng.choice(UNREADABLE_DATES), None
        else:
            date_cell, year = fmt_date(p.birth, date_style)
        return cls(p, p.title, first or p.first, last or p.last, cid_cell, cid, date_cell, year,
                   p.age if age else None)

    def entry(self) -> dict[str, Any]:
        """The accepted-line expectation (without sheet and line)."""
        return {"person": self.person.pid, "first_name": self.first, "last_name": self.last,
                "citizen_id": self.cid, "id_valid": None if self.cid is None else id_is_valid(self.cid),
                "birth_year_be": self.year_be, "age": self.age}


def file_expect(dataset: str, style: str, fund: str | None, fund_from: str | None, sheets: list) -> dict:
    """expected.json's entry for one file, from its filled sheets."""
    for s in sheets:
        s.check()
    return {
        "dataset": dataset, "style": style, "fund": fund, "fund_from": fund_from,
        "sheets": [{"sheet": s.name, "header_lines": s.header_lines, "columns": s.columns,
                    "date_order": s.date_order} for s in sheets],
        "accepted": [a for s in sheets for a in s.accepted],
        "not_people": [n for s in sheets for n in s.not_people],
    }
