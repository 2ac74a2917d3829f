"""saphan reads the real-form corpora (tests/corpus and tests/corpus_heldout, each written by a separate writer
that knows nothing of saphan's code) with no config (issue 13).

One test per file: every column's role and the header lines as expected, every line that names a person
accepted with its names, ID and birth year (or age) read right, no line that is no person accepted, and the fund
named as expected.
"""

import pytest

from benchmarks.corpus_eval import CORPUS, HELDOUT, _warehouse, compare, expected, read_corpus

FILES = [(CORPUS, p) for p in sorted(expected(CORPUS))] + [(HELDOUT, p) for p in sorted(expected(HELDOUT))]
IDS = [f"{c.name}/{p}" for c, p in FILES]


@pytest.fixture(scope="module")
def results():
    out = {}
    for corpus in (CORPUS, HELDOUT):
        with _warehouse() as con:
            reports = read_corpus(con, corpus)
            out.update({(corpus, r.path): r for r in compare(con, reports, corpus)})
    return out


@pytest.mark.parametrize(("corpus", "path"), FILES, ids=IDS)
def test_every_role_and_header_line_as_expected(results, corpus, path):
    r = results[corpus, path]
    assert r.status == "ingested", r.reason
    assert r.header_errors == []
    assert r.role_errors == []


@pytest.mark.parametrize(("corpus", "path"), FILES, ids=IDS)
def test_every_person_accepted_and_read_right_and_no_one_else(results, corpus, path):
    r = results[corpus, path]
    assert r.missing == []
    assert r.extra == []
    assert r.value_errors == []
    assert r.accepted_right == r.accepted_expected > 0


@pytest.mark.parametrize(("corpus", "path"), [(c, p) for c, p in FILES if expected(c)[p]["dataset"] == "roster"])
def test_the_fund_is_named_as_expected(results, corpus, path):
    assert results[corpus, path].fund_error is None


def test_the_corpus_is_large_enough():
    datasets = [expected(c)[p]["dataset"] for c, p in FILES if c == CORPUS]
    assert datasets.count("roster") >= 40 and datasets.count("poverty") >= 8
