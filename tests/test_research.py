"""What researchers use: views, the read-only query command, exports, the report and the data dictionary."""

from pathlib import Path

import polars as pl
import pytest
from conftest import RAW, ROOT, chromium, run_chromium

from finsam_pipeline.cli import main
from finsam_pipeline.research.queries import QueryRefused, data_dictionary, run_query

ARTIFACTS = Path(__file__).parent / "artifacts"


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


def test_the_report_renders_its_charts_in_a_browser(warehouse, tmp_path):
    report = tmp_path / "report.html"
    assert main(["report", "--out", str(report), "--warehouse", str(warehouse)]) == 0
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained
    browser = chromium()
    dom = run_chromium(browser, tmp_path / "a", "--dump-dom", report.as_uri())
    assert 'data-charts="4"' in dom  # four <img> charts decoded with a real size
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    run_chromium(browser, tmp_path / "b", "--window-size=1100,2600", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.stat().st_size > 10_000


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
