"""Name lookups the address resolver walks with: candidate keys of a written name, the fuzzy options of a
district, and abolished names by skeleton. Pure functions over geothai's gazetteer, cached.
"""

from functools import lru_cache

from transforms.address_gazetteer import (
    CAPITAL_KEYS,
    abolished_index,
    area_codes,
    capital_by_province_name,
    district_index,
    name_key,
    skeleton,
    subdistrict_codes,
    subdistricts_by_district,
)

Codes = tuple[str, ...]


def within(codes: Codes, parents: Codes | None) -> Codes:
    return codes if parents is None else tuple(c for c in codes if c[: len(parents[0])] in parents)


def common(codes: Codes, width: int) -> str | None:
    heads = {c[:width] for c in codes}
    return heads.pop() if len(heads) == 1 else None


@lru_cache(maxsize=None)
def districts_of(province_code: str) -> list[tuple[str, str]]:
    """(name key, code) of a province's districts, for fuzzy matching; "เมือง" left out (exact only)."""
    return [
        (k, c) for k, codes in (*district_index().items(), *capital_by_province_name().items()) for c in codes
        if c[:2] == province_code and k not in CAPITAL_KEYS
    ]


@lru_cache(maxsize=1 << 16)
def name_keys(name: str) -> tuple[str, ...]:
    """Keys to try for a written name: the whole (spaces dropped), then the part before a space.

    Examples:
        >>> name_keys("ต.ในเมือง โทร")
        ('ในเมืองโทร', 'ในเมือง')
    """
    head = name.split()[0] if " " in name.strip() else ""
    return tuple(dict.fromkeys(k for k in (name_key(name), name_key(head)) if k))


@lru_cache(maxsize=1 << 16)  # the same names under the same parents come back address after address
def named_codes(level: str, name: str, parents: Codes | None) -> tuple[Codes, bool]:
    """(codes under ``parents``, exact) for a written name: the first of its ``name_keys`` that finds any by
    exact key or skeleton; ((), True) when none does.

    Examples:
        >>> named_codes("district", "อ.หนองบัวลำภู", None)
        (('3901',), True)
    """
    for key in name_keys(name):
        codes, exact = area_codes(level, key)
        found = within(codes, parents)
        if found:
            return found, exact
    return (), True


@lru_cache(maxsize=None)
def abolished_skeletons() -> dict[str, tuple[str, ...]]:
    """{skeleton: abolished name keys}, so an old name written with PDF noise still finds its successor."""
    out: dict[str, list[str]] = {}
    for key in abolished_index():
        out.setdefault(skeleton(key), []).append(key)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _old_names_by_district() -> dict[str, list[tuple[str, str]]]:
    """{district code: (old name key, successor code)} for abolished subdistricts that were or now are there."""
    out: dict[str, list[tuple[str, str]]] = {}
    for key, olds in abolished_index().items():
        for code, succ in olds:
            for s in succ:
                if s in subdistrict_codes():
                    for district in {code[:4], s[:4]}:
                        out.setdefault(district, []).append((key, s))
    return out


@lru_cache(maxsize=1 << 12)
def children(district_code: str) -> list[tuple[str, str]]:
    """(name key, code) a misspelt subdistrict of this district may be: its subdistricts, and old names of
    abolished ones pointing at their successors, so an old name ties with (never loses to) a neighbour."""
    return [*subdistricts_by_district().get(district_code, ()), *_old_names_by_district().get(district_code, ())]


def child_keys(code: str) -> tuple[str, ...]:
    return tuple(k for k, c in subdistricts_by_district().get(code[:4], ()) if c == code)
