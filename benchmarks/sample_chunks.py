"""A country-sized sample written one province at a time, so the generator's memory stays at one province's.

    python -m benchmarks.sample_chunks benchmarks/work/country_16x227500_1 --provinces 16 --households 227500

`saphan sample` builds the whole population in memory (1M households: ~3.2 GB, 136 s). Here each province
(transforms.synth.PROVINCE_ORDER) is generated alone with its own seed and written with flows.sample's writers:
rosters/fund_<subdistrict>_<fmt>.*, poverty/<province>/tpmap_extract_*.{csv,parquet}, and one truth.csv whose
poverty_file is the name the pipeline shows for it (`<province>/<file>`, since the names repeat). A province
already written (its truth part exists) is skipped, so an interrupted run resumes.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from flows.sample import EXTENSIONS, _write_poverty, _write_roster, write_csv
from transforms import synth


def write_province(out_dir: Path, province: str, households: int, seed: int) -> Path:
    """One province's rosters, extract and truth part; returns the truth part's path."""
    part = out_dir / "truth_parts" / f"{province}.csv"
    if part.exists():
        return part
    poverty_dir = out_dir / "poverty" / province
    for d in (out_dir / "rosters", poverty_dir, part.parent):
        d.mkdir(parents=True, exist_ok=True)
    people = synth.make_population(households, seed, (province,))  # type: ignore[arg-type]  # tuple: cached
    _, where = _write_poverty(synth.make_poverty(people, seed), poverty_dir)
    rosters = synth.make_rosters(people, seed)
    del people
    parts = []
    for i, (fund_name, fmt, table) in enumerate(rosters):
        name = f"fund_{table['_subdistrict_code'][0].as_py()}_{fmt}.{EXTENSIONS[fmt]}"
        _write_roster(out_dir / "rosters" / name, fund_name, fmt, table, title_rows=2 - i // 5 % 2)
        n = table.num_rows
        parts.append(pa.table({"roster_file": pa.array([name] * n), "roster_row": pa.array(np.arange(1, n + 1)),
                               "person_id": table["_person_id"], "expected": table["_expected"]}))
    del rosters
    truth = pa.concat_tables(parts)
    at = pc.index_in(truth["person_id"], value_set=where["person_id"])
    poverty_file = pc.binary_join_element_wise(province, pc.take(where["poverty_file"], at), "/")
    truth = pa.table({"roster_file": truth["roster_file"], "roster_row": truth["roster_row"],
                      "poverty_file": poverty_file, "poverty_row": pc.take(where["poverty_row"], at),
                      "expected": truth["expected"]})
    write_csv(truth, part.with_suffix(".partial"))
    part.with_suffix(".partial").rename(part)
    return part


def write_country(out_dir: Path, provinces: int, households: int, seed: int) -> dict[str, float]:
    """`provinces` provinces of `households` households each; truth.csv joins the parts. Returns seconds each."""
    seconds = {}
    parts = []
    for k, province in enumerate(synth.PROVINCE_ORDER[:provinces]):
        t = time.perf_counter()
        parts.append(write_province(out_dir, province, households, seed * 1000 + k))
        seconds[province] = round(time.perf_counter() - t, 1)
        print(f"province {province}: {seconds[province]} s", flush=True)
    truth = pa.concat_tables([pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(
        column_types={"poverty_row": pa.int64(), "roster_row": pa.int64()})) for p in parts])
    write_csv(truth, out_dir / "truth.csv")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--provinces", type=int, default=16)
    parser.add_argument("--households", type=int, default=227_500, help="households per province")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_country(args.dir, args.provinces, args.households, args.seed)


if __name__ == "__main__":
    main()
