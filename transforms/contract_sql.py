"""SQL that checks a table against its contract; each query returns the count of offending rows."""

from schemas.contracts import Contract


def contract_checks_sql(contract: Contract, table: str | None = None) -> list[tuple[str, str, str]]:
    """(column, rule, SQL returning the number of rows breaking the rule) for every check of a contract.

    Examples:
        >>> from schemas.contracts import QUARANTINE
        >>> contract_checks_sql(QUARANTINE)[0][:2]
        ('dataset', 'not_null')
    """
    t = table or contract.table
    checks: list[tuple[str, str, str]] = []
    for c in contract.columns:
        q = f'"{c.name}"'
        if not c.nullable:
            checks.append((c.name, "not_null", f"select count(*) from {t} where {q} is null"))
        if c.accepted:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in c.accepted)
            checks.append(
                (c.name, f"accepted_values({','.join(c.accepted)})",
                 f"select count(*) from {t} where {q} is not null and {q} not in ({values})")
            )
        if c.unique:
            checks.append((c.name, "unique", f"select count({q}) - count(distinct {q}) from {t}"))
    for cols in contract.unique_together:
        key = ", ".join(f'"{c}"' for c in cols)
        checks.append(
            ("+".join(cols), "unique",
             f"select count(*) from (select {key} from {t} group by all having count(*) > 1)")
        )
    return checks
