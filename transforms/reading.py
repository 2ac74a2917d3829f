"""Reading a sheet as a person would: header rows, each column's role with its evidence, which lines are people.

The rule (issue 13):
  * The header is the line among the first HEADER_SEARCH_ROWS whose cells name the most known columns. When
    the line below (or above) it holds sub-headers under merged group cells ("ชื่อ - สกุล" over
    "คำนำหน้า | ชื่อ | สกุล"), the two lines are read together: each column's header is its sub-header, else
    its group's, and the pair wins when it names more columns than either line alone.
  * Each column gets one role from two kinds of evidence: what its header says (synonyms normalised for case,
    spaces, punctuation and Thai abbreviations, then keywords) and what its values are (share of valid IDs,
    readable dates, ages, titles, given names, area names ... from ``column_evidence``). Content decides when
    the header is unknown; a header never wins against strong contrary content; a role claimed twice goes to
    the column with the stronger evidence, and the other is named in a warning.
  * A ``[[sources]]`` mapping in the config beats both.
The result is data (``SheetReading``): printed by ``saphan run`` and ``saphan inspect``, kept in the manifest.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from transforms.column_evidence import content_shares, is_sequence
from transforms.headers import HEADER_SEARCH_ROWS, header_key, header_role, header_roles

# Every role a column can be given (and a [[sources]] mapping can name).
ROLES = (
    "citizen_id", "title", "first_name", "last_name", "full_name", "sex", "birth_date", "birth_year", "age",
    "house_no", "village_no", "village_name", "soi", "road", "subdistrict", "district", "province", "postal_code",
    "full_address", "phone", "house_code", "subdistrict_code", "dim_health", "dim_living", "dim_education",
    "dim_income", "dim_access", "welfare_card", "survey_year", "fund_name", "member_no", "member_since",
    "row_number", "ignored",
)
# Roles that become raw columns, by the raw column they fill (others are shown but not staged).
ROLE_FIELD = {"full_address": "address", "member_since": "join_date"}
NOT_STAGED = frozenset({"phone", "row_number", "ignored"})
FLAG_ROLES = ("dim_health", "dim_living", "dim_education", "dim_income", "dim_access", "welfare_card")

# A column without a header that fewer lines fill than this is a spacer (a stray note in it is no role).
MIN_FILLED = 0.3
# Content share needed for content alone to give a role, and for content to overrule a header.
CONTENT_DECIDES = 0.6
CONTENT_OVERRULES = 0.8
# What content test backs each role a header may give (None: no test; any value goes).
_ROLE_TEST: dict[str, tuple[str, ...] | None] = {
    "citizen_id": ("citizen_id",), "birth_date": ("date", "year_be"), "member_since": ("date", "year_be"),
    "birth_year": ("year_be",), "age": ("age",), "postal_code": ("postal_code",), "house_code": ("house_code",),
    "subdistrict_code": ("subdistrict_code",), "sex": ("sex",), "village_no": ("small_int",),
    "title": ("title",), "phone": ("phone",), "house_no": ("house_no",), "province": ("province",),
    "district": ("district",), "subdistrict": ("subdistrict",),
    **{f: ("flag",) for f in FLAG_ROLES},
}
# Kinds of content that are evidence strong enough to overrule a header, and the role each suggests.
_STRONG = (("citizen_id_valid", "citizen_id"), ("date", "birth_date"), ("postal_code", "postal_code"),
           ("house_code", "house_code"), ("full_address", "full_address"))
_STRONG_ROLES = frozenset(role for _, role in _STRONG)
# Roles whose values are so regular that a header naming them is refused when almost none fit ("รายได้ต่อเดือน
# (บาท)" over amounts is no income-poverty flag). Names and area names are not: they may be romanised.
_REFUSABLE = frozenset({"citizen_id", "birth_date", "member_since", "birth_year", "age", "postal_code", "house_code",
                        "subdistrict_code", "sex", "village_no", "phone", *FLAG_ROLES})
_REFUSE_BELOW = 0.2
# Numbers 1..40 fit both ages and หมู่: half of a village column's values are small (a village count rarely
# passes 20); half of an adult roster's ages are over 30.
_VILLAGE_MEDIAN_MAX = 15
_REFUSE_MIN_VALUES = 3


@dataclass
class ColumnReading:
    """One column: where it is, its header as written, the role given and why."""

    column: int  # 1-based, as a person counts columns
    header: str
    role: str
    evidence: str

    def line(self) -> str:
        return f"{self.header or '(blank)'} -> {self.role} ({self.evidence})"


@dataclass
class SheetReading:
    """How one sheet is read: the header lines, the columns' roles, the date habit, warnings."""

    sheet: str
    header_lines: list[int]  # 1-based line numbers in the sheet
    columns: list[ColumnReading]
    warnings: list[str] = field(default_factory=list)

    def roles(self) -> dict[int, str]:
        """{0-based column index: raw column it fills} for the columns that are staged."""
        return {c.column - 1: ROLE_FIELD.get(c.role, c.role) for c in self.columns if c.role not in NOT_STAGED}

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _row_headers(row: Sequence[object], role_of: Callable[[object], str | None]) -> dict[int, str]:
    roles = {}
    for i, cell in enumerate(row):
        role = role_of(cell)
        if role and role != "ignored":
            roles[i] = role
    return roles


def _combined(group: Sequence[object], sub: Sequence[object]) -> list[object]:
    """Each column's header over two lines: its sub-header, else the group cell over it (merged cells spread)."""
    out: list[object] = []
    spread: object = None
    width = max(len(group), len(sub))
    for i in range(width):
        g = group[i] if i < len(group) else None
        s = sub[i] if i < len(sub) else None
        if g not in (None, ""):
            spread = g
        elif s in (None, ""):
            spread = None  # a blank under a blank ends the merged span
        out.append(s if s not in (None, "") else (g if g not in (None, "") else spread if s else None))
    return out


def find_header(
    rows: Sequence[Sequence[object]], synonyms: Mapping[str, str], own: Mapping[str, str] | None = None,
    header_rows: Sequence[int] | None = None, role_of: Callable[[object], str | None] | None = None,
) -> tuple[list[int], list[object]] | None:
    """(0-based header line indexes, the header cell per column) or None when no line names two known columns.

    ``role_of``: ``header_roles(synonyms, own)`` kept by the caller across files (the same answers, remembered).

    Examples:
        >>> syn = {"ชื่อ": "first_name", "สกุล": "last_name", "ที่อยู่": "full_address", "หมู่ที่": "village_no"}
        >>> find_header([["ชื่อ - สกุล", None, "ที่อยู่"], ["ชื่อ", "สกุล", "หมู่ที่"], ["สมชาย", "ใจดี", "3"]], syn)
        ([0, 1], ['ชื่อ', 'สกุล', 'หมู่ที่'])
    """
    own = own or {}
    role_of = role_of or header_roles(synonyms, own)
    if header_rows:  # the config names the header line(s)
        idx = [n - 1 for n in header_rows if 0 < n <= len(rows)]
        if not idx:
            return None
        cells = list(rows[idx[0]])
        for i in idx[1:]:
            cells = _combined(cells, rows[i])
        return idx, cells
    best: tuple[int, list[int], list[object]] | None = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len(_row_headers(row, role_of))
        if count and (best is None or count > best[0]):
            best = (count, [i], list(row))
        if i + 1 < len(rows):
            both = _combined(row, rows[i + 1])
            n2 = len(_row_headers(both, role_of))
            below = len(_row_headers(rows[i + 1], role_of))
            if n2 > max(count, below) and below >= 2 and (best is None or n2 > best[0]):
                best = (n2, [i, i + 1], both)
    configured = best is not None and any(header_role(c, {}, own) for c in best[2])
    if best is None or (best[0] < 2 and not configured):  # one known word alone may be a title line's
        return None
    return best[1], best[2]


def _header_evidence(role: str, shares: Mapping[str, float]) -> tuple[str, float]:
    tests = _ROLE_TEST.get(role)
    if not tests or not shares:
        return "", 1.0
    share = max(shares.get(t, 0.0) for t in tests)
    return f"{share:.0%} {_KIND_WORDS.get(tests[0], tests[0])}", share


_KIND_WORDS = {
    "citizen_id": "13-digit IDs", "citizen_id_valid": "valid IDs", "date": "readable dates", "age": "ages",
    "year_be": "BE years", "postal_code": "postal codes", "house_code": "11-digit house codes",
    "subdistrict_code": "6-digit codes", "sex": "sex values", "small_int": "small numbers", "title": "titles",
    "phone": "phone numbers", "house_no": "house numbers", "flag": "flags", "given_name": "given names",
    "surname": "surnames", "full_name": "two-part names", "titled_name": "names with a title",
    "latin_name": "romanised names", "full_address": "addresses", "village_name": "บ้าน… names",
    "province": "province names", "district": "district names", "subdistrict": "subdistrict names",
}


def _content_role(shares: Mapping[str, float], values_in_order: Sequence[str | None]) -> tuple[str, str] | None:
    """The role the values alone suggest, with the share behind it, or None."""
    def pick(kind: str, role: str) -> tuple[str, str] | None:
        s = shares.get(kind, 0.0)
        return (role, f"{s:.0%} {_KIND_WORDS[kind]}") if s >= CONTENT_DECIDES else None

    if shares.get("flag", 0) >= 0.9:
        return None  # 0/1, Y/N: which dimension or card it flags only a header can say (0 and 1 are ages too)
    if shares.get("citizen_id_valid", 0) >= 0.3 and shares.get("citizen_id", 0) >= CONTENT_DECIDES:
        return "citizen_id", f"{shares['citizen_id_valid']:.0%} valid IDs"
    if is_sequence(values_in_order):
        return "row_number", "counts 1, 2, 3 …"
    for kind, role in (("house_code", "house_code"), ("postal_code", "postal_code"), ("phone", "phone"),
                       ("subdistrict_code", "subdistrict_code"), ("title", "title"), ("sex", "sex"),
                       ("titled_name", "full_name"), ("full_address", "full_address"), ("date", "birth_date"),
                       ("year_be", "birth_year")):
        if found := pick(kind, role):
            return found
    areas = [(shares.get(k, 0.0), k) for k in ("province", "district", "subdistrict")]
    top = max(areas)
    if top[0] >= CONTENT_DECIDES and shares.get("given_name", 0) < top[0]:
        return top[1], f"{top[0]:.0%} {_KIND_WORDS[top[1]]}"
    if shares.get("full_name", 0) >= CONTENT_DECIDES and shares.get("given_name", 0) < 0.5:
        return "full_name", f"{shares['full_name']:.0%} two-part names"
    if shares.get("latin_name", 0) >= CONTENT_DECIDES and shares.get("full_name", 0) >= 0.5:
        return "full_name", f"{shares['latin_name']:.0%} romanised names"
    if shares.get("small_int", 0) >= CONTENT_DECIDES and 0 <= shares.get("int_median", -1) <= _VILLAGE_MEDIAN_MAX:
        return "village_no", f"{shares['small_int']:.0%} small numbers (half at most {shares['int_median']:.0f})"
    for kind, role in (("given_name", "first_name"), ("surname", "last_name"), ("village_name", "village_name"),
                       ("age", "age"), ("small_int", "village_no"), ("house_no", "house_no")):
        if found := pick(kind, role):
            return found
    return None


def column_role(
    header: object, shares: Mapping[str, float], values_in_order: Sequence[str | None],
    synonyms: Mapping[str, str], own: Mapping[str, str], n_values: int = 0,
) -> tuple[str, str, str | None]:
    """(role, evidence, warning or None) for one column from its header and its values (n_values distinct)."""
    text = "" if header is None else " ".join(str(header).split())
    if own and header_key(text) in {header_key(k) for k in own}:
        return own[next(k for k in own if header_key(k) == header_key(text))], "config", None
    by_header = header_role(text, synonyms, {})
    by_content = _content_role(shares, values_in_order) if shares else None
    if by_header == "ignored":
        return "ignored", "header", None
    if by_header:
        said, share = _header_evidence(by_header, shares)
        for kind, role in _STRONG:
            if role != by_header and shares.get(kind, 0) >= CONTENT_OVERRULES and share < 0.3:
                why = f"{shares[kind]:.0%} {_KIND_WORDS[kind]}; header said {by_header}"
                return role, f"content; {why}", f"column '{text}' read as {role} from its values ({why})"
        if by_header in _REFUSABLE and share < _REFUSE_BELOW and n_values >= _REFUSE_MIN_VALUES:
            role, why = by_content if by_content and by_content[0] in _STRONG_ROLES else ("ignored", "")
            note = f"header said {by_header}, but only {said}" + (f"; {why}" if why else "")
            return role, f"content; {note}", f"column '{text}' not read as {by_header}: only {said}"
        if by_header == "full_name" and shares.get("full_name", 1) < 0.3 and shares.get("surname", 0) >= 0.5:
            return "last_name", f"header; {shares['surname']:.0%} surnames, one word each", None
        if by_header == "first_name" and shares.get("full_name", 0) >= CONTENT_OVERRULES:
            return "full_name", f"header; {shares['full_name']:.0%} two-part names", None
        warn = None
        if shares and share < 0.5:
            warn = f"column '{text}' read as {by_header} from its header, but only {said}"
        return by_header, "header" + (f"; {said}" if said else ""), warn
    if by_content:
        role, why = by_content
        return role, f"content; {why}" + (f" (header '{text}' unknown)" if text else " (no header)"), None
    if not shares:
        return "ignored", "empty column" if not text else "header unknown; no values", None
    return "ignored", "header unknown; values fit no role", (
        f"column '{text or '(blank)'}' not used: its header is unknown and its values fit no role")


_DUPLICATE_OK = frozenset({"ignored", "row_number", "phone"})


def read_sheet(
    sheet: str, rows: Sequence[Sequence[object]], samples: Sequence[Sequence[str]],
    ordered: Sequence[Sequence[str | None]], header_at: Sequence[int], header: Sequence[object],
    synonyms: Mapping[str, str], own: Mapping[str, str] | None = None, filled: Sequence[float] = (),
) -> SheetReading:
    """The reading of one sheet: a role per column (see the module's rule) and warnings.

    Args:
        rows: the sheet's first lines (the header among them).
        samples: per column, distinct non-blank values from the data lines (a bounded sample).
        ordered: per column, the first data values in line order (to tell a ลำดับ column).
        header_at, header: what find_header returned.
        filled: per column, the share of data lines that fill it: content alone gives no role to a column
            that only a stray cell or two fill (a spacer column).
    """
    own = own or {}
    width = max(len(samples), len(header))
    cols: list[ColumnReading] = []
    warnings: list[str] = []
    for i in range(width):
        values = samples[i] if i < len(samples) else []
        sparse = i < len(filled) and filled[i] < MIN_FILLED and not (i < len(header) and header[i])
        shares = content_shares(values) if values and not sparse else {}
        role, evidence, warn = column_role(header[i] if i < len(header) else None, shares,
                                           ordered[i] if i < len(ordered) else [], synonyms, own, len(values))
        text = "" if i >= len(header) or header[i] is None else " ".join(str(header[i]).split())
        cols.append(ColumnReading(i + 1, text, role, evidence))
        if warn:
            warnings.append(warn)
    _settle_duplicates(cols, warnings)
    return SheetReading(sheet, [i + 1 for i in header_at], cols, warnings)


def _strength(c: ColumnReading) -> tuple[int, float]:
    source = 3 if c.evidence == "config" else 2 if c.evidence.startswith("header") else 1
    pct = [float(w[:-1]) for w in c.evidence.replace(";", " ").split() if w.endswith("%") and w[:-1].isdigit()]
    return source, max(pct, default=0.0)


def _settle_duplicates(cols: list[ColumnReading], warnings: list[str]) -> None:
    """A role claimed by two columns goes to the stronger; the other is set aside and named in a warning.

    Two date columns without a header that says which: the first is the birth date, the next the joining date.
    """
    by_role: dict[str, list[ColumnReading]] = {}
    for c in cols:
        if c.role not in _DUPLICATE_OK:
            by_role.setdefault(c.role, []).append(c)
    dates = by_role.get("birth_date", [])
    if len(dates) == 2 and "member_since" not in by_role and dates[1].evidence.startswith("content"):
        dates[1].role, dates[1].evidence = "member_since", dates[1].evidence + "; the second date column"
        by_role["birth_date"] = dates[:1]
    for role, claim in by_role.items():
        if len(claim) < 2:
            continue
        keep = max(claim, key=_strength)
        for c in claim:
            if c is not keep:
                warnings.append(f"columns {keep.column} '{keep.header}' and {c.column} '{c.header}' both read as "
                                f"{role}; kept column {keep.column}")
                c.role, c.evidence = "ignored", f"{role} already taken by column {keep.column}"


def guess_dataset(roles: set[str]) -> str | None:
    """'poverty' when the columns are an extract's (house code, dimension flags), 'roster' for a fund's, else None.

    Example: ``guess_dataset({"house_code", "first_name", "dim_health"})`` -> 'poverty'
    """
    if "house_code" in roles or len(roles & set(FLAG_ROLES)) >= 3 or {"survey_year", "welfare_card"} <= roles:
        return "poverty"
    if roles & {"first_name", "full_name"}:
        return "roster"
    return None
