"""Link: connect accepted roster records to poverty records and explain each link."""

import duckdb

from flows.warehouse import check_contract
from schemas.contracts import LINKS
from transforms.link_sql import exact_id_links_sql, links_sql


def link(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Build int_links and links; return counts per match method."""
    con.execute(exact_id_links_sql())
    con.execute(links_sql())
    check_contract(con, LINKS)
    rows = con.execute("select match_method, count(*) from links group by all order by all").fetchall()
    return {str(m): int(n) for m, n in rows}
