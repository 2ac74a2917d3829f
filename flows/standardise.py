"""Standardise: names, citizen IDs, dates and addresses, each computed once per distinct value, then joined.

Each Python rule runs on the distinct values of the columns it depends on, no more: a title column, a last
name, a first name with the title column's rule, an area (house numbers aside). IDs written plainly (13 digits,
or grouped as on the card) are checked in SQL. A test (tests/test_standardise.py) checks the joined rows equal
the Python functions' output.

Given a cache folder (the run's ``<state>/cache``, flows/lookup_cache.py), values earlier runs transformed are
read from it: Python runs only on values new to the cache, and the tables are the same as a run without it.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from flows.lookup_cache import apply_cached, code_version, lookup_file, lookup_folder
from flows.timing import timed
from flows.warehouse import apply_distinct, check_contract, default_workers, drop_relation
from schemas.contracts import FIELDS, std_contract
from transforms.address import ADDRESS_COLUMNS, resolve_address
from transforms.ages import parse_age
from transforms.citizen_id import CID_COLUMNS, PLAIN_CID_COLUMN, clean_citizen_id
from transforms.dates import DATE_COLUMNS, parse_date
from transforms.names import (
    name_first_column,
    name_full_column,
    name_last_column,
    name_part,
    name_title,
    name_title_rule,
)
from transforms.romanise import phonetic_roman_key
from transforms.stage_sql import (
    NAME_LOOKUPS,
    NAME_PARTS_AFTER,
    NAME_ROWS_AFTER,
    Lookup,
    accepted_sql,
    apply_context_sql,
    context_rows_sql,
    file_context_sql,
    name_parts_sql,
    name_rows_sql,
    quarantine_insert_sql,
    record_order_sql,
    staged_sql,
    with_plain_cid,
)

# IDs written plainly are read in SQL (stage_sql); the lookup holds the others, which Python cleans.
CID = Lookup(
    "cid", {"citizen_id": f"case when n.{PLAIN_CID_COLUMN} is null then n.citizen_id end"}, tuple(CID_COLUMNS),
    with_plain_cid("raw_{dataset}"),
)
DATE = Lookup("date", {"birth": "coalesce(n.birth_date, n.birth_year)", "date_order": "n.date_order",
                       "date_era": "n.date_era", "date_epoch": "n.date_epoch"}, tuple(DATE_COLUMNS))
# An age is read as a birth-year range at the year the file was written (its title lines), else the run's.
AGE = Lookup("age", {"age": "n.age", "as_of": "n.as_of_year"},
             (("age", "INTEGER"), ("birth_year_min", "INTEGER"), ("birth_year_max", "INTEGER"),
              ("age_status", "VARCHAR")))
HOUSE_NO = Lookup("house_no", {"house_no": "n.house_no"}, (("house_no", "VARCHAR"),))
VILLAGE_NO = Lookup("village_no", {"village_no": "n.village_no"}, (("village_no", "VARCHAR"),))
_AREA_FIELDS = ("address", "subdistrict", "district", "province", "postal_code", "subdistrict_code")
def _name_part(part: str | None) -> dict[str, Any]:
    # The romanised sound key (transforms/romanise.py) beside the Thai keys: the one key that meets across
    # scripts ("Thanawat" and ธนวัฒน์), for blocking and scoring romanised rosters.
    out = name_part(part)
    return {**out, "rkey": phonetic_roman_key(out["name"])}


NAME_FUNCS: dict[str, Callable[..., dict[str, Any]]] = {
    "name_rule": name_title_rule, "name_last": name_last_column, "name_first": name_first_column,
    "name_full": name_full_column, "name_part": _name_part, "name_title": name_title,
}


def _area_lookup(dataset: str) -> Lookup:
    # Rosters name their area in words, postal code or one free-text column; the poverty extract by code.
    fields = FIELDS[dataset]
    inputs = {f: f"n.{f}" if f in fields else "null::varchar" for f in _AREA_FIELDS}
    return Lookup("address", inputs, tuple(ADDRESS_COLUMNS))


def _birth_date(value: str | None, order: str | None, era: str | None, epoch: int | None) -> dict[str, Any]:
    # The column's habits, decided at ingest from its values (transforms.date_habit) and the workbook.
    return parse_date(value, order=order or "dmy", era=era, epoch=epoch or 1900)


def _age(value: str | None, as_of: int | None) -> dict[str, Any]:
    return parse_age(value, as_of)


def _house_no(value: str | None) -> dict[str, Any]:
    # The address module's own rule for a house-number column; it wins over the free text's when set.
    return {"house_no": resolve_address(None, house_no=value)["house_no"]}


def _village_no(value: str | None) -> dict[str, Any]:
    return {"village_no": resolve_address(None, village_no=value)["village_no"]}


def _area_context_lookup(dataset: str) -> Lookup:
    inputs = dict(_area_lookup(dataset).inputs)
    inputs.update({f"ctx_{level}": f"n.ctx_{level}" for level in ("subdistrict", "district", "province")})
    return Lookup("address_context", inputs, tuple(ADDRESS_COLUMNS), over=context_rows_sql(dataset))


Apply = Callable[[Lookup, Callable[..., dict[str, Any]]], int]


def _resolve_with_file_context(
    con: duckdb.DuckDBPyConnection, dataset: str, area: Callable[..., dict[str, Any]], apply: Apply
) -> int:
    """Second pass for addresses that did not resolve: the file's own area (most of its rows) as defaults."""
    con.execute(file_context_sql(dataset))
    lookup = _area_context_lookup(dataset)

    def _with_context(*values: str | None) -> dict[str, Any]:
        *fields, ctx_subdistrict, ctx_district, ctx_province = values
        return area(*fields, context=(ctx_subdistrict, ctx_district, ctx_province))

    n = apply(lookup, _with_context)
    con.execute(apply_context_sql(dataset, lookup))
    return n


# The lookups whose function reads the config's [defaults] beside its inputs: their cache is keyed by them too,
# and they are not shared between datasets (shared_lookups).
_READS_DEFAULTS = ("address", "address_context")


def _made_by() -> str:
    # The comment a lookup table carries: the code that computed it (flows/lookup_cache.code_version).
    return f"saphan lookup {code_version()}"


def shared_lookups(con: duckdb.DuckDBPyConnection, lookup: Lookup, dataset: str) -> list[str]:
    """The other dataset's lookup of the same name, when this code made it with the same columns: its rows are read
    instead of computed (apply_distinct's ``known``). A given name, a surname, a date format: most of the poverty
    extract's distinct values were already in the roster's (at 100,000 households, 21,813 of 32,841 name parts).

    Every such lookup's function reads its inputs only (not the config's [defaults]: _READS_DEFAULTS), so a row
    read from it is the row computing would give. A table left by other code (a warehouse kept from an older
    version) carries another comment and is not read.
    """
    found = []
    for other in (d for d in ("roster", "poverty") if d != dataset):
        table = lookup.table(other)
        made = con.execute("select comment from duckdb_tables() where table_name = ? and schema_name = 'main' "
                           "and database_name = current_database()", [table]).fetchall()
        if not made or made[0][0] != _made_by():
            continue
        theirs = con.execute(f"describe {table}").fetchall()
        ours = con.execute(f"describe select * from ({lookup.source_sql(dataset)}) limit 0").fetchall()
        expected = [(f"in_{r[0]}", r[1]) for r in ours] + list(lookup.outputs)
        if [(r[0], r[1]) for r in theirs] == expected:
            found.append(table)
    return found


def standardise(con: duckdb.DuckDBPyConnection, dataset: str, config: Mapping[str, Any],
                cache_dir: Path | None = None) -> dict[str, int]:
    """Build stg_<dataset> (every row, with reject_reason), std_<dataset> (accepted) and quarantine rows.

    Args:
        cache_dir: the run's lookup cache (``<state>/cache``); None transforms every value here.

    Returns:
        Counts of distinct values transformed per lookup, for the manifest; with a cache, each followed by how
        many of them came from it, e.g. ``{"name_part": 116133, "name_part from cache": 115900, ...}``.
    """
    defaults = config.get("defaults", {}) or {}
    workers = int((config.get("warehouse", {}) or {}).get("workers") or default_workers())
    folder = lookup_folder(cache_dir) if cache_dir is not None else None
    params = {"default_province": defaults.get("province"), "default_district": defaults.get("district")}
    from_cache: dict[str, int] = {}

    def _apply(lookup: Lookup, func: Callable[..., dict[str, Any]]) -> int:
        with timed(lookup.name):  # the run's timings: standardise per lookup
            source, inputs, table = lookup.source_sql(dataset), list(lookup.inputs), lookup.table(dataset)
            known = [] if lookup.name in _READS_DEFAULTS else shared_lookups(con, lookup, dataset)
            if folder is None:
                n = apply_distinct(con, source, inputs, func, lookup.outputs, table, workers, known)
            else:
                cache_file = lookup_file(folder, table, params if lookup.name in _READS_DEFAULTS else None)
                n, from_cache[lookup.name] = apply_cached(con, source, inputs, func, lookup.outputs, table,
                                                          cache_file, workers, known)
            con.execute(f"comment on table {table} is '{_made_by()}'")
            return n

    def _area(address: str | None, subdistrict: str | None, district: str | None, province: str | None,
              postal: str | None, code: str | None,
              context: tuple[str | None, str | None, str | None] = (None, None, None)) -> dict[str, Any]:
        ctx_subdistrict, ctx_district, ctx_province = context
        return resolve_address(
            address, subdistrict=code or subdistrict, district=district, province=province, postal_code=postal,
            default_province=ctx_province or defaults.get("province"),
            default_district=ctx_district or defaults.get("district"), default_subdistrict=ctx_subdistrict,
        )

    steps: list[tuple[Lookup, Callable[..., dict[str, Any]]]] = [
        *((lookup, NAME_FUNCS[lookup.name]) for lookup in NAME_LOOKUPS),
        (CID, clean_citizen_id), (DATE, _birth_date), (AGE, _age), (_area_lookup(dataset), _area),
        (HOUSE_NO, _house_no), (VILLAGE_NO, _village_no),
    ]
    distinct = {}
    for lookup, func in steps:  # in order: a name step's input is joined from the steps before it
        distinct[lookup.name] = _apply(lookup, func)
        if lookup.name == NAME_ROWS_AFTER:
            con.execute(name_rows_sql(dataset))
        if lookup.name == NAME_PARTS_AFTER:
            con.execute(name_parts_sql(dataset))
            con.execute(f"drop table nmr_{dataset}")
    with timed("staged"):
        con.execute(record_order_sql(dataset))
        con.execute(staged_sql(dataset, {lookup.name: lookup for lookup, _ in steps}))
    con.execute(f"drop table nam_{dataset}")
    con.execute(f"drop table ord_{dataset}")
    distinct["address_context"] = _resolve_with_file_context(con, dataset, _area, _apply)
    drop_relation(con, f"std_{dataset}")  # a warehouse from before std_* were views holds tables of these names
    con.execute(accepted_sql(dataset))
    con.execute(quarantine_insert_sql(dataset))
    check_contract(con, std_contract(dataset))
    if folder is None:
        return distinct
    return {k: v for name, n in distinct.items() for k, v in ((name, n), (f"{name} from cache", from_cache[name]))}


# Statuses of a cell that was written but could not be used: the field is null, the row is kept.
_NOT_READ = {
    "birth_date": ("birth_date_status", ("impossible", "unparsed", "implausible")),
    "age": ("age_status", ("unreadable",)),
    "citizen_id": ("cid_status", ("bad_check_digit", "wrong_length", "unusable")),
}


def cells_not_read(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dict[str, int]]]:
    """Per dataset and file, how many accepted rows had a cell that could not be read, by field and status.

    Example: {"roster": {"fund_a.csv": {"birth_date impossible": 2, "citizen_id unusable": 1}}}
    """
    out: dict[str, dict[str, dict[str, int]]] = {}
    for dataset in ("roster", "poverty"):
        parts = " union all ".join(
            f"select source_file, '{field} ' || {col} as what from stg_{dataset} "
            f"where reject_reason is null and {col} in ({', '.join(repr(v) for v in values)})"
            for field, (col, values) in _NOT_READ.items()
        )
        rows = con.execute(f"select source_file, what, count(*) from ({parts}) group by all order by all").fetchall()
        for file, what, n in rows:
            out.setdefault(dataset, {}).setdefault(file, {})[what] = int(n)
    return out
