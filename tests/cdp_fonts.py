"""How headless Chromium really drew a page's text, asked over the DevTools protocol: which fonts drew it, and
how wide each text came out.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands on file descriptor 3 and writes
answers on 4, each a JSON message ended by a NUL byte, so no websocket library or port is needed. For every
element holding text, ``CSS.getPlatformFontsForNode`` names the fonts that drew its glyphs and how many each drew;
a glyph the page's font lacks is drawn by a system font and shows up under that font's name. That misses a box the
page's own font draws (its .notdef glyph, when the shaper asks it for a character it lacks), so each text node's
rendered width is measured too: compared with the same page set in the complete font, a box changes the width.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["Rendering", "render"]

_SKIP = {"HEAD", "STYLE", "TITLE", "SCRIPT"}
_WIDTHS = ("(() => { const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); "
           "let n; while ((n = w.nextNode())) { if (!n.nodeValue.trim()) continue; const r = document.createRange(); "
           "r.selectNodeContents(n); out.push([n.nodeValue, Math.round(r.getBoundingClientRect().width * 100) / 100]); "
           "} return out; })()")
_LOADED = ("new Promise(r => { const go = () => document.fonts.ready.then(() => r(document.fonts.size)); "
           "document.readyState === 'complete' ? go() : addEventListener('load', go); })")


class _Pipe:
    def __init__(self, chromium: str, profile: Path) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def fds() -> None:  # in the child: command pipe on fd 3, answers on fd 4
            a, b = os.dup2(os.dup(cmd_r), 100), os.dup2(os.dup(res_w), 101)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(  # noqa: S603 - a test helper starting the system's chromium
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(cmd_r)
        os.close(res_w)
        self._buf, self._n = b"", 0

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._n += 1
        message: dict[str, Any] = {"id": self._n, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_w, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buf:
                chunk = os.read(self._res_r, 1 << 16)
                if not chunk:
                    raise RuntimeError(f"chromium closed the DevTools pipe during {method}")
                self._buf += chunk
            raw, self._buf = self._buf.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._n:  # events in between are not needed
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def close(self) -> None:
        os.close(self._cmd_w)
        os.close(self._res_r)
        self.proc.kill()
        self.proc.wait(timeout=30)


class Rendering(NamedTuple):
    """fonts: (font family, is a web font, glyphs drawn) per element holding text; widths: (text, px) per text node."""

    fonts: list[tuple[str, bool, int]]
    widths: list[tuple[str, float]]


def render(chromium: str, url: str, profile: Path) -> Rendering:
    """Load the page at `url` in headless Chromium, wait for its fonts, and say how its text was drawn.

    Examples:
        render("/usr/bin/chromium", "file:///tmp/r.html", Path("/tmp/p")).fonts
        -> [("Noto Sans Thai", True, 49), ("Noto Sans Thai", True, 313), ...]
    """
    pipe = _Pipe(chromium, profile)
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page.enable", "DOM.enable", "CSS.enable"):
            pipe.call(domain, session=session)
        pipe.call("Page.navigate", {"url": url}, session)
        pipe.call("Runtime.evaluate", {"expression": _LOADED, "awaitPromise": True, "returnByValue": True}, session)
        stack = [pipe.call("DOM.getDocument", {"depth": -1}, session)["root"]]
        used: list[tuple[str, bool, int]] = []
        while stack:
            node = stack.pop()
            if node.get("nodeName") in _SKIP:
                continue
            children = node.get("children", [])
            stack += children
            if node.get("nodeType") == 1 and any(c.get("nodeType") == 3 and c.get("nodeValue", "").strip()
                                                  for c in children):
                fonts = pipe.call("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}, session)["fonts"]
                used += [(f["familyName"], bool(f["isCustomFont"]), int(f["glyphCount"])) for f in fonts]
        widths = pipe.call("Runtime.evaluate", {"expression": _WIDTHS, "returnByValue": True}, session)
        return Rendering(used, [(str(t), float(w)) for t, w in widths["result"]["value"]])
    finally:
        pipe.close()
