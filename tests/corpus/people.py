"""The people of the corpus: areas, households and persons, drawn once from a fixed seed.

Written from general knowledge of Thai names and DOPA areas only; nothing here comes from saphan's code or
sample generator. Every person has a stable id (P0001...) that expected.json uses as the linkage truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

# Real DOPA areas (codes and postal codes checked against geothai 3.2.1 once, by hand).
# key: (province, district, subdistrict, subdistrict code, postal code, province_en, district_en, subdistrict_en)
AREAS: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    "BR-NK": ("บุรีรัมย์", "หนองกี่", "หนองกี่", "310501", "31210", "Buri Ram", "Nong Ki", "Nong Ki"),
    "BR-BD": ("บุรีรัมย์", "บ้านด่าน", "บ้านด่าน", "312101", "31000", "Buri Ram", "Ban Dan", "Ban Dan"),
    "BR-NR": ("บุรีรัมย์", "นางรอง", "นางรอง", "310401", "31110", "Buri Ram", "Nang Rong", "Nang Rong"),
    "BR-NM": ("บุรีรัมย์", "เมืองบุรีรัมย์", "ในเมือง", "310101", "31000", "Buri Ram", "Mueang Buri Ram", "Nai Mueang"),
    "BR-LP": ("บุรีรัมย์", "ลำปลายมาศ", "ลำปลายมาศ", "311001", "31130", "Buri Ram", "Lam Plai Mat", "Lam Plai Mat"),
    "BR-PK": ("บุรีรัมย์", "ประโคนชัย", "ประโคนชัย", "310701", "31140", "Buri Ram", "Prakhon Chai", "Prakhon Chai"),
    "BR-ST": ("บุรีรัมย์", "สตึก", "สตึก", "311101", "31150", "Buri Ram", "Satuek", "Satuek"),
    "BR-KS": ("บุรีรัมย์", "กระสัง", "กระสัง", "310301", "31160", "Buri Ram", "Krasang", "Krasang"),
    "BKK-SL": ("กรุงเทพมหานคร", "บางรัก", "สีลม", "100402", "10500", "Bangkok", "Bang Rak", "Si Lom"),
    "BKK-KC": ("กรุงเทพมหานคร", "บางกะปิ", "คลองจั่น", "100601", "10240", "Bangkok", "Bang Kapi", "Khlong Chan"),
    "BKK-KR": ("กรุงเทพมหานคร", "หนองจอก", "กระทุ่มราย", "100301", "10530", "Bangkok", "Nong Chok", "Krathum Rai"),
    "CM-ST": ("เชียงใหม่", "สันทราย", "สันทรายหลวง", "501401", "50290", "Chiang Mai", "San Sai", "San Sai Luang"),
    "CM-SP": ("เชียงใหม่", "เมืองเชียงใหม่", "ศรีภูมิ", "500101", "50200", "Chiang Mai", "Mueang Chiang Mai", "Si Phum"),
    "CM-MR": ("เชียงใหม่", "แม่ริม", "ริมใต้", "500701", "50180", "Chiang Mai", "Mae Rim", "Rim Tai"),
    "CM-SK": ("เชียงใหม่", "สันกำแพง", "สันกำแพง", "501301", "50130", "Chiang Mai", "San Kamphaeng", "San Kamphaeng"),
    "NM-PC": ("นครราชสีมา", "ปากช่อง", "ปากช่อง", "302101", "30130", "Nakhon Ratchasima", "Pak Chong", "Pak Chong"),
    "NM-NM": ("นครราชสีมา", "เมืองนครราชสีมา", "ในเมือง", "300101", "30000", "Nakhon Ratchasima",
              "Mueang Nakhon Ratchasima", "Nai Mueang"),
    "NM-CC": ("นครราชสีมา", "โชคชัย", "โชคชัย", "300708", "30190", "Nakhon Ratchasima", "Chok Chai", "Chok Chai"),
    "NM-TK": ("นครราชสีมา", "ปักธงชัย", "ตะคุ", "301402", "30150", "Nakhon Ratchasima", "Pak Thong Chai", "Takhu"),
}

VILLAGE_NAMES = ["บ้านโนนสูง", "บ้านหนองบัว", "บ้านหนองแวง", "บ้านดอนแดง", "บ้านโคกสะอาด", "บ้านสระแก้ว",
                 "บ้านป่าตาล", "บ้านท่าช้าง", "บ้านใหม่", "บ้านหนองไผ่", "บ้านโนนทอง", "บ้านห้วยทราย"]
BKK_SOI = {"BKK-SL": ["ซอยสีลม 3", "ซอยศาลาแดง"], "BKK-KC": ["ซอยเสรีไทย 7", "ซอยนวมินทร์ 42"],
           "BKK-KR": ["ซอยสุวินทวงศ์ 50", "ซอยเลียบคลองสิบสาม"]}
BKK_ROAD = {"BKK-SL": ["ถนนสีลม"], "BKK-KC": ["ถนนเสรีไทย", "ถนนนวมินทร์"], "BKK-KR": ["ถนนสุวินทวงศ์"]}

# (Thai, romanised as people write it on English forms)
MALE = [("สมชาย", "Somchai"), ("สมศักดิ์", "Somsak"), ("บุญมี", "Boonmee"), ("ประเสริฐ", "Prasert"),
        ("วิชัย", "Wichai"), ("สมพงษ์", "Somphong"), ("ทองดี", "Thongdee"), ("บุญเลิศ", "Boonlert"),
        ("สุรชัย", "Surachai"), ("ชาตรี", "Chatri"), ("อำนาจ", "Amnat"), ("สมบัติ", "Sombat"),
        ("ประยูร", "Prayoon"), ("เสน่ห์", "Sane"), ("ไพโรจน์", "Pairoj"), ("สุรศักดิ์", "Surasak"),
        ("ณรงค์", "Narong"), ("ธนากร", "Thanakorn"), ("กิตติพงษ์", "Kittipong"), ("อนุชา", "Anucha"),
        ("สำรวย", "Samruai"), ("เฉลิม", "Chaloem"), ("วีระ", "Weera"), ("ศักดิ์ชัย", "Sakchai"),
        ("บุญส่ง", "Boonsong"), ("คำพอง", "Khamphong"), ("จำนงค์", "Chamnong"), ("สมหมาย", "Sommai")]
FEMALE = [("สมศรี", "Somsri"), ("บุญมา", "Boonma"), ("มาลี", "Malee"), ("สุดารัตน์", "Sudarat"),
          ("ศรีสุดา", "Srisuda"), ("ประไพ", "Prapai"), ("ทองใบ", "Thongbai"), ("บัวผัน", "Buaphan"),
          ("จันทร์เพ็ญ", "Chanpen"), ("วันเพ็ญ", "Wanpen"), ("นงลักษณ์", "Nongluck"), ("สุภาพร", "Supaporn"),
          ("รัตนา", "Rattana"), ("พรทิพย์", "Porntip"), ("อรุณี", "Arunee"), ("ละเอียด", "La-iad"),
          ("คำปุน", "Khampun"), ("สมหญิง", "Somying"), ("กัลยา", "Kanlaya"), ("ปราณี", "Pranee"),
          ("ยุพิน", "Yupin"), ("อัมพร", "Amporn"), ("เพ็ญศรี", "Pensri"), ("บุษบา", "Butsaba"),
          ("ทองสุข", "Thongsuk"), ("สายใจ", "Saijai"), ("ลำดวน", "Lamduan"), ("บุญเรือน", "Boonruean")]
BOYS = [("ธนวัฒน์", "Thanawat"), ("ณัฐวุฒิ", "Nattawut"), ("ภัทรพล", "Phattharaphon"), ("ธีรภัทร", "Theeraphat")]
GIRLS = [("ชนิดา", "Chanida"), ("ณัฐธิดา", "Natthida"), ("พิมพ์ชนก", "Pimchanok"), ("กัญญาณัฐ", "Kanyanat")]
SURNAMES = [("ใจดี", "Jaidee"), ("ศรีสุข", "Srisuk"), ("พันธุรัตน์", "Panthurat"), ("ทองคำ", "Thongkham"),
            ("แสงทอง", "Saengthong"), ("มีสุข", "Meesuk"), ("สุขสวัสดิ์", "Suksawat"), ("วงศ์ใหญ่", "Wongyai"),
            ("ปัญญาดี", "Panyadee"), ("ชัยมงคล", "Chaimongkol"), ("ศรีสวัสดิ์", "Srisawat"), ("อินทร์แก้ว", "Inkaew"),
            ("กองแก้ว", "Kongkaew"), ("บุญเรือง", "Boonruang"), ("ดวงดี", "Duangdee"), ("สีดา", "Seeda"),
            ("โพธิ์ทอง", "Phothong"), ("ประเสริฐสุข", "Prasertsuk"), ("เพชรรัตน์", "Phetcharat"),
            ("ทองมา", "Thongma"), ("จันทร์หอม", "Chanhom"), ("บุญประเสริฐ", "Boonprasert"), ("แก้วมณี", "Kaewmanee"),
            ("ศรีบุรี", "Sriburi"), ("นาคสวัสดิ์", "Naksawat"), ("สายทอง", "Saithong"), ("หอมจันทร์", "Homchan"),
            ("เกษมสุข", "Kasemsuk"), ("อุดมศักดิ์", "Udomsak"), ("ปานทอง", "Panthong"), ("คำมูล", "Khammoon"),
            ("จันทร์ดี", "Chandee"), ("สิทธิโชค", "Sitthichok"), ("พรหมมา", "Phromma"), ("บุญโญ", "Boonyo"),
            ("สุวรรณศรี", "Suwannasri"), ("ทรัพย์มาก", "Sapmak"), ("ศรีวิชัย", "Sriwichai"), ("กันทา", "Kanta"),
            ("ยาวิชัย", "Yawichai"), ("อินต๊ะ", "Inta"), ("ณ อยุธยา", "Na Ayutthaya"), ("ณ เชียงใหม่", "Na Chiangmai")]
RANKS = ["จ.ส.อ.", "ร.ต.ท.", "ส.อ.", "พ.จ.อ.", "ด.ต."]
RANK_FULL = {"จ.ส.อ.": "จ่าสิบเอก", "ร.ต.ท.": "ร้อยตำรวจโท", "ส.อ.": "สิบเอก", "พ.จ.อ.": "พันจ่าเอก",
             "ด.ต.": "ดาบตำรวจ"}
FILE_DATE = date(2024, 9, 30)  # "ข้อมูล ณ วันที่ 30 กันยายน 2567": ages in the corpus are as at this date


@dataclass
class Person:
    pid: str
    sex: str  # "M" or "F"
    title: str  # the full Thai title: นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง, or a rank's abbreviation
    first: str
    last: str
    first_en: str
    last_en: str
    birth: date
    cid: str
    area: str
    moo: int
    village: str
    house_no: str
    house_code: str
    phone: str
    other_last: str | None = None  # the maiden (or married) surname another source may hold
    variant: dict[str, str] = field(default_factory=dict)  # side -> "first"/"last" spelt differently there
    trap: str = ""  # model, namesake, father, son, twin, abbr_name: the cases a linker must not confuse

    @property
    def age(self) -> int:
        b = self.birth
        return FILE_DATE.year - b.year - ((FILE_DATE.month, FILE_DATE.day) < (b.month, b.day))


def check_digit(first12: str) -> str:
    """The Thai citizen ID check digit: (11 - sum(d_i * (14 - i)) mod 11) mod 10."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def id_is_valid(cid: str) -> bool:
    return len(cid) == 13 and cid.isdigit() and cid[0] != "0" and check_digit(cid[:12]) == cid[12]


class World:
    """Households of each area, with persons numbered in the order they are drawn."""

    def __init__(self, seed: int = 13) -> None:
        self.rng = random.Random(seed)
        self.persons: list[Person] = []
        self.households: dict[str, list[list[Person]]] = {k: [] for k in AREAS}
        self._ids: set[str] = set()
        self._house: dict[str, int] = {k: 0 for k in AREAS}

    def new_cid(self, area: str, birth: date) -> str:
        code = AREAS[area][3][:4]
        kind = "3" if birth.year < 1984 else "1"
        while True:
            body = kind + code + "".join(str(self.rng.randrange(10)) for _ in range(7))
            cid = body + check_digit(body)
            if cid not in self._ids:
                self._ids.add(cid)
                return cid

    def _birth(self, lo: int, hi: int) -> date:
        year = self.rng.randint(lo, hi)
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def person(self, area: str, sex: str, birth: date, home: tuple[int, str, str, str], last: tuple[str, str],
               first: tuple[str, str] | None = None, title: str | None = None) -> Person:
        rng = self.rng
        if first is None:
            child = birth.year >= 2009
            pool = (BOYS if child else MALE) if sex == "M" else (GIRLS if child else FEMALE)
            first = rng.choice(pool)
        if title is None:
            if birth.year >= 2009:
                title = "เด็กชาย" if sex == "M" else "เด็กหญิง"
            elif sex == "M":
                title = rng.choice(RANKS) if rng.random() < 0.06 else "นาย"
            else:
                title = "นาง" if rng.random() < 0.7 else "นางสาว"
        moo, village, house_no, house_code = home
        phone = f"0{rng.choice('689')}{rng.randint(10000000, 99999999)}"
        p = Person(f"P{len(self.persons) + 1:04d}", sex, title, first[0], last[0], first[1], last[1], birth,
                   self.new_cid(area, birth), area, moo, village, house_no, house_code, phone)
        self.persons.append(p)
        return p

    def home(self, area: str) -> tuple[int, str, str, str]:
        rng = self.rng
        moo = rng.randint(1, 12)
        self._house[area] += 1
        house_no = str(rng.randint(1, 240)) + (f"/{rng.randint(1, 9)}" if rng.random() < 0.2 else "")
        # รหัสประจำบ้าน: 4-digit registration office, 6-digit serial, 1 check digit (11 digits)
        body = AREAS[area][3][:4] + f"{rng.randint(0, 999999):06d}"
        code = body + str(sum(int(d) * (11 - i) for i, d in enumerate(body)) % 10)
        return moo, VILLAGE_NAMES[moo - 1], house_no, code

    def household(self, area: str) -> list[Person]:
        """A head, often a spouse, sometimes a child, sharing one house."""
        rng = self.rng
        home = self.home(area)
        last = rng.choice(SURNAMES)
        sex = rng.choice("MF")
        head = self.person(area, sex, self._birth(1940, 1990), home, last)
        members = [head]
        if rng.random() < 0.75:
            spouse_birth = self._birth(max(1938, head.birth.year - 6), min(1992, head.birth.year + 6))
            spouse = self.person(area, "F" if sex == "M" else "M", spouse_birth, home, last)
            if spouse.sex == "F" and spouse.title == "นาง":
                spouse.other_last = rng.choice(SURNAMES)[0]  # her maiden surname
            members.append(spouse)
        if rng.random() < 0.35:
            members.append(self.person(area, rng.choice("MF"), self._birth(1995, 2017), home, last))
        self.households[area].append(members)
        return members

    def build(self, per_area: int = 16) -> None:
        for area in AREAS:
            for _ in range(per_area):
                self.household(area)
        self._traps()
        self._variants()

    def _traps(self) -> None:
        """Namesakes: same name and another valid ID; father and son sharing a first name; twins."""
        rng = self.rng
        for area in ["BR-NK", "CM-ST", "NM-PC", "BKK-KC"]:
            model = self.households[area][0][0]
            home = self.home(area)
            twin = self.person(area, model.sex, self._birth(1945, 1985), home, (model.last, model.last_en),
                               first=(model.first, model.first_en), title=model.title)
            model.trap, twin.trap, model.other_last = "model", "namesake", None
            self.households[area].append([twin])
        for area in ["BR-BD", "CM-SP"]:
            home = self.home(area)
            last = rng.choice(SURNAMES)
            first = rng.choice(MALE)
            father = self.person(area, "M", self._birth(1950, 1960), home, last, first=first, title="นาย")
            son = self.person(area, "M", self._birth(1985, 1992), home, last, first=first, title="นาย")
            father.trap, son.trap = "father", "son"
            self.households[area].append([father, son])
        for area, names in [("BR-NR", (("สมพร", "Somporn"), ("สมพงษ์", "Somphong"))),
                            ("NM-NM", (("วันชัย", "Wanchai"), ("วันชนะ", "Wanchana")))]:
            home = self.home(area)
            last = rng.choice(SURNAMES)
            birth = self._birth(1975, 1990)
            twins = [self.person(area, "M", birth, home, last, first=n, title="นาย") for n in names]
            for t in twins:
                t.trap = "twin"
            self.households[area].append(twins)
        # given names that are also dotless abbreviations of titles (นพ. = doctor, สอ. = corporal)
        for area, first in [("BR-LP", ("นพ", "Nop")), ("NM-CC", ("สอ", "So")), ("BR-PK", ("นพ", "Nop"))]:
            home = self.home(area)
            p = self.person(area, "M", self._birth(1960, 1980), home, rng.choice(SURNAMES), first=first, title="นาย")
            p.trap = "abbr_name"
            self.households[area].append([p])

    def _variants(self) -> None:
        """About one person in eight is spelt differently in the poverty extract."""
        for p in self.persons:
            if self.rng.random() < 0.12 and not p.trap:
                p.variant["extract"] = self.rng.choice(["first", "last"])


SWAPS = [("ศ", "ส"), ("ษ", "ส"), ("ณ", "น"), ("ธ", "ท"), ("ภ", "พ"), ("ญ", "ย"), ("ร", "ล")]
TONES = "่้๊๋"


def misspelt(name: str) -> str:
    """A sound-alike spelling: one consonant swapped, else a tone mark dropped, else a karan letter dropped."""
    for a, b in SWAPS:
        if a in name:
            return name.replace(a, b, 1)
    for t in TONES:
        if t in name:
            return name.replace(t, "", 1)
    if "์" in name:
        i = name.index("์")
        return name[: i - 1] + name[i + 1:]
    return name  # nothing to vary: the same spelling on both sides
