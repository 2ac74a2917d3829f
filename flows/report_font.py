"""An embedded Thai font for the HTML report: Noto Sans Thai (SIL OFL 1.1), cut to the characters a page uses.

A planner's machine may have no Thai font; then every Thai letter of the report is a box. The report therefore
carries its own font, as a data URI in @font-face, so it needs no network and no installed font. The whole font is
219 KB; cut to the characters of one report (Thai, digits and Latin letters all come from it) and compressed as
WOFF2 it is about 25 KB. The font is variable (weights 100-900), so bold and regular text share one file.

The font file comes from the package ``fontpkg-noto-sans-thai``; its licence (OFL) allows embedding and subsetting.
The subset is deterministic: the same characters give the same bytes (the font's timestamp is not renewed).
"""

import base64
import io
from functools import lru_cache

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont

__all__ = ["FONT_FAMILY", "FONT_LICENSE", "font_face_css", "font_subset_woff2"]

FONT_FAMILY = "saphan Noto Sans Thai"  # its own name, so the page never silently uses an installed copy instead
FONT_LICENSE = "Noto Sans Thai, Copyright 2022 The Noto Project Authors, SIL Open Font License 1.1"
_SOURCE_FAMILY = "Noto Sans Thai"


@lru_cache(maxsize=8)
def font_subset_woff2(characters: str) -> bytes:
    """Noto Sans Thai cut to `characters` (those it has), with what Thai shaping needs, as WOFF2 bytes.

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
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """An @font-face rule whose font is Noto Sans Thai cut to the characters of `text`, as a data URI.

    Examples:
        >>> css = font_face_css("สวัสดี")
        >>> css.startswith('@font-face{font-family:"saphan Noto Sans Thai";src:url(data:font/woff2;base64,')
        True
    """
    characters = "".join(sorted(set(text) | set(" 0123456789")))
    data = base64.b64encode(font_subset_woff2(characters)).decode("ascii")
    return (f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff2;base64,{data}) format("woff2");'
            "font-weight:100 900;font-style:normal;font-display:block}")
