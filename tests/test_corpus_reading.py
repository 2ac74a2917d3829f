"""saphan reads the real-form corpus (tests/corpus, written by a separate writer) with no config (issue 13).

One test per file: every column's role and the header lines as expected, every line that names a person
accepted with its names, ID and birth year (or age) read right, no line that is no person accepted, and the fund
named as expected.
"""

import pytest

from benchmarks.corpus_eval import _warehouse, compare, expected, read_corpus

FILES = sorted(expected())


@pytest.fixture(scope="module")
def results():
    with _warehouse() as con:
        reports = read_corpus(con)
        return {r.path: r for r in compare(con, reports)}


@pytest.mark.parametrize("path", FILES)
def test_every_role_and_header_line_as_expected(results, path):
    r = results[path]
    assert r.status == "ingested", r.reason
    assert r.header_errors == []
    assert r.role_errors == []


@pytest.mark.parametrize("path", FILES)
def test_every_person_accepted_and_read_right_and_no_one_else(results, path):
    r = results[path]
    assert r.missing == []
    assert r.extra == []
    assert r.value_errors == []
    assert r.accepted_right == r.accepted_expected > 0


@pytest.mark.parametrize("path", [p for p in FILES if expected()[p]["dataset"] == "roster"])
def test_the_fund_is_named_as_expected(results, path):
    assert results[path].fund_error is None


def test_the_corpus_is_large_enough():
    datasets = [expected()[p]["dataset"] for p in FILES]
    assert datasets.count("roster") >= 40 and datasets.count("poverty") >= 8
