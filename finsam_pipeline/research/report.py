"""`finsam report`: one self-contained HTML file with the national overview, charts inline as PNG."""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from finsam_pipeline.research.queries import fetch_frame, read_only_connection

RECOMMENDED_EQUITY_PCT = 20


def _frame(warehouse: Path, sql: str) -> pl.DataFrame:
    con = read_only_connection(warehouse)
    try:
        return fetch_frame(con, sql)
    finally:
        con.close()


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(warehouse: Path) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts: list[tuple[str, str]] = []
    latest = _frame(
        warehouse,
        """
        SELECT forbund_name, fiscal_year, equity_to_contributions_pct FROM forbund_year
        WHERE equity_to_contributions_pct IS NOT NULL
        QUALIFY fiscal_year = max(fiscal_year) OVER (PARTITION BY forbund_id) ORDER BY equity_to_contributions_pct""",
    )
    if latest.height:
        figure, axis = plt.subplots(figsize=(8, 0.5 * latest.height + 1.5))
        labels = [f"{n} ({y})" for n, y in zip(latest["forbund_name"], latest["fiscal_year"], strict=True)]
        colours = [
            "#c0392b" if v > RECOMMENDED_EQUITY_PCT else "#2e86c1" for v in latest["equity_to_contributions_pct"]
        ]
        axis.barh(labels, latest["equity_to_contributions_pct"].to_list(), color=colours)
        axis.axvline(RECOMMENDED_EQUITY_PCT, color="black", linestyle="--", label="recommended maximum 20 %")
        axis.set_xlabel("equity as % of member contributions")
        axis.legend(loc="lower right")
        charts.append(("Equity against the 20 % recommendation (latest year per förbund)", _png(figure)))
        plt.close(figure)
    national = _frame(warehouse, "SELECT * FROM national_year ORDER BY fiscal_year")
    if national.height:
        years = [str(y) for y in national["fiscal_year"]]
        figure, axis = plt.subplots(figsize=(8, 4))
        bottom = [0.0] * national.height
        for column, label in (
            ("contributions_state_sek", "state"),
            ("contributions_region_sek", "region"),
            ("contributions_municipality_sek", "municipalities"),
            ("contributions_eu_sek", "EU"),
            ("contributions_other_sek", "other"),
        ):
            values = [(v or 0) / 1e6 for v in national[column]]
            axis.bar(years, values, bottom=bottom, label=label)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axis.set_ylabel("Mkr")
        axis.legend()
        charts.append(("Member money by payer type", _png(figure)))
        plt.close(figure)

        figure, axis = plt.subplots(figsize=(8, 4))
        for column, label in (("revenue_sek", "revenue"), ("costs_sek", "costs"), ("net_result_sek", "result")):
            axis.plot(years, [(v or 0) / 1e6 for v in national[column]], marker="o", label=label)
        axis.axhline(0, color="grey", linewidth=0.8)
        axis.set_ylabel("Mkr (all reporting förbund)")
        axis.legend()
        charts.append(("Revenue, costs and results over the years", _png(figure)))
        plt.close(figure)

        figure, axis = plt.subplots(figsize=(8, 4))
        women = [v or 0 for v in national["participants_women"]]
        men = [v or 0 for v in national["participants_men"]]
        axis.bar(years, women, label="women")
        axis.bar(years, men, bottom=women, label="men")
        axis.set_ylabel("participants in financed interventions")
        axis.legend()
        charts.append(("Participants by sex", _png(figure)))
        plt.close(figure)
    return charts


def _table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def coverage_tables(warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per year: registered förbund, annual reports and plans loaded; and per förbund and year, what is loaded."""
    coverage = _frame(warehouse, "SELECT * FROM coverage ORDER BY forbund_name, fiscal_year")
    summary = (
        coverage.group_by("fiscal_year")
        .agg(
            pl.len().alias("registered förbund"),
            (pl.col("annual_report") == "loaded").sum().alias("annual reports loaded"),
            (pl.col("annual_report") == "missing").sum().alias("annual reports missing"),
            (pl.col("plan") == "loaded").sum().alias("plans loaded"),
        )
        .sort("fiscal_year")
        .rename({"fiscal_year": "year"})
    )
    if coverage.is_empty():
        return summary, pl.DataFrame({"förbund": []}, schema={"förbund": pl.String})
    cells = coverage.with_columns(
        cell=pl.when(pl.col("annual_report") == "loaded").then(pl.lit("✓")).otherwise(pl.lit("missing"))
        + pl.when(pl.col("plan") == "loaded").then(pl.lit(" + plan")).otherwise(pl.lit("")),
        year=pl.col("fiscal_year").cast(pl.String),
    )
    years = [str(y) for y in sorted(coverage["fiscal_year"].unique())]
    matrix = (
        cells.pivot(on="year", index=["forbund_name", "forbund_id"], values="cell", aggregate_function="first")
        .sort("forbund_name", "forbund_id")
        .rename({"forbund_name": "förbund"})
    )
    matrix = matrix.select("förbund", *[y for y in years if y in matrix.columns]).fill_null("–")
    return summary, matrix


def render(warehouse: Path) -> str:
    charts = _charts(warehouse)
    overview = _frame(
        warehouse,
        """
        SELECT fiscal_year AS "year", forbunds_reporting AS "förbund",
               forbunds_registered_reporting || ' of ' || forbunds_registered AS "registered förbund covered",
               revenue_sek AS "revenue (kr)", costs_sek AS "costs (kr)", net_result_sek AS "result (kr)",
               median_equity_to_contributions_pct AS "median equity %", forbunds_over_20_pct AS "over 20 %"
        FROM national_year ORDER BY 1""",
    )
    coverage_summary, coverage_matrix = coverage_tables(warehouse)
    warnings = _frame(
        warehouse,
        """
        SELECT d.source_file AS "document", d.forbund_name AS "förbund", q.check_name AS "check", q.message
        FROM quality_results q JOIN documents d USING (document_id)
        WHERE NOT q.passed ORDER BY 1, 3, 4""",
    )
    documents = _frame(
        warehouse,
        """
        SELECT source_file AS "document", status, coalesce(status_reason, '') AS reason FROM documents ORDER BY 1""",
    )
    figures = "".join(
        f'<figure><img class="chart" alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
        for title, data in charts
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Finsam – national overview</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
figure {{ margin: 2em 0; }} img.chart {{ max-width: 100%; }}
</style></head>
<body data-charts="0">
<h1>Samordningsförbund: national overview</h1>
<p>From the warehouse <code>{html.escape(str(warehouse))}</code>, generated {generated}.</p>
<h2>Per year</h2>
<p>Sums over the förbund with figures for the year (a förbund counts only in years it existed, per the registry),
and how many of the förbund the registry lists for the year that covers.</p>
{_table(overview)}
<h2 id="coverage">Coverage</h2>
<p>Registered förbund per year (within each förbund's validity) and whether their reports are loaded.
✓ the annual report is loaded; missing: it is not; + plan: the plan and budget for the year is loaded too;
– the förbund did not exist that year.</p>
{_table(coverage_summary)}
<div class="coverage">{_table(coverage_matrix)}</div>
<h2>Charts</h2>{figures or "<p>No data to chart.</p>"}
<h2>Quality warnings per document</h2>
<p>Checks that did not hold, as reported by the pipeline; each is a place in a report to look at.</p>
{_table(warnings)}
<h2>Documents</h2>{_table(documents)}
<script>
window.addEventListener("load", function () {{
  var drawn = Array.prototype.filter.call(document.images, function (i) {{ return i.complete && i.naturalWidth > 0; }});
  document.body.setAttribute("data-charts", String(drawn.length));
}});
</script>
</body></html>
"""


def write_report(warehouse: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(warehouse), encoding="utf-8")
    return out
