"""pythainlp's default word segmentation (newmm), restated for speed on short text such as a name: same words.

``roman_key`` (transforms/thai_text.py) segments every distinct name part; pythainlp's newmm was most of its
cost. This is the same algorithm, step for step, on pythainlp's own dictionary trie and patterns, with what
costs most in Python done more directly:

  * Character-cluster ends come from ``_PAT_TCC.match(text, p)`` in one loop; pythainlp slices ``text[p:]``
    for each cluster (the same match: no TCC pattern looks behind or anchors at a start).
  * Dictionary words starting at a position are found by walking the trie's nodes in place, as lengths.
  * The segments come back as a list (pythainlp's generator, listed).

``words`` also does what ``word_tokenize``'s defaults add: formatted numbers (1,234.5) rejoined, which only
text with such a number needs. If pythainlp's internals move, its ``word_tokenize`` is used unchanged.
tests/test_thai_segment.py compares both on real-form names and random text; the 116,133 distinct name parts
of the 1M-row benchmark gave the same words.

Example: ``words("สมชายใจดี") == word_tokenize("สมชายใจดี")`` -> True.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable

from pythainlp.tokenize import word_dict_trie, word_tokenize

__all__ = ["words"]

words: Callable[[str], list[str]]

try:
    from pythainlp.tokenize._utils import _DIGITS_WITH_SEPARATOR, rejoin_formatted_num
    from pythainlp.tokenize.newmm import (
        _MAX_GRAPH_SIZE,
        _PAT_NONTHAI,
        _PAT_THAI_TWOCHARS,
        _bfs_paths_graph,
    )
    from pythainlp.tokenize.tcc_p import _PAT_TCC

    _ROOT = word_dict_trie().root
    _ROOT.children, _ROOT.end  # noqa: B018 - the trie's node layout this module walks
    _FAST = True
except (ImportError, AttributeError):  # pragma: no cover - only on a pythainlp that reorganised its internals
    _FAST = False


def _cluster_ends(text: str) -> bytearray:
    """pythainlp's tcc_pos_array: 1 at each position where a Thai character cluster ends."""
    n = len(text)
    ends = bytearray(n + 1)
    match = _PAT_TCC.match
    p = 0
    while p < n:
        m = match(text, p)
        p = m.end() if m is not None else p + 1
        ends[p] = 1
    return ends


def _word_ends(text: str, start: int) -> list[int]:
    """Where each dictionary word starting at ``start`` ends, shortest first (pythainlp's Trie.prefixes)."""
    out = []
    children = _ROOT.children
    n = len(text)
    i = start
    while i < n and children is not None:
        node = children.get(text[i])
        if node is None:
            break
        i += 1
        if node.end:
            out.append(i)
        children = node.children
    return out


def _skip_end(text: str, begin: int, ends: bytearray) -> int:
    """pythainlp's _find_skip_end: where an out-of-dictionary stretch starting at ``begin`` ends."""
    n = len(text)
    m = _PAT_NONTHAI.match(text, begin)
    if m:
        return m.end()
    for pos in range(begin + 1, n):
        if ends[pos]:
            for end in _word_ends(text, pos):
                if ends[end] and not _PAT_THAI_TWOCHARS.match(text[pos:end]):
                    return pos  # a Thai word longer than two letters starts here
            if _PAT_NONTHAI.match(text, pos):
                return pos
    return n


def _onecut(text: str) -> list[str]:
    """pythainlp's newmm _onecut on its default dictionary, as a list."""
    out: list[str] = []
    graph: defaultdict[int, list[int]] = defaultdict(list)
    graph_size = 0
    ends = _cluster_ends(text)
    n = len(text)
    pos_list = [0]
    end_pos = 0
    while pos_list[0] < n:
        begin = heapq.heappop(pos_list)
        for end in _word_ends(text, begin):  # pythainlp's _extend_graph
            if ends[end]:
                graph[begin].append(end)
                graph_size += 1
                if end not in pos_list:
                    heapq.heappush(pos_list, end)
                if graph_size > _MAX_GRAPH_SIZE:
                    break
        if len(pos_list) == 1:  # one candidate, no longer ambiguous
            path = next(_bfs_paths_graph(graph, end_pos, pos_list[0]))
            graph_size = 0
            graph.clear()
            for pos in path[1:]:
                out.append(text[end_pos:pos])
                end_pos = pos
        elif not pos_list:  # no candidate: an out-of-dictionary stretch
            end_pos = _skip_end(text, begin, ends)
            graph_size = 0
            graph.clear()
            out.append(text[begin:end_pos])
            heapq.heappush(pos_list, end_pos)
    return out


def _fast_words(text: str) -> list[str]:
    """``word_tokenize(text)`` with its defaults (newmm, the default dictionary, numbers rejoined)."""
    if not text or not isinstance(text, str):
        return []
    segments = _onecut(text)
    # rejoin_formatted_num joins only spans of its own pattern; text with none comes back unchanged
    return rejoin_formatted_num(segments) if _DIGITS_WITH_SEPARATOR.search(text) else segments


words = _fast_words if _FAST else word_tokenize
