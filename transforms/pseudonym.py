"""Pseudonymous person keys: a keyed HMAC-SHA256 of the citizen ID, or of the record's lineage.

The same citizen ID gives the same key in every table of every run made with the same secret key, so planners can
count and join people without ever seeing an ID. Without the secret the key cannot be reversed by hashing all
13-digit IDs (a plain hash could be). A missing or invalid ID gives a key made from the record's lineage
(source file sha256 and row): stable for that record, never shared with another person.
"""

import hashlib
import hmac
from collections.abc import Sequence

__all__ = ["KEY_LENGTH", "cid_is_valid", "hmac_pads", "person_key", "person_keys_sql"]

KEY_LENGTH = 32  # hex characters kept: 128 bits, collisions negligible even at 36 million people
_DOMAIN = b"saphan/person/v1"


def cid_is_valid(cid: str | None) -> bool:
    """True for 13 ASCII digits whose check digit holds.

    Examples:
        >>> cid_is_valid("1101700203450")
        True
        >>> cid_is_valid("1101700203451"), cid_is_valid(None), cid_is_valid("๑101700203450")
        (False, False, False)
    """
    if cid is None or len(cid) != 13 or not cid.isascii() or not cid.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(cid[:12]))
    return (11 - total % 11) % 10 == int(cid[12])


def person_key(secret: bytes, cid: str | None, source_sha256: str, source_row: int) -> str:
    """The pseudonymous key of a person record.

    Args:
        secret: the pseudonym key (never stored with the outputs).
        cid: the cleaned 13-digit citizen ID, or None.
        source_sha256, source_row: the record's lineage, used when the ID is missing or invalid.

    Examples:
        >>> person_key(b"k" * 32, "1101700203450", "ab", 1) == person_key(b"k" * 32, "1101700203450", "cd", 9)
        True
        >>> person_key(b"k" * 32, None, "ab", 1) == person_key(b"k" * 32, None, "ab", 2)
        False
    """
    if not secret:
        raise ValueError("empty pseudonym key")
    if cid_is_valid(cid):
        message = b"\x00".join([_DOMAIN, b"cid", str(cid).encode("ascii")])
    else:
        message = b"\x00".join([_DOMAIN, b"row", source_sha256.encode("utf-8"), str(int(source_row)).encode("ascii")])
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


_BLOCK = 64  # SHA-256's block size, as HMAC pads the key to it


def hmac_pads(secret: bytes) -> dict[str, bytes]:
    """The inner and outer HMAC-SHA256 pads of the key (RFC 2104): the parameters of person_keys_sql."""
    if not secret:
        raise ValueError("empty pseudonym key")
    key = hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret
    key = key.ljust(_BLOCK, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in key), "opad": bytes(b ^ 0x5C for b in key)}


_CID_NUMBER = "_cid_number"
_WEIGHTS = range(13, 1, -1)  # the check digit's weights of the first 12 digits (transforms/citizen_id.py)


def person_keys_sql(relation: str, cid: str, source_sha256: str, source_row: str, keep: Sequence[str]) -> str:
    """SQL selecting `keep` and person_key from `relation`, the key's HMAC pads bound as $ipad and $opad: the same
    keys as person_key, set-based.

    HMAC(k, m) = SHA256(opad || SHA256(ipad || m)); a test checks it against person_key on every kind of ID. The ID
    is checked as a number (13 ASCII digits read once as a BIGINT, each digit by integer division): reading the 13
    characters one by one cost twice as much at a province's million records.

    Examples:
        >>> import duckdb
        >>> con = duckdb.connect()
        >>> _ = con.execute("create table t as select 7 as i, '1101700203450' as cid, 'ab' as sha, 1 as r")
        >>> sql = person_keys_sql("t", "cid", "sha", "r", keep=["i"])
        >>> con.execute(sql, hmac_pads(b"k" * 32)).fetchall() == [(7, person_key(b"k" * 32, "1101700203450", "ab", 1))]
        True
    """
    n = _CID_NUMBER
    total = " + ".join(f"(({n} // {10 ** (12 - i)}) % 10) * {w}" for i, w in enumerate(_WEIGHTS))
    valid = f"coalesce((11 - ({total}) % 11) % 10 = {n} % 10, false)"
    domain = "'" + _DOMAIN.decode("ascii") + "'::blob || '\\x00'::blob"
    message = (f"case when {valid} then {domain} || 'cid\\x00'::blob || encode({cid}) "
               f"else {domain} || 'row\\x00'::blob || encode({source_sha256}) || '\\x00'::blob "
               f"|| encode(cast({source_row} as varchar)) end")
    key = f"left(sha256($opad || unhex(sha256($ipad || {message}))), {KEY_LENGTH})"
    number = f"case when regexp_full_match({cid}, '[0-9]{{13}}') then cast({cid} as bigint) end as {n}"
    return f"select {', '.join(keep)}, {key} as person_key from (select *, {number} from {relation})"
