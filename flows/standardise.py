"""Standardise: names, citizen IDs, dates and addresses, each computed once per distinct value, then joined."""

from collections.abc import Mapping
from typing import Any

import duckdb

from flows.warehouse import apply_distinct, check_contract
from schemas.contracts import FIELDS, std_contract
from transforms.address import ADDRESS_COLUMNS, resolve_address
from transforms.citizen_id import CID_COLUMNS, clean_citizen_id
from transforms.dates import DATE_COLUMNS, parse_date
from transforms.names import NAME_COLUMNS, parse_name
from transforms.stage_sql import Lookup, accepted_sql, quarantine_insert_sql, staged_sql

NAME = Lookup(
    "name",
    {"full_name": "full_name", "title": "title", "first_name": "first_name", "last_name": "last_name"},
    tuple(NAME_COLUMNS),
)
CID = Lookup("cid", {"citizen_id": "citizen_id"}, tuple(CID_COLUMNS))
DATE = Lookup("date", {"birth": "coalesce(birth_date, birth_year)"}, tuple(DATE_COLUMNS))
_ADDRESS_FIELDS = (
    "address", "house_no", "village_no", "village_name", "subdistrict", "district", "province", "postal_code",
    "subdistrict_code",
)


def _address_lookup(dataset: str) -> Lookup:
    # Rosters name their area in words, postal code or one free-text column; the poverty extract by code.
    fields = FIELDS[dataset]
    inputs = {f: f if f in fields else "null::varchar" for f in _ADDRESS_FIELDS}
    return Lookup("address", inputs, tuple(ADDRESS_COLUMNS))


def _name(full: str | None, title: str | None, first: str | None, last: str | None) -> dict[str, Any]:
    return parse_name(full, title=title, first=first, last=last)


def standardise(con: duckdb.DuckDBPyConnection, dataset: str, config: Mapping[str, Any]) -> dict[str, int]:
    """Build stg_<dataset> (every row, with reject_reason), std_<dataset> (accepted) and quarantine rows.

    Returns:
        Counts of distinct values transformed per lookup, for the manifest.
    """
    defaults = config.get("defaults", {}) or {}

    def _address(*fields: str | None) -> dict[str, Any]:
        address, house_no, village_no, village_name, subdistrict, district, province, postal, code = fields
        return resolve_address(
            address, house_no=house_no, village_no=village_no, village_name=village_name,
            subdistrict=code or subdistrict, district=district, province=province, postal_code=postal,
            default_province=defaults.get("province"), default_district=defaults.get("district"),
        )

    lookups = {"name": NAME, "cid": CID, "date": DATE, "address": _address_lookup(dataset)}
    funcs = {"name": _name, "cid": clean_citizen_id, "date": parse_date, "address": _address}
    distinct = {}
    for key, lookup in lookups.items():
        distinct[key] = apply_distinct(
            con, lookup.source_sql(dataset), list(lookup.inputs), funcs[key], lookup.outputs, lookup.table(dataset)
        )
    con.execute(staged_sql(dataset, lookups))
    con.execute(accepted_sql(dataset))
    con.execute(quarantine_insert_sql(dataset))
    check_contract(con, std_contract(dataset))
    return distinct
