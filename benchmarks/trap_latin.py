"""Thai names as people type them in Latin letters, written by hand for the trap benchmark.

Not derived from saphan's romaniser (or any romaniser): these are the spellings seen on English-headed forms,
RTGS beside the informal ones (Somchai/Somchay, -porn/-phon, Ph/P, Th/T, double vowels ee/oo).

Examples:
    >>> LATIN_FIRST_MALE["สำรวย"][0]
    'Samruai'
"""

LATIN_FIRST_MALE: dict[str, tuple[str, ...]] = {
    "สมชาย": ("Somchai", "Somchay"), "สมศักดิ์": ("Somsak", "Somsuk"), "สำรวย": ("Samruai", "Samruay", "Sumruay"),
    "ประเสริฐ": ("Prasert", "Prasoet"), "สุรชัย": ("Surachai", "Surachay"), "วิชัย": ("Wichai", "Vichai"),
    "ชัยวัฒน์": ("Chaiwat", "Chaiwath"), "ธนากร": ("Thanakorn", "Tanakorn"), "ณรงค์": ("Narong", "Naronk"),
    "บุญมี": ("Boonmee", "Bunmi"), "สมพงษ์": ("Sompong", "Somphong"), "อนุชา": ("Anucha", "Anuchar"),
    "สุเทพ": ("Suthep", "Sutep"), "เกรียงไกร": ("Kriangkrai", "Kriengkrai"), "ทองดี": ("Thongdee", "Tongdee"),
    "มานพ": ("Manop", "Manob"), "พงศกร": ("Pongsakorn", "Phongsakon"), "ไพโรจน์": ("Pairoj", "Phairot"),
    "สุริยา": ("Suriya", "Sooriya"), "วีระ": ("Weera", "Veera"), "ศักดิ์ชัย": ("Sakchai", "Sakchay"),
    "กิตติ": ("Kitti", "Kittee"), "อุดม": ("Udom", "Oudom"), "สมบัติ": ("Sombat", "Sombut"),
    "เสถียร": ("Sathian", "Satien"), "บุญเลิศ": ("Boonlert", "Bunloet"), "ชาญชัย": ("Chanchai", "Chanchay"),
    "ธีระ": ("Theera", "Teera"), "นพดล": ("Noppadon", "Nopadol"), "ประยูร": ("Prayoon", "Phrayun"),
}

LATIN_FIRST_FEMALE: dict[str, tuple[str, ...]] = {
    "สมศรี": ("Somsri", "Somsee"), "มาลี": ("Malee", "Mali"), "พรทิพย์": ("Porntip", "Phonthip", "Pornthip"),
    "สุนีย์": ("Sunee", "Suni"), "วันเพ็ญ": ("Wanpen", "Wanphen"), "บุญเรือน": ("Boonruen", "Bunruean"),
    "ประไพ": ("Prapai", "Praphai"), "สายใจ": ("Saijai", "Saichai"), "จันทร์เพ็ญ": ("Chanpen", "Janpen", "Chanphen"),
    "ทองใบ": ("Thongbai", "Tongbai"), "อรุณี": ("Arunee", "Aruni"), "รัตนา": ("Rattana", "Ratana"),
    "นงลักษณ์": ("Nongluck", "Nonglak"), "สุภาพร": ("Supaporn", "Suphaphon"), "กาญจนา": ("Kanchana", "Kanjana"),
    "อำไพ": ("Ampai", "Amphai"), "ลำดวน": ("Lamduan", "Lumduan"), "บัวผัน": ("Buaphan", "Buapan"),
    "เพ็ญศรี": ("Pensri", "Phensi"), "ดวงใจ": ("Duangjai", "Duangchai"),
}

LATIN_LAST: dict[str, tuple[str, ...]] = {
    "พันธุรัตน์": ("Panthurat", "Phanthurat", "Pantoorat"), "ใจดี": ("Jaidee", "Chaidi"),
    "แก้วมณี": ("Kaewmanee", "Kaeomani"), "ศรีสวัสดิ์": ("Srisawat", "Sisawat"),
    "บุญประเสริฐ": ("Boonprasert", "Bunprasoet"), "สุขสวัสดิ์": ("Suksawat", "Sooksawat"),
    "โพธิ์ทอง": ("Phothong", "Pothong"), "มั่นคง": ("Mankong", "Munkong"), "รักษาพล": ("Raksapon", "Raksaphon"),
    "อินทร์แก้ว": ("Inkaew", "Inkaeo"), "ศรีสุข": ("Srisuk", "Sisuk"), "วงศ์ใหญ่": ("Wongyai", "Vongyai"),
    "ชัยมงคล": ("Chaimongkol", "Chaimongkhon"), "บุญมา": ("Boonma", "Bunma"), "ทองคำ": ("Thongkham", "Tongkham"),
    "สมบูรณ์": ("Somboon", "Sombun"), "แสงทอง": ("Saengthong", "Sangtong"), "ปัญญาดี": ("Panyadee", "Panyadi"),
    "เพชรรัตน์": ("Petcharat", "Phetcharat"), "คำแก้ว": ("Khamkaew", "Kumkaew"), "มีสุข": ("Meesuk", "Misuk"),
    "พรหมมา": ("Promma", "Phromma"), "สายทอง": ("Saithong", "Saitong"), "บุญยืน": ("Boonyuen", "Bunyuen"),
    "หอมจันทร์": ("Homchan", "Homjan"), "จันทร์หอม": ("Chanhom", "Janhom"), "ศรีบุญเรือง": ("Sriboonruang", "Siboonrueang"),
}
