"""Errors reduced to their type and a safe message before they reach any log, console or Prefect's database.

A library's error message may quote the data it choked on: a CSV parser prints the row, a cast error the value,
a decode error keeps the bytes in ``.object``. Every task and the flow are wrapped (``safe_errors``), so what
Prefect logs, stores and prints holds no citizen ID or name, whatever fails.

- saphan's own errors (``SafeMessage`` subclasses and the ones listed in ``OWN``) keep their message: they are
  written to name files, tables, columns and counts only;
- ``OSError`` keeps its errno, strerror and file name (a path; the retry rule still sees an OSError);
- a decode error keeps its codec, position and reason, never the bytes;
- DuckDB I/O and out-of-memory errors keep their message (a path and the system's reason, one line);
- any other error whose message names a fault of the machine (a full disk, a read-only file system) keeps that
  reason alone;
- anything else becomes ``SafeError("<type> (message withheld: it may quote the data)")``.

Examples:
    >>> str(reduced(ValueError("bad row 1101700203451 สมชาย")))
    'ValueError (message withheld: it may quote the data)'
    >>> str(reduced(UnicodeDecodeError("utf-8", b"\\xff1101700203451", 0, 1, "invalid start byte")))
    'UnicodeDecodeError: utf-8 cannot decode position 0: invalid start byte'
"""

import errno
import functools
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["SafeError", "SafeMessage", "one_line_console", "reduced", "safe_errors"]

F = TypeVar("F", bound=Callable[..., Any])


class SafeMessage(Exception):
    """Base of saphan errors whose messages are written to hold no data (names, IDs): they pass unchanged."""


class SafeError(SafeMessage):
    """What an error that may quote the data becomes: its type and a message that holds none."""


def _own_types() -> tuple[type[BaseException], ...]:
    from flows.config import ConfigError
    from flows.pseudonym_key import PseudonymKeyError
    from flows.warehouse import ContractViolation

    return (SafeMessage, ConfigError, PseudonymKeyError, ContractViolation)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# Faults of the machine named by the system's own words, found inside any library's message.
_SYSTEM_REASONS = tuple(os.strerror(n) for n in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EIO,
                                                 errno.EMFILE, errno.EFBIG))


def reduced(exc: BaseException) -> BaseException:
    """The exception to let through in place of ``exc``: the same one when its message is safe, else a new one.

    The returned exception carries no ``__context__`` or ``__cause__`` (either could hold the original).
    """
    import duckdb

    if isinstance(exc, _own_types()):
        out: BaseException = exc
    elif isinstance(exc, UnicodeError):
        if isinstance(exc, UnicodeDecodeError | UnicodeEncodeError):
            out = SafeError(f"{type(exc).__name__}: {exc.encoding} cannot decode position {exc.start}: {exc.reason}"
                            if isinstance(exc, UnicodeDecodeError) else
                            f"{type(exc).__name__}: {exc.encoding} cannot encode position {exc.start}: {exc.reason}")
        else:
            out = SafeError(f"{type(exc).__name__} (message withheld: it may quote the data)")
    elif isinstance(exc, OSError):
        out = OSError(exc.errno, exc.strerror, exc.filename) if exc.errno is not None else OSError(
            f"{type(exc).__name__} (message withheld)")
    elif isinstance(exc, duckdb.IOException | duckdb.OutOfMemoryException | duckdb.InterruptException):
        out = SafeError(f"{type(exc).__name__}: {_one_line(str(exc))}")
    elif isinstance(exc, MemoryError):
        out = SafeError("MemoryError: out of memory")
    elif reason := next((r for r in _SYSTEM_REASONS if r in str(exc)), None):
        # e.g. DuckDB's TransactionException when a commit hits a full disk: the system's reason alone is safe
        out = SafeError(f"{type(exc).__name__}: {reason}")
    else:
        out = SafeError(f"{type(exc).__name__} (message withheld: it may quote the data)")
    out.__cause__ = None
    out.__context__ = None
    out.__suppress_context__ = True
    return out


def safe_errors(fn: F) -> F:
    """Wrap a task or flow function: any Exception leaves it reduced (``reduced``), its chain cut."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # KeyboardInterrupt and SystemExit pass as they are
            safe = reduced(e)
        # Raised outside the handler, so Python does not chain the original on as __context__.
        raise safe.with_traceback(None)

    return wrapper  # type: ignore[return-value]


class _NoTraceback(logging.Formatter):
    """Formats a record as its formatter would, but without the traceback: the console gets one line."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def one_line_console() -> None:
    """Prefect's console handlers print messages without tracebacks (its database keeps them, reduced)."""
    import sys

    for logger in [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]:
        for handler in getattr(logger, "handlers", []):
            stream = getattr(handler, "stream", None)
            if stream in (sys.stderr, sys.stdout) and not isinstance(handler.formatter, _NoTraceback):
                handler.setFormatter(_NoTraceback(handler.formatter))
