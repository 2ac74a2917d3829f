"""The pseudonym key: the secret behind every person_key in the shareable outputs.

It comes from the environment (SAPHAN_PSEUDONYM_KEY) or from a key file named in the config:

    [privacy]
    key_file = "/etc/saphan/pseudonym.key"

The file must live outside the repository, so the key is never committed with the code. Keep the same key from run
to run: the same person then keeps the same key, and lists from two runs can be compared. Anyone holding the key and
a list of citizen IDs can recompute keys, so the key is as sensitive as the IDs.
"""

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

ENV_VAR = "SAPHAN_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16
PROJECT_ROOT = Path(__file__).resolve().parents[1]
NO_KEY = (
    "no pseudonym key: set SAPHAN_PSEUDONYM_KEY or [privacy] key_file; shareable outputs are not written without one"
)


# The fingerprint is an HMAC of this fixed label under the key: it tells two keys apart and reveals nothing of the
# key (nor lets anyone compute person keys); manifests record it so an audit can say why person keys differ.
FINGERPRINT_LABEL = b"saphan pseudonym key fingerprint v1"


def fingerprint(key: bytes) -> str:
    """16 hex characters identifying the key, never the key: HMAC-SHA256(key, a fixed label).

    Examples:
        >>> fingerprint(b"saphan-test-key-for-synthetic-data")
        '10ff0dc06f7739c4'
    """
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


class PseudonymKeyError(Exception):
    """No usable pseudonym key; the message says why in one line (and never shows the key)."""


def _checked(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(f"pseudonym key from {where} is too short: use at least {MIN_KEY_BYTES} bytes")
    return key


def load_key(config: dict[str, Any] | None, environ: dict[str, str] | None = None) -> bytes:
    """The pseudonym key, from the environment first, else from the config's [privacy] key_file.

    Raises:
        PseudonymKeyError: no key, a key file inside the repository or unreadable, or a key too short.
    """
    env = os.environ if environ is None else environ
    value = env.get(ENV_VAR, "").strip()
    if value:
        return _checked(value.encode("utf-8"), ENV_VAR)
    key_file = ((config or {}).get("privacy") or {}).get("key_file")
    if not key_file:
        raise PseudonymKeyError(NO_KEY)
    path = Path(str(key_file)).expanduser().resolve()
    if path.is_relative_to(PROJECT_ROOT):
        raise PseudonymKeyError(f"pseudonym key file {path} is inside the repository: keep it outside {PROJECT_ROOT}")
    try:
        key = path.read_bytes().strip()
    except OSError as e:
        raise PseudonymKeyError(f"pseudonym key file {path} cannot be read: {e.strerror}") from None
    return _checked(key, f"key file {path}")
