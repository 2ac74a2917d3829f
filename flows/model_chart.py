"""The model's match-weights chart as inline SVG: Splink's own Vega-Lite spec, rendered offline by vl-convert.

Splink draws each comparison level's match weight (log2 of m/u) as a bar, and the prior as the first bar. Its spec
is rendered here to SVG in this process (vl-convert bundles Vega and its fonts): no browser, no network, no script
in the output, so the HTML report can carry the chart inline and still open offline.

Examples:
    >>> svg = match_weights_svg(open("runs/<run_id>/model.json").read())   # doctest: +SKIP
    >>> svg.startswith("<svg")                                            # doctest: +SKIP
    True
"""

import json
import re
from typing import Any

__all__ = ["match_weights_spec", "match_weights_svg"]

# A static chart: Splink's subtitle invites zooming, which an SVG in a report cannot do.
_TITLE = {"text": "Partial match weights (components of the final match weight)", "anchor": "middle"}
# What an SVG may name by URL: its own XML namespaces. Anything else would be a reference to fetch.
_NAMESPACES = re.compile(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"')


def _renumber_ids(svg: str) -> str:
    """Every id the SVG defines (clip paths, gradients) renamed in order of appearance, with a prefix of its own.

    vl-convert counts ids across every chart a process renders (clip1, then clip10 ...): renumbered, the same model
    gives the same bytes, and the ids cannot collide with another SVG's in the same HTML page.

    Examples:
        >>> _renumber_ids('<clipPath id="clip7"/><g clip-path="url(#clip7)"/><path fill="url(#gradient_3)"/>')
        '<clipPath id="saphan-mw-1"/><g clip-path="url(#saphan-mw-1)"/><path fill="url(#saphan-mw-2)"/>'
    """
    ids: dict[str, str] = {}
    for name in re.findall(r'(?:\bid="|url\(#)([^")]+)', svg):
        ids.setdefault(name, f"saphan-mw-{len(ids) + 1}")
    if not ids:
        return svg
    names = "|".join(re.escape(n) for n in sorted(ids, key=len, reverse=True))
    return re.sub(rf'(\bid="|url\(#|href="#)({names})(?=[")])', lambda m: m.group(1) + ids[m.group(2)], svg)


def match_weights_spec(model_json: str) -> dict[str, Any]:
    """Splink's Vega-Lite spec of the model's match weights chart, data inline, with a static title.

    Args:
        model_json: a saved model (a run's ``model.json``, or ``int_link_model.model_json``).

    Raises:
        ValueError: the text is no Splink model.
    """
    from splink import SettingsCreator

    try:
        model = json.loads(model_json)
        settings = SettingsCreator.from_path_or_dict(
            {k: v for k, v in model.items() if k != "blocking_rules_to_generate_predictions"}
        ).get_settings("duckdb")
    except (json.JSONDecodeError, TypeError, KeyError, AttributeError) as e:
        raise ValueError(f"not a Splink model: {type(e).__name__}") from None
    spec = settings.match_weights_chart().chart_dict
    spec["title"] = dict(_TITLE)
    spec.pop("$schema", None)  # a URL, and vl-convert needs none: the bundled Vega-Lite renders it
    return spec


def match_weights_svg(model_json: str) -> str:
    """The model's match-weights chart as one ``<svg>`` element: no script, nothing loaded from a URL.

    The same model gives the same SVG (Splink's spec and vl-convert's renderer are deterministic), so a report
    embedding it stays byte-stable.

    Raises:
        ValueError: the text is no Splink model.
    """
    import vl_convert

    svg = vl_convert.vegalite_to_svg(match_weights_spec(model_json))
    svg = svg[svg.index("<svg"):]  # an XML declaration has no place inside HTML
    svg = _renumber_ids(svg)
    if "<script" in svg or re.search(r"https?://", _NAMESPACES.sub("", svg)):
        raise ValueError("the rendered chart refers to a script or a URL")  # never embed such a chart
    return svg
