"""Errors reduced before they reach a log (issue 16, point 2): the type and a message that cannot quote the data."""

import errno

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.config import ConfigError
from flows.safe_errors import SafeError, reduced, safe_errors
from flows.warehouse import ContractViolation

ROW = "1101700203451,ประเสริฐ,วงศ์ใหญ่"


@pytest.mark.parametrize(
    ("error", "kind", "message"),
    [
        (ValueError(f"CSV parse error: Expected 3 columns, got 4: {ROW}"), SafeError,
         "ValueError (message withheld: it may quote the data)"),
        (duckdb.ConversionException(f"Could not convert string '{ROW}' to INT64"), SafeError,
         "ConversionException (message withheld: it may quote the data)"),
        (UnicodeDecodeError("utf-8", ROW.encode() + b"\xff", 38, 39, "invalid start byte"), SafeError,
         "UnicodeDecodeError: utf-8 cannot decode position 38: invalid start byte"),
        (OSError(errno.ENOSPC, "No space left on device", "/srv/out/runs/x/links.parquet"), OSError,
         "[Errno 28] No space left on device: '/srv/out/runs/x/links.parquet'"),
        (duckdb.TransactionException("Failed to commit: could not write block: No space left on device"), SafeError,
         "TransactionException: No space left on device"),
        (ContractViolation("table stg_roster, column cid: 3 rows break rule not_null"), ContractViolation,
         "table stg_roster, column cid: 3 rows break rule not_null"),
        (ConfigError("config file c.toml: unknown [run] setting(s) x"), ConfigError,
         "config file c.toml: unknown [run] setting(s) x"),
    ],
)
def test_errors_keep_only_what_cannot_quote_the_data(error, kind, message):
    safe = reduced(error)
    assert type(safe) is kind and str(safe) == message
    assert safe.__context__ is None and safe.__cause__ is None


def test_the_wrapper_cuts_the_chain_that_would_carry_the_original():
    @safe_errors
    def task() -> None:
        try:
            raise KeyError(ROW)
        except KeyError:
            raise RuntimeError("while reading row 7") from None

    with pytest.raises(SafeError) as e:
        task()
    assert e.value.__context__ is None and e.value.__suppress_context__
    assert ROW not in str(e.value)


@given(st.text())
def test_no_text_in_an_unknown_error_survives(text):
    assert str(reduced(ValueError(text + "1101700203451"))) == "ValueError (message withheld: it may quote the data)" \
        or any(r in text for r in ("No space left on device", "Read-only file system", "Permission denied",
                                   "Disk quota exceeded", "Input/output error", "Too many open files",
                                   "File too large"))
