"""An embedded Thai font for the HTML report: Noto Sans Thai (SIL OFL 1.1), cut to the characters a page uses.

A planner's machine may have no Thai font; then every Thai letter of the report is a box. The report therefore
carries its own font, as a data URI in @font-face, so it needs no network and no installed font. The whole font is
219 KB; cut to the characters of one report (Thai, digits and Latin letters all come from it), to normal width and
weights 400-700, and compressed as WOFF2 it is about 16 KB. It stays variable, so bold and regular share one file.

The font file comes from the package ``fontpkg-noto-sans-thai``; its licence (OFL) allows embedding and subsetting.
The subset is deterministic: the same characters give the same bytes (the font's timestamp is not renewed).
"""

import base64
import io
from functools import lru_cache

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

__all__ = ["FONT_FAMILY", "FONT_LICENSE", "font_characters", "font_face_css", "font_subset_woff2"]

FONT_FAMILY = "saphan Noto Sans Thai"  # its own name, so the page never silently uses an installed copy instead
FONT_LICENSE = "Noto Sans Thai, Copyright 2022 The Noto Project Authors, SIL Open Font License 1.1"
_SOURCE_FAMILY = "Noto Sans Thai"
# The page uses normal width and two weights, regular (400) and bold (700): keeping only that range of the font's
# axes cuts the data a third of the way again (49 KB -> 16 KB for the sample report) and both weights stay exact.
_AXES = {"wdth": 100, "wght": (400, 700)}
# Characters a text engine asks the font for although the text never holds them. HarfBuzz's Thai shaper splits
# sara am (U+0E33) into nikhahit (U+0E4D) and sara aa (U+0E32) and looks each up in the cmap, so a subset cut to
# "ตำบล" alone draws a box for the nikhahit (seen in Chromium: ต▯าบล).
_SHAPER_NEEDS = {"\u0e33": "\u0e4d\u0e32"}


@lru_cache(maxsize=8)
def font_subset_woff2(characters: str) -> bytes:
    """Noto Sans Thai cut to `characters` (those it has), with what Thai shaping needs, to normal width and weights
    400-700, as WOFF2 bytes.

    Examples:
        >>> font_subset_woff2("กข")[:4]
        b'wOF2'
    """
    font = TTFont(fontpkg.path(_SOURCE_FAMILY), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # every GSUB/GPOS feature: Thai marks are placed by mark and mkmk
    options.name_IDs = ["*"]  # keep the copyright and licence records the OFL asks to keep
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    cut = io.BytesIO()
    font.save(cut)  # instanced after subsetting, from the saved cut (the instancer cannot read a lazily loaded one)
    font = instancer.instantiateVariableFont(TTFont(cut, recalcTimestamp=False), _AXES)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_characters(text: str) -> str:
    """The characters to keep for `text`: its own, digits and space, and those a shaper adds (sara am's parts).

    Examples:
        >>> font_characters("ตำ") == "".join(sorted(" 0123456789" + "\u0e15\u0e33\u0e4d\u0e32"))
        True
    """
    chars = set(text) | set(" 0123456789")
    for c, extra in _SHAPER_NEEDS.items():
        if c in chars:
            chars |= set(extra)
    return "".join(sorted(chars))


def font_face_css(text: str) -> str:
    """An @font-face rule whose font is Noto Sans Thai cut to the characters of `text`, as a data URI.

    Examples:
        >>> css = font_face_css("สวัสดี")
        >>> css.startswith('@font-face{font-family:"saphan Noto Sans Thai";src:url(data:font/woff2;base64,')
        True
    """
    data = base64.b64encode(font_subset_woff2(font_characters(text))).decode("ascii")
    return (f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff2;base64,{data}) format("woff2");'
            "font-weight:400 700;font-style:normal;font-display:block}")
