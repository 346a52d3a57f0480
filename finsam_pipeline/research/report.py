"""`finsam report`: one self-contained HTML file with the national overview, charts inline as PNG."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from finsam_pipeline.research.queries import fetch_frame, read_only_connection

RECOMMENDED_EQUITY_PCT = 20
NARROW_NBSP, NBSP, MINUS, DASH = "\u202f", "\u00a0", "\u2212", "–"


def grouped(value: int | float) -> str:
    """A whole number the Swedish way: thousands grouped by a narrow no-break space, a true minus sign."""
    number = int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))
    return (MINUS if number < 0 else "") + f"{abs(number):,}".replace(",", NARROW_NBSP)


def kronor(value: int | float | None) -> str:
    """`6 958 336 kr`, `−20 114 kr`; a dash where there is no figure."""
    return DASH if value is None else f"{grouped(value)}{NBSP}kr"


def percent(value: int | float | None) -> str:
    """`58,4 %`: at most one decimal, a decimal comma, no float artefacts (58.449999999999996 reads 58,4)."""
    if value is None:
        return DASH
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{abs(rounded):f}".removesuffix(".0").replace(".", ",")
    return f"{MINUS if rounded < 0 else ''}{text}{NBSP}%"


def _years(years: Iterable[int]) -> str:
    """`2019–2021, 2023`: consecutive years as ranges."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans) or DASH


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


Format = Callable[[object], str]


def _cell(value: object, form: Format | None) -> str:
    if form is not None:
        return form(value)
    if value is None:
        return ""
    if isinstance(value, float):  # no raw float ever reaches the page
        return percent(value).removesuffix(f"{NBSP}%")
    if isinstance(value, int) and not isinstance(value, bool):
        return grouped(value) if abs(value) >= 10_000 else str(value)  # years and small counts as they are
    return str(value)


def _table(frame: pl.DataFrame, formats: dict[str, Format] | None = None, numeric: Iterable[str] = ()) -> str:
    """An HTML table; `formats` say how a column's values read (kronor, percent), integers of five digits
    or more are grouped, and the columns in `numeric` (and every formatted one) are right-aligned."""
    formats = formats or {}
    right = set(numeric) | set(formats)
    head = "".join(f"<th{' class=num' if c in right else ''}>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if c in right else ''}>{html.escape(_cell(v, formats.get(c)))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _registry(warehouse: Path) -> dict[str, dict]:
    """The registry rows by forbund_id (a warehouse loaded before the note column existed has none)."""
    frame = _frame(warehouse, "SELECT * FROM forbund")
    return {row["forbund_id"]: row for row in frame.iter_rows(named=True)}


def _name(registry: dict[str, dict], forbund_id: str) -> str:
    return registry[forbund_id]["forbund_name"] if forbund_id in registry else forbund_id


def _successor_start(row: dict, successor: dict) -> str:
    if successor.get("valid_from") is not None:
        return f"from {successor['valid_from'].year}"
    if row.get("valid_to") is not None:
        return f"from {row['valid_to'].year + 1}"
    return "date not known"


def relation(registry: dict[str, dict], forbund_id: str) -> str:
    """How the registry links a förbund to others: `successor of A, B`; `predecessor of C (from 2023)`."""
    row = registry.get(forbund_id)
    if row is None:
        return "not in the registry"
    parts = []
    predecessors = sorted(r["forbund_name"] for r in registry.values() if r.get("successor_id") == forbund_id)
    if predecessors:
        parts.append("successor of " + ", ".join(predecessors))
    successor = registry.get(row.get("successor_id") or "")
    if successor is not None:
        parts.append(f"predecessor of {successor['forbund_name']} ({_successor_start(row, successor)})")
    return "; ".join(parts)


def _lineage_key(registry: dict[str, dict], forbund_id: str) -> tuple[str, int, str]:
    """Sort a förbund under the last successor of its line, successors first, so a merger reads as one line."""
    seen, current = {forbund_id}, forbund_id
    while (following := (registry.get(current) or {}).get("successor_id")) and following not in seen:
        seen.add(following)
        current = following
    return (_name(registry, current).casefold(), len(seen), _name(registry, forbund_id).casefold())


def coverage_tables(warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per year: registered förbund, annual reports and plans loaded; and per förbund and year, what is
    loaded, each förbund beside its registry predecessors and successors, with the relation spelled out."""
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
    registry = _registry(warehouse)
    cells = coverage.with_columns(
        cell=pl.when(pl.col("annual_report") == "loaded").then(pl.lit("✓")).otherwise(pl.lit("missing"))
        + pl.when(pl.col("plan") == "loaded").then(pl.lit(" + plan")).otherwise(pl.lit("")),
        year=pl.col("fiscal_year").cast(pl.String),
    )
    years = [str(y) for y in sorted(coverage["fiscal_year"].unique())]
    matrix = cells.pivot(on="year", index=["forbund_name", "forbund_id"], values="cell", aggregate_function="first")
    ids = matrix["forbund_id"].to_list()
    order = sorted(range(len(ids)), key=lambda i: _lineage_key(registry, ids[i]))
    matrix = matrix[order]
    ids = matrix["forbund_id"].to_list()
    matrix = matrix.with_columns(
        pl.Series("relation", [relation(registry, i) for i in ids], dtype=pl.String),
        pl.Series("note", [(registry.get(i) or {}).get("note") or "" for i in ids], dtype=pl.String),
    ).rename({"forbund_name": "förbund"})
    matrix = matrix.select("förbund", "relation", *[y for y in years if y in matrix.columns], "note")
    return summary, matrix.fill_null("–")


_DOCUMENT_TYPES = {"arsredovisning": "annual report", "verksamhetsplan": "plan"}


def _forbund_section(
    forbund_id: str,
    name: str,
    figures: pl.DataFrame,
    documents: pl.DataFrame,
    missing: list[int],
    registry: dict[str, dict],
) -> str:
    row = registry.get(forbund_id)
    facts = []
    if row is not None:
        facts.append(html.escape(row.get("lan_name") or ""))
        span = (
            f"{row['valid_from'].year if row.get('valid_from') else '…'}–"
            f"{row['valid_to'].year if row.get('valid_to') else ''}"
        )
        facts.append(f"in the registry, existing {span}" if span != "…–" else "in the registry")
        if relation(registry, forbund_id):
            facts.append(html.escape(relation(registry, forbund_id)))
        if row.get("note"):
            facts.append(f"note: {html.escape(row['note'])}")
    else:
        facts.append("not in the registry (named as its reports print it)")
    headline = figures.select(
        pl.col("fiscal_year").alias("year"),
        pl.col("revenue_sek").alias("revenue"),
        pl.col("contributions_sek").alias("member contributions"),
        pl.col("costs_sek").alias("costs"),
        pl.col("net_result_sek").alias("result"),
        pl.col("equity_sek").alias("equity"),
        pl.col("equity_to_contributions_pct").alias("equity / contributions"),
        pl.col("source_file").alias("read from"),
    )
    money = {c: kronor for c in ("revenue", "member contributions", "costs", "result", "equity")}
    table = (
        _table(headline, {**money, "equity / contributions": percent})
        if headline.height
        else "<p>No figures: no loaded annual report of this förbund has statements.</p>"
    )
    listed = documents.select(
        pl.col("source_file").alias("document"),
        pl.col("document_type").replace_strict(_DOCUMENT_TYPES, default=pl.col("document_type")).alias("type"),
        pl.col("fiscal_year").alias("year"),
        pl.col("status"),
        pl.col("status_reason").fill_null("").alias("reason"),
    )
    loaded = documents.filter((pl.col("status") == "loaded") & (pl.col("document_type") == "arsredovisning"))
    held_back = documents.filter(pl.col("status") != "loaded")
    coverage = [
        f"annual reports loaded for {_years(loaded['fiscal_year'].drop_nulls().to_list())}",
        f"no annual report loaded for {_years(missing)}" if missing else "",
        f"{held_back.height} document(s) not loaded ({', '.join(sorted(set(held_back['status'].to_list())))})"
        if held_back.height
        else "",
    ]
    return (
        f'<section class="forbund" id="forbund-{html.escape(forbund_id)}">'
        f"<h3>{html.escape(name)}</h3>"
        f'<p class="registry">{" · ".join(f for f in facts if f)}</p>'
        f"<p><b>Years with figures:</b> {_years(figures['fiscal_year'].to_list())}</p>{table}"
        f"<p><b>Coverage:</b> {'; '.join(c for c in coverage if c)}.</p>{_table(listed)}</section>"
    )


def forbund_sections(warehouse: Path) -> str:
    """One short section per förbund with a document or figures: its years, its headline figures per year,
    and its coverage (which documents and years are loaded, which are held back and why)."""
    registry = _registry(warehouse)
    figures = _frame(
        warehouse,
        """
        SELECT fy.forbund_id, fy.forbund_name, fy.fiscal_year, fy.revenue_sek,
               CASE WHEN coalesce(fy.contributions_state_sek, fy.contributions_region_sek,
                                  fy.contributions_municipality_sek) IS NOT NULL
                    THEN coalesce(fy.contributions_state_sek, 0) + coalesce(fy.contributions_region_sek, 0)
                         + coalesce(fy.contributions_municipality_sek, 0) END AS contributions_sek,
               fy.costs_sek, fy.net_result_sek, fy.equity_sek, fy.equity_to_contributions_pct, d.source_file
        FROM forbund_year AS fy JOIN documents AS d ON d.document_id = fy.source_document_id
        ORDER BY fy.forbund_id, fy.fiscal_year""",
    )
    documents = _frame(
        warehouse,
        """
        SELECT forbund_id, forbund_name, source_file, document_type, fiscal_year, status, status_reason
        FROM documents WHERE forbund_id IS NOT NULL ORDER BY forbund_id, fiscal_year, source_file""",
    )
    missing = _frame(
        warehouse, "SELECT forbund_id, fiscal_year FROM coverage WHERE annual_report = 'missing' ORDER BY ALL"
    )
    names = dict(zip(documents["forbund_id"], documents["forbund_name"], strict=True))
    names.update(zip(figures["forbund_id"], figures["forbund_name"], strict=True))
    names.update({i: r["forbund_name"] for i, r in registry.items() if i in names})
    sections = [
        _forbund_section(
            forbund_id,
            names[forbund_id],
            figures.filter(pl.col("forbund_id") == forbund_id),
            documents.filter(pl.col("forbund_id") == forbund_id),
            missing.filter(pl.col("forbund_id") == forbund_id)["fiscal_year"].to_list(),
            registry,
        )
        for forbund_id in sorted(names, key=lambda i: (names[i].casefold(), i))
    ]
    return "".join(sections) or "<p>No förbund has a document in the warehouse.</p>"


def render(warehouse: Path) -> str:
    charts = _charts(warehouse)
    overview = _frame(
        warehouse,
        """
        SELECT fiscal_year AS "year", forbunds_reporting AS "förbund",
               forbunds_registered_reporting || ' of ' || forbunds_registered AS "registered förbund covered",
               revenue_sek AS "revenue", costs_sek AS "costs", net_result_sek AS "result",
               median_equity_to_contributions_pct AS "median equity / contributions",
               forbunds_over_20_pct AS "over 20 %"
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
    money = {"revenue": kronor, "costs": kronor, "result": kronor, "median equity / contributions": percent}
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Finsam – national overview</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
th.num, td.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
section.forbund {{ border-top: 2px solid #ddd; margin-top: 2em; }} p.registry {{ color: #555; }}
figure {{ margin: 2em 0; }} img.chart {{ max-width: 100%; }}
</style></head>
<body data-charts="0">
<h1>Samordningsförbund: national overview</h1>
<p>From the warehouse <code>{html.escape(str(warehouse))}</code>, generated {generated}.
Amounts in kronor; equity / contributions is equity as a share of the member contributions of the state,
the region and the municipalities (the national recommendation is at most {RECOMMENDED_EQUITY_PCT}&nbsp;%).</p>
<h2>Per year</h2>
<p>Sums over the förbund with figures for the year (a förbund counts only in years it existed, per the registry),
and how many of the förbund the registry lists for the year that covers.</p>
{_table(overview, money, numeric=("förbund", "over 20 %"))}
<h2 id="coverage">Coverage</h2>
<p>Registered förbund per year (within each förbund's validity) and whether their reports are loaded.
✓ the annual report is loaded; missing: it is not; + plan: the plan and budget for the year is loaded too;
– the förbund did not exist that year. A förbund stands beside its registry predecessors and successors
(mergers, renamings), and the relation column says which is which; the note says what the registry's sources
leave open.</p>
{_table(coverage_summary, numeric=coverage_summary.columns[1:])}
<div class="coverage">{_table(coverage_matrix)}</div>
<h2 id="forbund">Per förbund</h2>
<p>Each förbund with a document in the warehouse: the years it has figures for, its headline figures per year
(from that year's annual report, else the newest one that reports the year), and which of its documents are
loaded or held back.</p>
{forbund_sections(warehouse)}
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
