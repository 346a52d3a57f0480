"""What researchers use: views, the read-only query command, exports, the report and the data dictionary."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import RAW, ROOT, chromium, run_chromium

from finsam_pipeline.cli import main
from finsam_pipeline.research.queries import QueryRefused, data_dictionary, run_query
from finsam_pipeline.research.report import coverage_tables, forbund_sections, kronor, percent, render

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("research") / "finsam.duckdb"
    assert main(["ingest", str(RAW), "--warehouse", str(path), "--workers", "0"]) == 0
    return path


def _row(warehouse, forbund: str, year: int) -> dict:
    frame = run_query(warehouse, f"SELECT * FROM forbund_year WHERE forbund_id = '{forbund}' AND fiscal_year = {year}")
    assert frame.height == 1
    return frame.row(0, named=True)


def test_forbund_year_for_a_report_year_matches_the_report(warehouse):
    row = _row(warehouse, "vasterbergslagen", 2023)
    assert (row["revenue_sek"], row["costs_sek"], row["net_result_sek"]) == (4_507_988, -4_360_316, 159_492)
    assert (row["equity_sek"], row["total_assets_sek"]) == (159_492 + 1_746_007, 2_038_080)
    assert (row["contributions_state_sek"], row["contributions_region_sek"], row["contributions_municipality_sek"]) == (
        2_248_000,
        1_124_000,
        719_000 + 405_000,
    )
    assert row["equity_to_contributions_pct"] == pytest.approx(round(100 * 1_905_499 / 4_496_000, 1))  # report: 42 %
    assert (row["participants_total"], row["participants_women"], row["participants_men"]) == (57, 32, 25)
    assert row["forbund_name"] == "Västerbergslagens Samordningsförbund" and row["warnings"] > 0


def test_forbund_year_fills_earlier_years_from_the_prior_year_columns(warehouse):
    row = _row(warehouse, "vastra_varmland_norra_dalsland", 2023)  # only the 2024 report is loaded
    documents = run_query(warehouse, "SELECT document_id FROM documents WHERE fiscal_year = 2024")["document_id"]
    assert row["source_document_id"] == documents[0]
    assert (row["net_result_sek"], row["equity_sek"], row["total_assets_sek"]) == (-97_210, 3_082_974, 4_186_829)
    assert row["contributions_state_sek"] == 4_014_000


def test_national_year_sums_the_forbund(warehouse):
    national = run_query(warehouse, "SELECT * FROM national_year WHERE fiscal_year = 2023").row(0, named=True)
    per_forbund = run_query(warehouse, "SELECT * FROM forbund_year WHERE fiscal_year = 2023")
    assert national["forbunds_reporting"] == per_forbund.height == 4
    assert national["net_result_sek"] == per_forbund["net_result_sek"].sum() == -330_463 + -97_210 + 159_492 + 311_776
    assert national["forbunds_over_20_pct"] == 4
    assert national["median_equity_to_contributions_pct"] == pytest.approx(
        per_forbund["equity_to_contributions_pct"].median()
    )
    # 2022 comes from prior-year columns; falun_borlange was formed in 2023 (its 2022 column is its predecessors')
    earlier = run_query(warehouse, "SELECT forbund_id FROM forbund_year WHERE fiscal_year = 2022 ORDER BY 1")
    assert earlier["forbund_id"].to_list() == ["klaralvdalen", "vasterbergslagen"]


def test_the_documented_query_prints_the_answer(warehouse, capsys):
    sql = "select net_result_sek from forbund_year where forbund_id like '%vasterbergslagen%' and fiscal_year = 2023"
    assert main(["query", sql, "--format", "csv", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out == "net_result_sek\n159492\n"
    assert (
        main(
            [
                "query",
                "select forbund_id from documents order by 1 limit 1",
                "--format",
                "json",
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    assert '"forbund_id": "falun_borlange"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("delete from financial_facts", "writes are refused"),
        ("insert into documents (document_id) values ('x')", "writes are refused"),
        ("copy financial_facts to '/tmp/leak.csv'", "COPY is refused"),
        ("attach '/tmp/other.duckdb' as other", "ATTACH is refused"),
        ("install httpfs", "INSTALL and LOAD"),
        ("load httpfs", "INSTALL and LOAD"),
        ("select * from read_csv('/etc/passwd')", "reading other files"),
        ("create table t as select 1", "creating tables"),
        ("set enable_external_access = true", "changing settings is refused"),
        ("select 1; drop table documents", "dropping is refused"),
    ],
)
def test_finsam_query_refuses_anything_but_reading(warehouse, sql, reason, capsys):
    with pytest.raises(QueryRefused, match=reason):
        run_query(warehouse, sql)
    assert main(["query", sql, "--warehouse", str(warehouse)]) == 2
    assert reason in capsys.readouterr().err
    assert run_query(warehouse, "select count(*) AS n from documents")["n"].to_list() == [5]


def test_an_export_reads_back_with_its_types(warehouse, tmp_path):
    out = tmp_path / "export"
    assert main(["export", "--format", "parquet", "--out", str(out), "--warehouse", str(warehouse)]) == 0
    facts = pl.read_parquet(out / "financial_facts.parquet")
    assert facts.schema["amount_sek"] == pl.Int64 and facts.height == 218
    # 4 annual reports x (year + prior year), less falun_borlange's 2022 column: it was formed in 2023
    assert pl.read_parquet(out / "forbund_year.parquet").height == 4 * 2 - 1
    assert {p.stem for p in out.glob("*.parquet")} >= {
        "documents",
        "member_contributions",
        "budget_lines",
        "indicator_results",
        "national_year",
        "coverage",
        "kommuner",
        "archive.financial_facts",
    }
    assert "Source:" in (out / "README.md").read_text(encoding="utf-8")
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "csv"), "--warehouse", str(warehouse)]) == 0
    assert pl.read_csv(tmp_path / "csv" / "national_year.csv").height == 3


class _PageText(HTMLParser):
    """The text a page shows (no scripts, styles or attributes), and the text of each right-aligned cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells: list[str] = []
        self._hidden = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "td" and ("class", "num") in attrs:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1
        elif tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _page_text(dom: str) -> _PageText:
    page = _PageText()
    page.feed(dom)
    return page


NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"
AMOUNT = re.compile(rf"{MINUS}?\d{{1,3}}(?:{NNBSP}\d{{3}})*{NBSP}kr")


def test_the_report_renders_its_charts_in_a_browser(warehouse, tmp_path):
    report = tmp_path / "report.html"
    assert main(["report", "--out", str(report), "--warehouse", str(warehouse)]) == 0
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained
    browser = chromium()
    dom = run_chromium(browser, tmp_path / "a", "--dump-dom", report.as_uri())
    assert 'data-charts="4"' in dom  # four <img> charts decoded with a real size
    page = _page_text(dom)
    text = "\n".join(page.parts)  # each text node apart, as table cells are
    assert "Per förbund" in text and "Västerbergslagens Samordningsförbund" in text
    # no number on the page has more than two decimals (the 2022 median of 58.4 and 58.5 once read 58.449999999999996)
    assert re.findall(r"\d[.,]\d{3,}", text) == []
    # amounts are grouped by thousands: no bare run of five digits or more outside names of files and numbers
    assert re.findall(r"(?<![\w.\-/])\d{5,}(?![\w.\-/])", text) == []
    amounts = [cell for cell in page.cells if cell.endswith("kr")]
    assert len(amounts) > 20 and [a for a in amounts if not AMOUNT.fullmatch(a)] == []
    assert f"4{NNBSP}507{NNBSP}988{NBSP}kr" in amounts  # Västerbergslagen's revenue 2023
    assert f"{MINUS}20{NNBSP}114{NBSP}kr" in amounts  # VVND's result 2024, with a true minus sign
    assert f"58,4{NBSP}%" in page.cells  # the 2022 median, rounded to one decimal with a decimal comma
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    run_chromium(browser, tmp_path / "b", "--window-size=1100,2600", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (6_958_336, f"6{NNBSP}958{NNBSP}336{NBSP}kr"),
        (-20_114, f"{MINUS}20{NNBSP}114{NBSP}kr"),
        (999, f"999{NBSP}kr"),
        (0, f"0{NBSP}kr"),
        (-1_000_000, f"{MINUS}1{NNBSP}000{NNBSP}000{NBSP}kr"),
        (None, "–"),
    ],
)
def test_amounts_read_the_swedish_way(value, shown):
    assert kronor(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (58.449999999999996, f"58,4{NBSP}%"),
        (42.0, f"42{NBSP}%"),
        (38.25, f"38,3{NBSP}%"),
        (-3.04, f"{MINUS}3{NBSP}%"),
        (None, "–"),
    ],
)
def test_percentages_have_at_most_one_decimal_and_a_decimal_comma(value, shown):
    assert percent(value) == shown


def _section(page: str, forbund_id: str) -> str:
    start = page.index(f'<section class="forbund" id="forbund-{forbund_id}">')
    return page[start : page.index("</section>", start)]


def test_each_forbund_has_a_section_with_its_years_headline_figures_and_coverage(warehouse):
    page = render(warehouse)
    own = _section(page, "vasterbergslagen")
    assert "<h3>Västerbergslagens Samordningsförbund</h3>" in own
    assert "<b>Years with figures:</b> 2022–2023" in own
    row_2023 = re.search(r"<tr><td>2023</td>(.*?)</tr>", own).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_2023)
    assert cells == [
        kronor(4_507_988),  # revenue
        kronor(2_248_000 + 1_124_000 + 719_000 + 405_000),  # member contributions: state, region, kommuner
        kronor(-4_360_316),  # costs
        kronor(159_492),  # result
        kronor(1_905_499),  # equity
        percent(42.4),  # equity / contributions
        "003_05cbb9a16c33db66.txt",
    ]
    assert "annual reports loaded for 2023" in own and "003_05cbb9a16c33db66.txt</td><td>annual report</td>" in own
    # a plan is listed with its förbund; a förbund of one report has one section, registered or not
    assert "002_892aa91c93367e8c.txt</td><td>plan</td><td>2025</td><td>loaded" in _section(page, "klaralvdalen")
    assert page.count('<section class="forbund"') == 4


def test_a_quarantined_report_shows_in_its_forbunds_coverage_with_the_reason(warehouse, tmp_path):
    copy = tmp_path / "quarantined.duckdb"
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    con.execute(
        "UPDATE documents SET status = 'quarantined', status_reason = 'failed structural checks: revenue misread' "
        "WHERE source_file LIKE '003_%'"
    )
    con.close()
    own = _section(forbund_sections(copy), "vasterbergslagen")
    assert "<b>Years with figures:</b> –" in own and "No figures" in own  # a quarantined report gives none
    assert "no annual report loaded for 2023–2025" in own and "1 document(s) not loaded (quarantined)" in own
    assert "<td>quarantined</td><td>failed structural checks: revenue misread</td>" in own


def test_the_coverage_listing_shows_registry_predecessors_and_successors_as_such(warehouse):
    _, matrix = coverage_tables(warehouse)
    names = matrix["förbund"].to_list()
    relation = dict(zip(names, matrix["relation"], strict=True))
    # Finsam Falun and Finsam Borlänge ended in 2022, before the loaded years; their successor says whom it follows
    assert relation["Samordningsförbundet Finsam Falun - Borlänge"] == "successor of Finsam Borlänge, Finsam Falun"
    # a predecessor whose end is not known stands right under its successor and says so
    successor = names.index("Samordningsförbundet Huddinge, Botkyrka och Salem")
    assert names[successor + 1] == "Samordningsförbundet Botkyrka"
    assert relation["Samordningsförbundet Botkyrka"] == (
        "predecessor of Samordningsförbundet Huddinge, Botkyrka och Salem (date not known)"
    )
    assert relation["Norra Västmanlands Samordningsförbund"] == (
        "predecessor of Samordningsförbundet Västmanland (from 2024)"
    )
    # where no source settles a relation, the note says so and the two stay unrelated
    note = dict(zip(names, matrix["note"], strict=True))
    assert relation["Samordningsförbundet Umeå"] == "" and "unknown" in note["Samordningsförbundet Umeå"]


def test_the_data_dictionary_matches_the_schema():
    assert (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8") == data_dictionary()


@pytest.fixture
def empty_warehouse(tmp_path):
    """A warehouse file with nothing in it: enough for queries that read no table."""
    import duckdb

    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    return path


def test_finsam_query_writes_nested_values_to_csv_as_json_text(empty_warehouse, capsys):
    assert main(["query", "select [1,2] as l", "--format", "csv", "--warehouse", str(empty_warehouse)]) == 0
    assert capsys.readouterr().out == 'l\n"[1, 2]"\n'
    sql = "select {'förbund': 'Västerbergslagen', 'år': [2023]} as s, map([1], ['x']) as m, 'a'::blob as b, 1 as n"
    assert main(["query", sql, "--format", "csv", "--warehouse", str(empty_warehouse)]) == 0
    rows = pl.read_csv(capsys.readouterr().out.encode())
    assert rows.row(0) == ('{"förbund": "Västerbergslagen", "år": [2023]}', '{"1": "x"}', "\\x61", 1)


def test_finsam_query_refuses_a_second_statement(empty_warehouse, capsys):
    assert main(["query", "select 1; select 2", "--warehouse", str(empty_warehouse)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "finsam query: one statement at a time: the query holds 2; run each on its own\n"
    assert main(["query", "select 1;", "--format", "csv", "--warehouse", str(empty_warehouse)]) == 0  # one, with ;


def test_finsam_query_explains_a_type_it_cannot_show(empty_warehouse, capsys):
    assert main(["query", "select interval 1 day as i", "--warehouse", str(empty_warehouse)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam query: a result column has a type that cannot be shown") and "::VARCHAR" in err
    assert "Traceback" not in err
