"""The simplest peer of issue 17 (benchmarks/stock_peer.py) reads the sample's files as they are and links them."""

import duckdb

from benchmarks.bench_run import score
from benchmarks.stock_peer import read_all, run
from flows.sample import write_sample


def test_the_peer_reads_every_format_with_rows_counted_as_saphan_counts_them(tmp_path):
    write_sample(tmp_path, households=120, seed=3)
    roster = read_all([tmp_path / "rosters"])
    kinds = {name.rsplit("_", 1)[-1] for name in roster["source_file"]}
    assert kinds == {"utf8bom.csv", "cp874.csv", "xlsx.xlsx", "fullname.csv", "english.csv"}
    truth = duckdb.sql(f"select roster_file, roster_row::bigint, expected from read_csv('{tmp_path / 'truth.csv'}', "
                       "all_varchar = true)").fetchall()
    rows = set(zip(roster["source_file"], roster["source_row"], strict=True))
    blank = {(f, r) for f, r, e in truth if e == "blank_row"}
    assert blank and not blank & rows  # blank lines counted but not kept
    assert {(f, r) for f, r, e in truth if e == "accept"} <= rows  # same file names and row numbers as the truth
    assert roster["birth_year_be"].dropna().between(2400, 2600).all()
    assert roster["cid"].dropna().str.fullmatch(r"[0-9]*").all()
    extract = read_all([tmp_path / "poverty"])
    assert set(extract["source_file"]) == {"tpmap_extract_2567_part1.csv", "tpmap_extract_2567_part2.parquet"}
    assert extract["area"].notna().all() and extract["first_name"].notna().all()


def test_the_peer_links_a_small_sample_and_is_scored_against_the_truth(tmp_path):
    write_sample(tmp_path / "sample", households=300, seed=1)
    result = run([tmp_path / "sample" / "rosters"], [tmp_path / "sample" / "poverty"], tmp_path / "out", seed=1)
    assert result["roster_rows"] > 200 and result["poverty_rows"] > 500
    scored = score(tmp_path / "out" / "links.parquet", tmp_path / "sample" / "truth.csv")
    assert scored["links"] > 0 and scored["correct"] <= scored["links"]
    assert scored["precision"] > 0.95 and 0.8 < scored["recall"] < 1.0  # stock comparisons miss some Thai variants
    p, r = scored["precision"], scored["recall"]
    assert abs(scored["f1"] - 2 * p * r / (p + r)) < 1e-4
