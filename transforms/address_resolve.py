"""Resolve subdistrict, district and province names (or a code) to current DOPA codes, or say why not.

The walk goes down the hierarchy: province, then district within it, then subdistrict within that.
Each step is an exact name match first, then its skeleton (tone marks, sara am and alike letters folded:
what PDF extraction and typing change); old names go through geothai's abolished list to successors in
the area written; spelling variants are tried only among the children of an area already pinned to one
code (a district, or a postal code when no district is), so a typo can never jump to a same-looking
name elsewhere in the country. A postal code narrows candidates; one that disagrees leaves the address
resolved only when the district or province written independently agrees (the note names them).
Confidence starts at 1, drops with each weakening step, and with each level (district, province, postal
code) left unwritten. Several candidates left means 'ambiguous', with the candidates listed.
"""

from functools import lru_cache
from typing import NamedTuple

from transforms.address_gazetteer import (
    abolished_by_code,
    abolished_index,
    closest,
    district_codes_by_province,
    name_key,
    postal_index,
    province_index,
    skeleton,
    subdistrict_codes,
    subdistrict_index,
)
from transforms.address_lookup import (
    Codes,
    abolished_skeletons,
    child_keys,
    children,
    common,
    districts_of,
    name_keys,
    named_codes,
    within,
)


class Area(NamedTuple):
    """Where an address is: codes (None when not pinned to one), status, confidence, candidates, notes."""

    subdistrict_code: str | None
    district_code: str | None
    province_code: str | None
    status: str
    confidence: float
    candidates: Codes
    notes: tuple[str, ...]


class _Walk:
    """One attempt at resolving; collects notes and multiplies confidence down as evidence weakens."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.confidence = 1.0
        self.misplaced: Codes = ()  # districts named right but outside the province given
        # True when the subdistrict was found by its own name (exact, skeleton or old name), so that a district
        # or province it lies in is independent evidence; a fuzzy match searched inside them is not.
        self.by_name = False

    def doubt(self, note: str, factor: float) -> None:
        self.notes.append(note)
        self.confidence *= factor

    def _named(self, level: str, name: str, parents: Codes | None) -> Codes:
        """Codes for a written name by exact key or skeleton, tried whole and then before a space."""
        found, exact = named_codes(level, name, parents)
        if not exact:
            self.doubt(f"{level} spelling variant (marks, alike letters)", 0.95)
        return found

    def provinces(self, prov: str | None) -> Codes | None:
        if not prov:
            return None
        if prov.isdigit():
            return (prov,) if prov in district_codes_by_province() else self.unknown("province", prov)
        found = self._named("province", prov, None)
        if found:
            return found
        options = [(k, code) for k, codes in province_index().items() for code in codes]
        dist, codes = closest(name_key(prov), options)
        if len(codes) == 1:
            self.doubt("fuzzy province", 0.9)
            return codes
        return self.unknown("province", prov)

    def districts(self, dist: str | None, provinces: Codes | None) -> Codes | None:
        if not dist:
            return None
        if dist.isdigit():
            ok = len(dist) == 4 and dist in district_codes_by_province().get(dist[:2], ())
            return within((dist,), provinces) or None if ok else self.unknown("district", dist)
        found = self._named("district", dist, provinces)
        if found:
            return found
        named = self._named("district", dist, None) if provinces else ()
        if named:
            # The district exists, but not in the province given: trust neither to pick a subdistrict.
            self.doubt(f"district {dist} not in province", 0.6)
            self.misplaced = named
            return None
        if provinces and len(provinces) == 1:
            _, codes = closest(name_key(dist), districts_of(provinces[0]))
            if len(codes) == 1:
                self.doubt("fuzzy district", 0.85)
                return codes
        return self.unknown("district", dist)

    def unknown(self, level: str, name: str) -> Codes | None:
        """Note a name that matches nothing; the walk goes on as if it were not written."""
        self.doubt(f"unknown {level} {name}", 0.7)
        return None

    def abolished(self, sub: str, parents: Codes | None) -> tuple[Codes, list[str]]:
        """Successors of abolished subdistricts of this name whose old area or successor lies in ``parents``:
        an old record may name the district it was in or the one its successor is in now."""
        for key in name_keys(sub):
            for index_key in (key, *abolished_skeletons().get(skeleton(key), ())):
                old = [(code, succ) for code, succ in abolished_index().get(index_key, ())
                       if within((code, *succ), parents)]
                if old:
                    successors = tuple(sorted({s for _, succ in old for s in succ if s in subdistrict_codes()}))
                    return successors, [code for code, _ in old]
        return (), []

    def subdistricts(self, sub: str, districts: Codes | None, provinces: Codes | None, postal: str | None,
                     last: bool = True) -> Codes:
        if sub.isdigit():
            self.by_name = True
            return self.by_code(sub)
        parents = districts or provinces
        found = self._named("subdistrict", sub, parents)
        successors, old = self.abolished(sub, parents) if not found else ((), [])
        if found or successors:
            self.by_name = True
            if successors:
                self.doubt(f"abolished {', '.join(old)} -> {', '.join(successors)}", 0.9)
            return found or successors
        key = name_key(sub)
        in_province = self._named("subdistrict", sub, provinces) if districts and provinces else ()
        if districts and len(districts) == 1:
            dist, codes = closest(key, children(districts[0]))
            if codes and in_province:
                # A near name in the district, the exact name in another district: either may be the slip.
                self.notes.append("fuzzy in the district given, exact in another")
                return tuple(sorted({*codes, *in_province}))
            if codes:
                self.doubt("fuzzy subdistrict", 0.85 - 0.1 * (dist - 1))
                return codes
        if in_province:
            self.by_name = True
            self.doubt("subdistrict not in the district given", 0.6)
            return in_province
        if postal in postal_index() and not (districts and len(districts) == 1):
            # The postal code pins an area as a district does: a misspelt name may be found among its subdistricts.
            served = tuple(sorted(postal_index()[postal or ""]))
            dist, codes = closest(key, [(k, c) for c in within(served, parents) for k in child_keys(c)])
            if codes:
                self.doubt(f"fuzzy subdistrict among those of postal code {postal}", 0.8 - 0.1 * (dist - 1))
                return codes
        if old:
            self.notes.append(f"abolished {', '.join(old)}, no successor")
        if not last:
            return ()
        elsewhere = len(subdistrict_index().get(key, ()))
        self.doubt(f"subdistrict {sub} " + (f"not there (in {elsewhere} elsewhere)" if elsewhere else "unknown"), 0)
        return ()

    def by_code(self, code: str) -> Codes:
        code = code[:6]
        if code in subdistrict_codes():
            return (code,)
        successors = tuple(s for s in abolished_by_code().get(code, ()) if s in subdistrict_codes())
        if successors:
            self.doubt(f"abolished {code} -> {', '.join(successors)}", 0.95)
            return successors
        self.doubt(f"code {code} " + ("abolished, no successor" if code in abolished_by_code() else "unknown"), 0)
        return ()


# What a level left unwritten costs: each level that is written and agrees keeps the confidence up.
_MISSING = {"district": 0.92, "province": 0.96, "postal code": 0.96}


def _agreeing(walk: _Walk, code: str, written: dict[str, Codes | None]) -> list[str]:
    """The levels written beside the subdistrict that independently contain ``code``."""
    return [level for level, codes in written.items()
            if walk.by_name and codes and code[: len(codes[0])] in codes]


def _attempt(sub: str | None, dist: str | None, prov: str | None, postal: str | None) -> Area:
    walk = _Walk()
    provinces = given_provinces = walk.provinces(prov)
    districts = walk.districts(dist, provinces)
    if districts and not provinces:
        provinces = tuple(sorted({d[:2] for d in districts}))
    status = ""
    if sub:
        candidates = walk.subdistricts(sub, districts, provinces, postal, last=not walk.misplaced)
        if not candidates and walk.misplaced:
            # "ต.บ้านยาง อ.ลำปลายมาศ จ.ขอนแก่น": subdistrict and district agree, the province does not.
            candidates = walk.subdistricts(sub, walk.misplaced, None, postal)
            if candidates:
                walk.notes.append("province disagrees")
        using = postal_index().get(postal or "")
        if postal and using is None:
            walk.doubt(f"unknown postal code {postal}", 0.9)
        elif using is not None and candidates:
            kept = tuple(c for c in candidates if c in using)
            others = _agreeing(walk, candidates[0], {"district": districts or walk.misplaced,
                                                     "province": given_provinces})
            if len(kept) < len(candidates) and kept:
                walk.doubt(f"postal code decides among {len(candidates)}", 0.95)
                candidates = kept
            elif not kept and len(candidates) == 1 and others:
                walk.doubt(f"postal code disagrees; {' and '.join(others)} agree{'s' * (len(others) == 1)}", 0.75)
            elif not kept and len(candidates) == 1:
                # Name and postal code point at different places and nothing else sides with either.
                walk.notes.append("postal code disagrees; no other level agrees")
                status = "unresolved"
            elif not kept:
                walk.doubt("postal code disagrees", 0.8)
    elif postal and postal in postal_index():
        # No subdistrict written: the postal code alone is weak evidence, kept within the areas named.
        candidates = within(tuple(sorted(postal_index()[postal])), districts or provinces)
        walk.doubt("no subdistrict; postal code only", 0.6)
    else:
        candidates = ()
        walk.doubt("no subdistrict", 0)
    if status:
        confidence = 0.0
    elif len(candidates) == 1:
        status = "resolved"
        if not (dist or prov or postal):
            walk.notes.append("subdistrict name only")
        for level, text in (("district", dist), ("province", prov), ("postal code", postal)):
            walk.confidence *= 1.0 if text else _MISSING[level]
        confidence = walk.confidence
    elif candidates:
        status, confidence = "ambiguous", min(walk.confidence, 1 / len(candidates))
        n_prov = len({c[:2] for c in candidates})
        where = f"{n_prov} provinces" if n_prov > 1 else f"{len({c[:4] for c in candidates})} districts"
        walk.notes.append(f"{len(candidates)} candidates in {where}" if n_prov == 1 or n_prov < len(
            candidates) else f"name in {where}")
    else:
        status, confidence = "unresolved", 0.0
    one_district = districts[0] if districts and len(districts) == 1 else None
    one_province = provinces[0] if provinces and len(provinces) == 1 else None
    placed = status != "unresolved" and candidates
    return Area(
        subdistrict_code=candidates[0] if status == "resolved" else None,
        district_code=common(candidates, 4) if placed else one_district,
        province_code=common(candidates, 2) if placed else one_province,
        status=status,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        candidates=candidates if len(candidates) > 1 or status == "unresolved" else (),
        notes=tuple(walk.notes),
    )


@lru_cache(maxsize=1 << 17)
def resolve_area(
    subdistrict: str | None,
    district: str | None,
    province: str | None,
    postal_code: str | None = None,
    default_subdistrict: str | None = None,
    default_district: str | None = None,
    default_province: str | None = None,
) -> Area:
    """Resolve area names or codes to current DOPA codes; cached, as rows repeat the same few areas.

    Args:
        subdistrict: Name (any written form) or 6-digit code; an abolished code maps to its successor.
        district: Name, "เมือง" for the capital district, or 4-digit code.
        province: Name, กทม/กรุงเทพฯ/อยุธยา, or 2-digit code.
        postal_code: Five digits; narrows candidates, never overrides a name.
        default_subdistrict, default_district, default_province: the file's own context, used only
            for the levels the row leaves empty, and dropped if the row does not fit inside them.

    Returns:
        An Area. Status 'resolved' means one current subdistrict code.

    Examples:
        >>> resolve_area("310107", None, None).subdistrict_code
        '311601'
        >>> resolve_area("บ้านยาง", None, "บุรีรัมย์").status
        'ambiguous'
    """
    filled = (
        subdistrict or default_subdistrict, district or default_district, province or default_province,
    )
    area = _attempt(*filled, postal_code)
    if filled == (subdistrict, district, province):
        return area
    used = area._replace(notes=(*area.notes, "default area used"), confidence=round(area.confidence * 0.95, 3))
    if area.status == "resolved" and not any(" not " in n for n in area.notes):
        return used
    # The row does not sit well inside the file's default area: see whether it reads better alone.
    bare = _attempt(subdistrict, district, province, postal_code)
    if _rank(bare) > _rank(area):
        return bare._replace(notes=(*bare.notes, "outside the default area"))
    return used


_STATUS_RANK = {"unresolved": 0, "ambiguous": 1, "resolved": 2}


def _rank(area: Area) -> tuple[int, float]:
    return _STATUS_RANK[area.status], area.confidence
