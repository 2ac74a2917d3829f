"""Rosters and poverty extracts full of the traps and differences of issue 14, with a truth table per roster row.

Written apart from saphan's own sample writer (transforms/synth.py, flows/sample.py), so the benchmark does not test
saphan on its own idea of the world. Real Thai names (pythainlp's corpora, sorted before sampling), real areas
(geothai: Buri Ram funds, movers from other Buri Ram subdistricts and from Surin), files as offices write them.

Every roster row has a KIND (see KINDS), the person it is, the poverty person it should link to (or none) and,
for a trap, the decoy it must not link to:

    plain, plain_no_id, age_only       the same person, ID on the roster / no ID / only an age on the roster
    outsider                           a member who is in no extract
    twin                               twins: one birth date, one surname, other first names, IDs one digit apart
    father_son                         one first name and surname, birth years 20-35 apart, one house
    sibling                            first names one letter apart, same surname, born 3-8 years apart
    namesake                           same first and last name, another valid ID; the namesake is linked by
                                       exact ID from his own roster row (namesake_linked)
    age_namesake                       a member with only an age and a namesake born 20-45 years apart
    maiden_name                        a wife on the roster under her husband's surname; the extract (no title, no
                                       sex column) has her maiden name and her husband
    married_no_id                      the same with titles in the extract
    romanised                          an English-headed roster: "Mr. Samruai Panthurat"
    mover_subdistrict[_no_birth]       no ID, the extract has another subdistrict (with / without a birth date)
    mover_province[_no_birth]          the same, another province
    duplicate                          a second roster row of a member (the first is plain)
    id_typo                            one digit of the ID mistyped
    sound_alike                        ศ/ส, ณ/น swapped or tone marks dropped, no ID

Example:
    >>> ts = generate(households=300, seed=1)
    >>> sorted({r.kind for r in ts.roster}) == sorted(KINDS)
    True
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import geothai
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

from benchmarks.trap_latin import LATIN_FIRST_FEMALE, LATIN_FIRST_MALE, LATIN_LAST

AS_OF_BE = 2567
TRAPS = ("twin", "father_son", "sibling", "namesake", "age_namesake", "maiden_name")
DIFFERENCES = ("married_no_id", "romanised", "mover_subdistrict", "mover_subdistrict_no_birth", "mover_province",
               "mover_province_no_birth", "duplicate", "id_typo", "sound_alike")
KINDS = ("plain", "plain_no_id", "age_only", "outsider", "namesake_linked", *TRAPS, *DIFFERENCES)
FUND_PROVINCE, MOVER_PROVINCE = "31", "32"  # Buri Ram funds; Surin for movers from another province
STYLES = ("csv_bom", "xlsx", "csv_cp874", "age")  # roster file styles, dealt to funds in turn
_TONES = "่้๊๋"
_SWAPS = (("ศ", "ส"), ("ส", "ศ"), ("ณ", "น"), ("น", "ณ"), ("ษ", "ส"))


@dataclass
class Home:
    code: str  # house code (รหัสบ้าน), 11 digits
    house_no: str
    village_no: int
    area: geothai.Subdistrict
    surveyed: bool  # in the poverty extract
    no_title: bool = False  # written to an extract without title and sex columns


@dataclass
class Person:
    pid: str
    title: str
    first: str
    last: str
    sex: str  # ชาย / หญิง
    cid: str
    birth: tuple[int, int, int]  # BE year, month, day
    home: Home
    extract_last: str | None = None  # the surname the extract carries, when not `last` (maiden name)
    in_extract: bool = True  # False: left out of a surveyed household (the trap's absent member)


@dataclass
class RosterRow:
    person: Person
    kind: str
    fund: geothai.Subdistrict
    title: str
    first: str
    last: str
    cid: str  # "" when the roster has none
    birth: tuple[int, int, int] | None  # None: no birth date (or only an age)
    home: Home  # the address the roster writes
    target: Person | None  # the poverty person to link to
    decoy: Person | None = None
    english: bool = False


@dataclass
class TrapSet:
    funds: list[geothai.Subdistrict]
    styles: dict[str, str]  # fund subdistrict code -> style
    people: list[Person] = field(default_factory=list)
    roster: list[RosterRow] = field(default_factory=list)

    def extract(self) -> list[Person]:
        """Everyone the poverty extract lists, in house-code order."""
        return [p for p in self.people if p.home.surveyed and p.in_extract]


def check_digit(first12: str) -> str:
    """The 13th digit of a Thai citizen ID. Example: check_digit("331011234567") == "2"."""
    return str((11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10)


def cid_valid(cid: str) -> bool:
    return len(cid) == 13 and cid.isdigit() and check_digit(cid[:12]) == cid[12]


def one_digit_typo(cid: str, rng: random.Random) -> str:
    """The ID with one of its first 12 digits mistyped so that the check digit fails.

    Not every typo does: the third digit weighs 11 (a typo there never shows), and remainders 0 and 10 give one
    check digit. Such a typo is a valid stranger's ID, not this kind: drawn again.
    """
    while True:
        i = rng.randrange(1, 12)
        typo = cid[:i] + rng.choice([d for d in "0123456789" if d != cid[i]]) + cid[i + 1:]
        if not cid_valid(typo):
            return typo


def sound_alike(name: str, rng: random.Random) -> str:
    """A spelling that sounds the same: one ศ/ส/ษ or ณ/น swapped, else the tone marks dropped; name if neither."""
    swaps = [(i, b) for i, ch in enumerate(name) for a, b in _SWAPS if ch == a]
    if swaps and (rng.random() < 0.6 or not any(t in name for t in _TONES)):
        i, b = rng.choice(swaps)
        return name[:i] + b + name[i + 1:]
    return "".join(ch for ch in name if ch not in _TONES)


def _near_pairs(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of real first names one deleted letter apart (สมพร / สมพงษ์ is not; สมพร / สมพรร is)."""
    known = set(names)
    return sorted({(a[:i] + a[i + 1:], a) for a in names for i in range(len(a)) if a[:i] + a[i + 1:] in known
                   and len(a) > 3})


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.male = sorted(thai_male_names())
        self.female = sorted(thai_female_names())
        self.family = sorted(thai_family_names())
        self.near_male = _near_pairs(self.male)
        self.cids: set[str] = set()
        self.codes: set[str] = set()
        self.n = 0

    def cid(self, district: str, year_be: int, consecutive_to: str | None = None) -> str:
        while True:
            if consecutive_to:  # twins registered one after the other: the next sequence number
                body = str(int(consecutive_to[:12]) + 1)
            else:
                kind = "1" if year_be >= 2527 else "3"
                body = kind + district + f"{self.rng.randrange(10**7):07d}"
            cid = body + check_digit(body)
            if cid not in self.cids:
                self.cids.add(cid)
                return cid
            consecutive_to = None

    def home(self, area: geothai.Subdistrict, surveyed: bool = True, no_title: bool = False) -> Home:
        while True:
            code = area.code[:4] + f"{self.rng.randrange(10**7):07d}"
            if code not in self.codes:
                self.codes.add(code)
                break
        no = str(self.rng.randrange(1, 300)) + (f"/{self.rng.randrange(1, 9)}" if self.rng.random() < 0.2 else "")
        return Home(code, no, self.rng.randrange(1, 13), area, surveyed, no_title)

    def person(self, ts: TrapSet, home: Home, sex: str, year: int, first: str | None = None,
               last: str | None = None, married: bool = False, cid: str | None = None) -> Person:
        self.n += 1
        young = year > AS_OF_BE - 15
        title = ("เด็กชาย" if young else "นาย") if sex == "ชาย" else (
            "เด็กหญิง" if young else "นาง" if married else "นางสาว")
        first = first or self.rng.choice(self.male if sex == "ชาย" else self.female)
        last = last or self.rng.choice(self.family)
        birth = (year, self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        p = Person(f"P{self.n:06d}", title, first, last, sex, cid or self.cid(home.area.district_code, year),
                   birth, home)
        ts.people.append(p)
        return p

    def row(self, ts: TrapSet, p: Person, kind: str, fund: geothai.Subdistrict, *, with_id: bool,
            target: Person | None, decoy: Person | None = None, home: Home | None = None, **over: object) -> RosterRow:
        r = RosterRow(p, kind, fund, p.title, p.first, p.last, p.cid if with_id else "", p.birth, home or p.home,
                      target, decoy)
        for k, v in over.items():
            setattr(r, k, v)
        ts.roster.append(r)
        return r

    def common_name(self) -> tuple[str, str]:
        """A man's first name and a surname both common (the corpora hold rare ones as often as common ones)."""
        return self.rng.choice(sorted(LATIN_FIRST_MALE)), self.rng.choice(sorted(LATIN_LAST))

    def adult_year(self) -> int:
        return AS_OF_BE - self.rng.randrange(22, 80)


def _areas(province: str) -> list[geothai.Subdistrict]:
    return sorted((s for d in geothai.districts(province) for s in geothai.subdistricts(d.code)),
                  key=lambda s: s.code)


def _base(g: _Gen, ts: TrapSet, fund: geothai.Subdistrict, households: int) -> None:
    """Families of the fund's subdistrict; about a third of the adults are members."""
    style = ts.styles[fund.code]
    for _ in range(households):
        home = g.home(fund, surveyed=g.rng.random() < 0.55, no_title=g.rng.random() < 0.2)
        head_year = g.adult_year()
        head = g.person(ts, home, "ชาย", head_year)
        family = [head]
        if g.rng.random() < 0.75:
            family.append(g.person(ts, home, "หญิง", head_year + g.rng.randrange(-3, 8), last=head.last,
                                   married=True))
        for _ in range(g.rng.randrange(0, 4)):
            year = head_year + g.rng.randrange(20, 40)
            if year <= AS_OF_BE - 1:
                family.append(g.person(ts, home, g.rng.choice(("ชาย", "หญิง")), year, last=head.last))
        for p in family:
            if p.birth[0] > AS_OF_BE - 20 or g.rng.random() > 0.35:
                continue
            # age rosters are the older, hand-kept ones: fewer IDs
            with_id = g.rng.random() < (0.5 if style == "age" else 0.85)
            if not home.surveyed:
                kind = "outsider"
            elif with_id:
                kind = "plain"
            else:
                kind = "age_only" if style == "age" else "plain_no_id"
            g.row(ts, p, kind, fund, with_id=with_id, target=p if home.surveyed else None)


def _traps(g: _Gen, ts: TrapSet, q: int, movers_from: list[geothai.Subdistrict],
           other_province: list[geothai.Subdistrict]) -> None:
    rng = g.rng
    age_funds = [f for f in ts.funds if ts.styles[f.code] == "age"]
    for i in range(q):
        fund = ts.funds[i % len(ts.funds)]
        absent = i % 2 == 1  # half of the trap members are not in the extract: only the decoy is
        with_id = i % 4 == 0  # mostly no ID: the trap is met by names
        # twins
        home = g.home(fund)
        year = g.adult_year()
        sex = rng.choice(("ชาย", "หญิง"))
        a = g.person(ts, home, sex, year)
        b = g.person(ts, home, sex, year, last=a.last, cid=g.cid(home.area.district_code, year, consecutive_to=a.cid))
        while b.first == a.first:
            b.first = rng.choice(g.male if sex == "ชาย" else g.female)
        b.birth = a.birth
        a.in_extract = not absent
        g.row(ts, a, "twin", fund, with_id=with_id, target=None if absent else a, decoy=b)
        # father and son with one first name
        home = g.home(fund)
        fy = AS_OF_BE - rng.randrange(55, 80)
        father = g.person(ts, home, "ชาย", fy)
        g.person(ts, home, "หญิง", fy + rng.randrange(0, 6), last=father.last, married=True)
        son = g.person(ts, home, "ชาย", fy + rng.randrange(20, 36), first=father.first, last=father.last)
        member, other = (son, father) if i % 3 else (father, son)
        member.in_extract = not absent
        g.row(ts, member, "father_son", fund, with_id=with_id, target=None if absent else member, decoy=other)
        # near-identical siblings
        home = g.home(fund)
        short, long_ = rng.choice(g.near_male)
        year = AS_OF_BE - rng.randrange(25, 60)
        a = g.person(ts, home, "ชาย", year, first=short)
        b = g.person(ts, home, "ชาย", year + rng.randrange(3, 9), first=long_, last=a.last)
        member, other = (a, b) if i % 3 else (b, a)
        member.in_extract = not absent
        g.row(ts, member, "sibling", fund, with_id=with_id, target=None if absent else member, decoy=other)
        # namesakes (common names: สมชาย ใจดี): the poor one is linked by exact ID from his own roster row
        first, last = g.common_name()
        poor = g.person(ts, g.home(fund), "ชาย", g.adult_year(), first=first, last=last)
        member = g.person(ts, g.home(fund, surveyed=False), "ชาย", g.adult_year(), first=first, last=last)
        g.row(ts, poor, "namesake_linked", fund, with_id=True, target=poor)
        g.row(ts, member, "namesake", fund, with_id=True, target=None, decoy=poor)
        # a member with only an age, and a namesake decades apart
        afund = age_funds[i % len(age_funds)]
        first, last = g.common_name()
        year = AS_OF_BE - rng.randrange(60, 85)
        poor = g.person(ts, g.home(afund), "ชาย", year, first=first, last=last)
        member = g.person(ts, g.home(afund, surveyed=False), "ชาย", year + rng.randrange(20, 46), first=first,
                          last=last)
        g.row(ts, member, "age_namesake", afund, with_id=False, target=None, decoy=poor)
        # wives under their husband's surname; the extract keeps the maiden name
        for kind, no_title in (("maiden_name", True), ("married_no_id", False)):
            home = g.home(fund, no_title=no_title)
            husband = g.person(ts, home, "ชาย", g.adult_year())
            wife = g.person(ts, home, "หญิง", husband.birth[0] + rng.randrange(-2, 8), married=True)
            wife.extract_last, wife.last = wife.last, husband.last
            g.row(ts, wife, kind, fund, with_id=False, target=wife, decoy=husband)
        _differences(g, ts, fund, i, movers_from, other_province)


def _differences(g: _Gen, ts: TrapSet, fund: geothai.Subdistrict, i: int, movers_from: list[geothai.Subdistrict],
                 other_province: list[geothai.Subdistrict]) -> None:
    rng = g.rng
    # romanised names on an English-headed roster
    sex = "ชาย" if i % 2 == 0 else "หญิง"
    firsts = LATIN_FIRST_MALE if sex == "ชาย" else LATIN_FIRST_FEMALE
    first, last = rng.choice(sorted(firsts)), rng.choice(sorted(LATIN_LAST))
    p = g.person(ts, g.home(fund), sex, g.adult_year(), first=first, last=last, married=i % 4 == 1)
    g.row(ts, p, "romanised", fund, with_id=i % 3 == 0, target=p, english=True,
          first=rng.choice(firsts[first]), last=rng.choice(LATIN_LAST[last]))
    # movers: the extract has the old home, the roster the new one
    for kind, pool in (("mover_subdistrict", movers_from), ("mover_province", other_province)):
        for suffix in ("", "_no_birth"):
            p = g.person(ts, g.home(rng.choice(pool)), rng.choice(("ชาย", "หญิง")), g.adult_year())
            g.row(ts, p, kind + suffix, fund, with_id=False, target=p, home=g.home(fund, surveyed=False),
                  **({"birth": None} if suffix else {}))
    # duplicate member rows, an ID typo, sound-alike spellings
    p = g.person(ts, g.home(fund), rng.choice(("ชาย", "หญิง")), g.adult_year())
    g.row(ts, p, "plain", fund, with_id=True, target=p)
    g.row(ts, p, "duplicate", fund, with_id=i % 2 == 0, target=p)
    p = g.person(ts, g.home(fund), rng.choice(("ชาย", "หญิง")), g.adult_year())
    g.row(ts, p, "id_typo", fund, with_id=True, target=p, cid=one_digit_typo(p.cid, rng))
    p = g.person(ts, g.home(fund), "ชาย", g.adult_year(),
                 first=rng.choice([n for n in g.male if any(a in n for a, _ in _SWAPS) or any(t in n for t in _TONES)]),
                 last=rng.choice([n for n in g.family if any(a in n for a, _ in _SWAPS)]))
    first, last = sound_alike(p.first, rng), sound_alike(p.last, rng)
    g.row(ts, p, "sound_alike", fund, with_id=False, target=p, first=first, last=last)


def generate(households: int = 3000, seed: int = 1) -> TrapSet:
    """A trap set: about `households` ordinary households in Buri Ram funds, plus max(8, households // 100)
    constructed cases of each trap and difference. Same arguments, same set."""
    g = _Gen(seed)
    buriram, surin = _areas(FUND_PROVINCE), _areas(MOVER_PROVINCE)
    n_funds = max(4, households // 300)
    funds = sorted(g.rng.sample(buriram, n_funds), key=lambda s: s.code)
    ts = TrapSet(funds, {f.code: STYLES[i % len(STYLES)] for i, f in enumerate(funds)})
    for i, fund in enumerate(funds):
        _base(g, ts, fund, households // n_funds + (1 if i < households % n_funds else 0))
    movers_from = [s for s in buriram if s not in funds]
    _traps(g, ts, max(8, households // 100), movers_from, surin)
    return ts
