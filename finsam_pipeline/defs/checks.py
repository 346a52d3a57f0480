"""Asset check results from what the published warehouse holds in `quality_results`.

Checks about one report are recorded per partition (one result per check per report); checks
across documents, which the warehouse recomputes on every load, once per run with the reports
that fail them. A check that had nothing to evaluate is never green: it is a warning that says why.
"""

import duckdb
from dagster import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
)
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)

from finsam_pipeline.load.steps import ReportState
from finsam_pipeline.quality import ERROR_CHECKS, PARSE_CHECKS, SKIPPED, WAREHOUSE_CHECKS

REPORTS = AssetKey("reports")
Target = AssetCheckEvaluationTargetMaterializationData
# One result for a run, whatever its size: every check of every report in it, the failures named by report.
RUN_CHECK = "report_checks_in_run"
RUN_CHECK_DESCRIPTION = (
    "every report the run recorded passes its quality checks; the failures and the checks with nothing to "
    "evaluate, by check and report (a large run records this instead of each check per report)"
)


def preview(rows: list[dict], limit: int = 10, total: int | None = None) -> MetadataValue:
    """A markdown table of the first `limit` rows, of `total` (the rows given, unless fewer were fetched)."""
    if not rows:
        return MetadataValue.md("_(none)_")
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows[:limit]:
        cells = ("" if row[c] is None else str(row[c]).replace("|", "/").replace("\n", " ") for c in columns)
        lines.append("| " + " | ".join(cells) + " |")
    total = len(rows) if total is None else total
    if total > limit:
        lines.append(f"\n_… and {total - limit} more_")
    return MetadataValue.md("\n".join(lines))


def _result(
    fields: dict, partition: str | None, target: Target | None, asset_key: AssetKey = REPORTS
) -> AssetCheckResult | AssetCheckEvaluation:
    """A result for the run (no partition) or an evaluation of one partition, against its materialization."""
    if partition is None:
        return AssetCheckResult(asset_key=asset_key, **fields)
    return AssetCheckEvaluation(asset_key=asset_key, partition=partition, target_materialization_data=target, **fields)


def _nothing_evaluated(
    name: str,
    description: str,
    why: str,
    *,
    partition: str | None = None,
    target: Target | None = None,
    **metadata,
) -> AssetCheckResult | AssetCheckEvaluation:
    """An asset check that had nothing to evaluate: never green, a warning that says so."""
    fields = {
        "check_name": name,
        "passed": False,
        "severity": AssetCheckSeverity.WARN,
        "description": f"{SKIPPED}: {why}",
        "metadata": {"evaluated": 0, "nothing_to_evaluate": why, "asserts": description, **metadata},
    }
    return _result(fields, partition, target)


def report_check(
    name: str,
    description: str,
    states: list[ReportState],
    partition: str | None = None,
    target: Target | None = None,
) -> AssetCheckResult | AssetCheckEvaluation:
    """One check over one report (its partition given) or, without a partition, over a run's reports."""
    checked = [s for s in states if s.validated]
    rows = [(s, c) for s in checked for c in s.checks if c["check_name"] == name]
    failed = [(s, c) for s, c in rows if c["passed"] is False]
    skipped = [(s, c) for s, c in rows if c["passed"] is None]
    # parse flags are recorded only when raised: each checked report counts as evaluated
    evaluated = len(checked) if name in PARSE_CHECKS else len(rows) - len(skipped)
    if evaluated == 0:
        reasons = sorted({c["message"].removeprefix(f"{SKIPPED}: ") for _, c in skipped})
        why_unchecked = {f"{s.document['status']}: {s.document['status_reason']}" for s in states if not s.validated}
        unchecked = sorted(why_unchecked)
        if reasons:
            why = "; ".join(reasons)
        elif unchecked:
            why = f"the report was not checked ({'; '.join(unchecked)})"
        else:
            why = "no report in this run to check" if not states else "no result recorded for this check"
        return _nothing_evaluated(name, description, why, partition=partition, target=target, skipped=len(skipped))
    failures = [
        {"file": s.document["source_file"], "year": c["fiscal_year"], "message": c["message"]} for s, c in failed
    ]
    fields = {
        "check_name": name,
        "passed": not failed,
        "severity": AssetCheckSeverity.ERROR if name in ERROR_CHECKS else AssetCheckSeverity.WARN,
        "description": description,
        "metadata": {
            "evaluated": evaluated,
            "failed": len(failed),
            "skipped": len(skipped),
            "failures": preview(failures, 25),
        },
    }
    return _result(fields, partition, target)


def missing_file_check(name: str, description: str, partition: str, target: Target | None) -> AssetCheckEvaluation:
    why = "no file for this partition (changed, moved or removed since it was added)"
    return _nothing_evaluated(name, description, why, partition=partition, target=target)


def cross_document_check(con: duckdb.DuckDBPyConnection, name: str) -> AssetCheckResult:
    """A check across the published warehouse's documents, with the reports that fail it."""
    description = WAREHOUSE_CHECKS[name]
    evaluated, failed, reports_failing = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT passed), count(DISTINCT document_id) FILTER (WHERE NOT passed) "
        "FROM quality_results WHERE check_name = ?",
        [name],
    ).fetchone()
    if evaluated == 0:
        return _nothing_evaluated(name, description, "no value in the warehouse had anything to compare with")
    failures = con.execute(
        "SELECT d.source_file AS file, q.fiscal_year AS year, q.message FROM quality_results q "
        "LEFT JOIN documents d USING (document_id) WHERE q.check_name = ? AND NOT q.passed "
        "ORDER BY 1, 2, 3 LIMIT 26",
        [name],
    )
    columns = [c[0] for c in failures.description]
    rows = [dict(zip(columns, row, strict=True)) for row in failures.fetchall()]
    return AssetCheckResult(
        asset_key=REPORTS,
        check_name=name,
        passed=failed == 0,
        severity=AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "evaluated": evaluated,
            "failed": failed,
            "reports_failing": reports_failing,
            "failures": preview(rows, 25),
        },
    )


def run_check(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> AssetCheckResult:
    """Every per-report check over the run's reports at once: one result, the reports named. All of it is
    counted in the warehouse, so a national run holds no check rows to record it."""
    in_run = "q.document_id IN (SELECT unnest(?::VARCHAR[]))"
    per_check = con.execute(
        "SELECT check_name, count(*) FILTER (WHERE passed IS NOT NULL) AS evaluated, "
        "count(*) FILTER (WHERE NOT passed) AS failed, count(*) FILTER (WHERE passed IS NULL) AS not_evaluated "
        f"FROM quality_results q WHERE {in_run} GROUP BY 1 ORDER BY 1",
        [document_ids],
    ).fetchall()
    failed, reports_failing, errors = con.execute(
        "SELECT count(*), count(DISTINCT document_id), count(*) FILTER (WHERE check_name IN "
        f"(SELECT unnest(?::VARCHAR[]))) FROM quality_results q WHERE {in_run} AND passed IS FALSE",
        [list(ERROR_CHECKS), document_ids],
    ).fetchone()
    shown = con.execute(
        "SELECT q.check_name, q.severity, d.source_file, q.fiscal_year, q.message FROM quality_results q "
        f"JOIN documents d USING (document_id) WHERE {in_run} AND q.passed IS FALSE "
        "ORDER BY d.source_file, q.document_id, q.check_name, q.fiscal_year LIMIT 50",
        [document_ids],
    ).fetchall()
    failures = [
        {"check": check, "severity": severity, "file": file, "year": year, "message": message}
        for check, severity, file, year, message in shown
    ]
    evaluated = sum(count for _, count, _, _ in per_check)
    if not evaluated:
        return _nothing_evaluated(RUN_CHECK, RUN_CHECK_DESCRIPTION, "no report of this run went through the checks")
    return AssetCheckResult(
        asset_key=REPORTS,
        check_name=RUN_CHECK,
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        description=RUN_CHECK_DESCRIPTION,
        metadata={
            "evaluated": evaluated,
            "reports": len(document_ids),
            "reports_failing": reports_failing,
            "failed": failed,
            "not_evaluated": sum(count for _, _, _, count in per_check),
            "by_check": preview(
                [
                    {"check": name, "evaluated": done, "failed": failing, "not evaluated": skipped}
                    for name, done, failing, skipped in per_check
                ],
                100,
            ),
            "failures": preview(failures, 50, failed),
        },
    )
