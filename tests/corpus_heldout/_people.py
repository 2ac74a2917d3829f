"""People, places and cell formats for the held-out corpus (independent of saphan: no import from it).

Every person is a `Person` with a true citizen ID (check digit valid), a birth date and an address in a real
subdistrict. Formatters turn a true value into the cell a volunteer would type and return, beside it, what a
careful reader should get back from that cell: `fmt_id(...) -> (cell, digits_or_None)`,
`fmt_date(...) -> (cell, birth_year_be_or_None)`.

Example:
    >>> fmt_id("3400100123458", "dashed")
    ('3-4001-00123-45-8', '3400100123458')
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# Ages are counted at the end of the Thai fiscal year 2567 (30 September 2024).
AGE_DATE = dt.date(2024, 9, 30)

# key: (subdistrict, district, province, subdistrict code, postal code); checked against geothai in the test.
AREAS: dict[str, tuple[str, str, str, str, str]] = {
    "sila": ("ศิลา", "เมืองขอนแก่น", "ขอนแก่น", "400114", "40000"),
    "banpet": ("บ้านเป็ด", "เมืองขอนแก่น", "ขอนแก่น", "400115", "40000"),
    "phralap": ("พระลับ", "เมืองขอนแก่น", "ขอนแก่น", "400107", "40000"),
    "banphai": ("ในเมือง", "บ้านไผ่", "ขอนแก่น", "401002", "40110"),
    "chumphae": ("ชุมแพ", "ชุมแพ", "ขอนแก่น", "400501", "40130"),
    "khamyai": ("ขามใหญ่", "เมืองอุบลราชธานี", "อุบลราชธานี", "340108", "34000"),
    "chaeramae": ("แจระแม", "เมืองอุบลราชธานี", "อุบลราชธานี", "340109", "34000"),
    "saensuk": ("แสนสุข", "วารินชำราบ", "อุบลราชธานี", "341518", "34190"),
    "that": ("ธาตุ", "วารินชำราบ", "อุบลราชธานี", "341502", "34190"),
    "salakdai": ("สลักได", "เมืองสุรินทร์", "สุรินทร์", "320106", "32000"),
    "nokmueang": ("นอกเมือง", "เมืองสุรินทร์", "สุรินทร์", "320111", "32000"),
    "thatum": ("ท่าตูม", "ท่าตูม", "สุรินทร์", "320301", "32120"),
    "kangaen": ("กังแอน", "ปราสาท", "สุรินทร์", "320501", "32140"),
    "khohong": ("คอหงส์", "หาดใหญ่", "สงขลา", "901104", "90110"),
    "khuanlang": ("ควนลัง", "หาดใหญ่", "สงขลา", "901102", "90110"),
    "boyang": ("บ่อยาง", "เมืองสงขลา", "สงขลา", "900101", "90000"),
    "khaorupchang": ("เขารูปช้าง", "เมืองสงขลา", "สงขลา", "900102", "90000"),
    "pakphun": ("ปากพูน", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช", "800120", "80000"),
    "thasak": ("ท่าซัก", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช", "800121", "80000"),
    "pakphraek": ("ปากแพรก", "ทุ่งสง", "นครศรีธรรมราช", "800901", "80110"),
    "aranyik": ("อรัญญิก", "เมืองพิษณุโลก", "พิษณุโลก", "650117", "65000"),
    "wangthong": ("วังทอง", "วังทอง", "พิษณุโลก", "650801", "65130"),
    "bangrakam": ("บางระกำ", "บางระกำ", "พิษณุโลก", "650401", "65140"),
    "phichai": ("พิชัย", "เมืองลำปาง", "ลำปาง", "520111", "52000"),
    "tonthongchai": ("ต้นธงชัย", "เมืองลำปาง", "ลำปาง", "520117", "52000"),
    "chomphu": ("ชมพู", "เมืองลำปาง", "ลำปาง", "520106", "52100"),
}

VILLAGE_NAMES = ["บ้านโนนสว่าง", "บ้านหนองแวง", "บ้านดอนยาง", "บ้านหนองบัว", "บ้านโคกกลาง", "บ้านนาดี",
                 "บ้านทุ่งใหญ่", "บ้านหัวนา", "บ้านป่าแดง", "บ้านใหม่พัฒนา", "บ้านสระแก้ว", "บ้านท่าช้าง"]

MALE = ["สมชาย", "สมศักดิ์", "ประเสริฐ", "บุญมี", "สุรชัย", "วิชัย", "ธนากร", "อนุชา", "สมพงษ์", "ทองดี",
        "บุญเลิศ", "คำพันธ์", "สุริยา", "เกรียงไกร", "ชัยวัฒน์", "ณรงค์", "พิทักษ์", "อำนาจ", "ไพโรจน์",
        "สมบัติ", "วีระพงษ์", "ศักดิ์ชัย", "นพ", "ประสิทธิ์", "จักรพันธ์", "ธีรวุฒิ", "อภิชาติ", "บุญส่ง"]
FEMALE = ["สมศรี", "บุญเรือน", "มาลี", "สุดารัตน์", "วันเพ็ญ", "ประภา", "ลำดวน", "คำปุ่น", "จันทร์เพ็ญ",
          "นงลักษณ์", "สุภาพ", "ทองใบ", "ละเอียด", "พรทิพย์", "กาญจนา", "รัตนา", "อรุณี", "เพ็ญศรี",
          "บัวผัน", "ศรีไพร", "สุนีย์", "อัมพร", "ปราณี", "ยุพิน", "จิราพร", "ศิริพร", "นิตยา", "วรรณา"]
SURNAMES = {
    "isan": ["ศรีสุข", "บุญมา", "ทองคำ", "แสนสุข", "พรมมา", "ศรีบุญเรือง", "จันทร์หอม", "บุญประเสริฐ",
             "ภูมิพันธ์", "วงศ์ษา", "แก้วมณี", "ชัยศรี", "อินทร์แก้ว", "พิมพ์สวัสดิ์", "มูลสาร", "คำภู",
             "ผาสุข", "นามวงศ์", "หอมจันทร์", "สีดา"],
    "south": ["ทองแก้ว", "แก้วประดิษฐ์", "สุวรรณชาตรี", "เพชรรัตน์", "ขุนทอง", "ศรีสวัสดิ์", "หนูแก้ว",
              "ช่วยชู", "เส้งสุย", "ณ นคร", "ณ พัทลุง", "ณ สงขลา", "แก้วมณี", "จันทร์หอม"],
    "north": ["อินต๊ะ", "ปัญญาวงศ์", "คำฟู", "สิทธิวงศ์", "ใจยา", "ศรีวิชัย", "วงศ์ใหญ่", "ณ ลำปาง",
              "จันทร์ดี", "ทองสุข", "ศรีเมือง", "บุญมา", "พรมมา", "ชัยศรี"],
}
REGION = {"ขอนแก่น": "isan", "อุบลราชธานี": "isan", "สุรินทร์": "isan", "สงขลา": "south",
          "นครศรีธรรมราช": "south", "พิษณุโลก": "north", "ลำปาง": "north"}

# Spellings by sound (ศ/ส, ณ/น, dropped karan ...) an enumerator might type for a name.
SOUND_ALIKE = {
    "พรทิพย์": "พรทิพ", "กาญจนา": "กาญจณา", "ศรีสุข": "ศรีสุก", "วงศ์ษา": "วงษา", "ภูมิพันธ์": "ภูมิพันธุ์",
    "นงลักษณ์": "นงลักษ์", "สุภาพ": "สุพาพ", "ชัยวัฒน์": "ชัยวัฒ", "เพ็ญศรี": "เพ็ญสี", "ปัญญาวงศ์": "ปัญญาวงค์",
    "พิมพ์สวัสดิ์": "พิมสวัสดิ์", "สิทธิวงศ์": "สิทธิวงค์", "สมศักดิ์": "สมศัก", "ประสิทธิ์": "ประสิทธ์",
    "ศิริพร": "สิริพร", "แก้วมณี": "แก้วมนี", "จันทร์หอม": "จันหอม", "ทองแก้ว": "ทองแกัว",
}

ROMAN = {
    "สมชาย": "Somchai", "สมศักดิ์": "Somsak", "ประเสริฐ": "Prasert", "บุญมี": "Boonmee", "สุรชัย": "Surachai",
    "วิชัย": "Wichai", "ธนากร": "Thanakorn", "อนุชา": "Anucha", "สมพงษ์": "Sompong", "ทองดี": "Thongdee",
    "มาลี": "Malee", "สมศรี": "Somsri", "วันเพ็ญ": "Wanphen", "ประภา": "Prapha", "รัตนา": "Rattana",
    "ปราณี": "Pranee", "ยุพิน": "Yupin", "นิตยา": "Nittaya", "กาญจนา": "Kanchana", "อรุณี": "Arunee",
    "ทองแก้ว": "Thongkaew", "แก้วประดิษฐ์": "Kaewpradit", "เพชรรัตน์": "Phetcharat", "ขุนทอง": "Khunthong",
    "ศรีสวัสดิ์": "Srisawat", "หนูแก้ว": "Nookaew", "ช่วยชู": "Chuaychoo", "ณ นคร": "Na Nakhon",
    "ณ สงขลา": "Na Songkhla", "แก้วมณี": "Kaewmanee", "จันทร์หอม": "Chanhom", "สุวรรณชาตรี": "Suwanchatree",
    "เส้งสุย": "Sengsui", "ณ พัทลุง": "Na Phatthalung",
}

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
MONTHS_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


def check_digit(first12: str) -> str:
    """The 13th digit of a Thai citizen ID: check_digit("340010012345") -> "8"."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def id_is_valid(digits: str) -> bool:
    """True when 13 digits end in their check digit."""
    return len(digits) == 13 and digits.isdigit() and check_digit(digits[:12]) == digits[12]


def broken_id(digits: str, rng: random.Random) -> str:
    """The same ID with one of digits 6-12 retyped, so the check digit fails (a volunteer's typo)."""
    while True:
        pos = rng.randrange(5, 12)
        new = digits[:pos] + str(rng.randrange(10)) + digits[pos + 1:]
        if not id_is_valid(new):
            return new


@dataclass
class Person:
    pid: str
    sex: str  # "M" / "F"
    title: str
    first: str
    last: str
    birth: dt.date
    cid: str
    area: str
    house_no: str
    village_no: int
    village_name: str
    phone: str
    maiden: str | None = None  # a married woman's maiden surname, which another source may hold
    extra: dict = field(default_factory=dict)

    @property
    def year_be(self) -> int:
        return self.birth.year + 543

    @property
    def age(self) -> int:
        b = self.birth
        return AGE_DATE.year - b.year - ((AGE_DATE.month, AGE_DATE.day) < (b.month, b.day))

    @property
    def place(self) -> tuple[str, str, str, str, str]:
        return AREAS[self.area]


class Population:
    """Makes people with fresh ids H0001, H0002, ... from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self._used_ids: set[str] = set()

    def _cid(self, birth: dt.date, area: str) -> str:
        district = AREAS[area][3][:4]
        head = "3" if birth.year < 1984 else "1"
        while True:
            body = head + district + "".join(str(self.rng.randrange(10)) for _ in range(7))
            cid = body + check_digit(body)
            if cid not in self._used_ids:
                self._used_ids.add(cid)
                return cid

    def person(self, area: str, *, sex: str | None = None, first: str | None = None, last: str | None = None,
               born: tuple[int, int] = (1940, 2003), village: tuple[int, str] | None = None,
               house_no: str | None = None) -> Person:
        """A new person living in `area` (a key of AREAS)."""
        rng = self.rng
        sex = sex or rng.choice("MF")
        region = REGION[AREAS[area][2]]
        first = first or rng.choice(MALE if sex == "M" else FEMALE)
        last = last or rng.choice(SURNAMES[region])
        birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
        age = AGE_DATE.year - birth.year
        if sex == "M":
            title = "นาย" if age >= 15 else "เด็กชาย"
        else:
            title = rng.choice(["นาง", "นาง", "นางสาว"]) if age >= 15 else "เด็กหญิง"
        maiden = None
        if title == "นาง" and rng.random() < 0.3:
            maiden = rng.choice([s for s in SURNAMES[region] if s != last])
        if village is None:
            n = rng.randint(1, 12)
            village = (n, VILLAGE_NAMES[(n + len(area)) % len(VILLAGE_NAMES)])
        house_no = house_no or (str(rng.randint(1, 250)) + (f"/{rng.randint(1, 9)}" if rng.random() < 0.2 else ""))
        phone = "0" + rng.choice("689") + "".join(str(rng.randrange(10)) for _ in range(8))
        p = Person(f"H{len(self.people) + 1:04d}", sex, title, first, last, birth, self._cid(birth, area), area,
                   house_no, village[0], village[1], phone, maiden)
        self.people.append(p)
        return p


# ---- cell formats -------------------------------------------------------------------------------------------

def fmt_id(digits: str | None, style: str) -> tuple[object, str | None]:
    """(cell as typed, the 13 digits a reader should get or None). Styles: plain, dashed, spaced, apostrophe,
    thai, number, float, sci (Excel General in a CSV: digits lost, so None), missing."""
    if digits is None or style == "missing":
        return "", None
    d = digits
    if style == "plain":
        return d, d
    if style == "dashed":
        return f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}", d
    if style == "spaced":
        return f"{d[0]} {d[1:5]} {d[5:10]} {d[10:12]} {d[12]}", d
    if style == "apostrophe":
        return "'" + d, d
    if style == "thai":
        return d.translate(THAI_DIGITS), d
    if style == "number":
        return int(d), d
    if style == "float":
        return float(d), d
    if style == "sci":
        mant = f"{int(d) / 10 ** 12:.4f}".rstrip("0").rstrip(".")
        return f"{mant}E+12", None
    raise ValueError(style)


def fmt_date(d: dt.date | None, style: str) -> tuple[object, int | None]:
    """(cell as typed, birth year BE a reader should get or None)."""
    if d is None:
        return "", None
    be = d.year + 543
    forms = {
        "dmy_be": f"{d.day:02d}/{d.month:02d}/{be}",
        "dmy_be_loose": f"{d.day}/{d.month}/{be}",
        "dmy_be_thai": f"{d.day:02d}/{d.month:02d}/{be}".translate(THAI_DIGITS),
        "dmy_yy_dash": f"{d.day:02d}-{d.month:02d}-{be % 100:02d}",
        "abbr_yy": f"{d.day} {MONTHS_ABBR[d.month - 1]} {be % 100:02d}",
        "abbr_be": f"{d.day} {MONTHS_ABBR[d.month - 1]} {be}",
        "full_be": f"{d.day} {MONTHS[d.month - 1]} {be}",
        "iso_ce": d.isoformat(),
        "iso_ce_time": d.isoformat() + " 00:00:00",
        "mdy_ce": f"{d.month}/{d.day}/{d.year}",
        "dmy_ce": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "ymd_compact_ce": d.strftime("%Y%m%d"),
    }
    if style in forms:
        return forms[style], be
    if style == "cell":  # an Excel/ODS date cell
        return d, be
    if style == "year_be":
        return be, be
    raise ValueError(style)


UNREADABLE_DATES = ["ไม่ทราบ", "-", "ไม่ระบุ", "00/00/0000", "??"]
