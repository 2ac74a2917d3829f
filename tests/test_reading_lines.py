"""repeated_headers: the keys of every column's distinct values made in one pass give the lines that the column
by column formulation (kept here as the reference) gives."""

import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.reading_lines import _KEY_DROP, _key, repeated_headers


def _reference(data: pa.Table, header: list[object]) -> pa.Array:
    """The column-by-column formulation repeated_headers had before its keys were made in one pass."""
    named = [(i, re.sub(_KEY_DROP, "", str(h).lower())) for i, h in enumerate(header)
             if h not in (None, "") and i < data.num_columns]
    named = [(i, k) for i, k in named if k]
    if len(named) < 2:
        return pa.repeat(pa.scalar(False), data.num_rows)
    count = None
    for i, k in named:
        distinct = pc.unique(data.column(i))
        hits = pc.filter(distinct, pc.fill_null(pc.equal(_key(distinct), k), False))
        if len(hits) == 0:
            continue
        eq = pc.cast(pc.fill_null(pc.is_in(data.column(i), value_set=hits), False), pa.int32())
        count = eq if count is None else pc.add(count, eq)
    if count is None:
        return pa.repeat(pa.scalar(False), data.num_rows)
    return pc.greater_equal(count, max(2, (len(named) + 1) // 2))


_CELLS = st.none() | st.sampled_from(
    ["ชื่อ", "ชื่อ ", "นามสกุล", "นาม-สกุล", "ID", "id.", "(id)", "สมชาย", "1", "", " ", "-"])


@settings(deadline=None, max_examples=200)
@given(st.integers(1, 5).flatmap(lambda width: st.tuples(
    st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=12),
    st.lists(st.lists(_CELLS, min_size=width, max_size=width), min_size=1, max_size=2))))
def test_repeated_headers_equal_the_column_by_column_reference(case):
    rows, headers = case
    width = len(headers[0])
    data = pa.table({f"c{i}": pa.array([r[i] for r in rows], pa.string()) for i in range(width)})
    expected = pa.repeat(pa.scalar(False), data.num_rows)
    for line in headers:
        expected = pc.or_(expected, _reference(data, line))
    assert repeated_headers(data, headers).to_pylist() == expected.to_pylist()


def test_a_header_written_again_is_found():
    data = pa.table({"c0": ["สมชาย", "ชื่อ", "สมศรี"], "c1": ["ใจดี", "นาม สกุล", "ใจงาม"], "c2": ["1", "ID.", "2"]})
    assert repeated_headers(data, [["ชื่อ", "นามสกุล", "id"]]).to_pylist() == [False, True, False]
