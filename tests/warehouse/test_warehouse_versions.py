"""No report is lost, and the national figures count every förbund once, only in years it existed.

Small reports are built here as the loader receives them (a documents row and its tables), against a
registry built here too, so every expected value comes from the inputs below.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from conftest import query_warehouse, seed_path

from finsam_pipeline import warehouse as warehouse_module
from finsam_pipeline.cli import main
from finsam_pipeline.parse.schemas import DOCUMENT_SCHEMA, TABLE_SCHEMAS
from finsam_pipeline.parse.vocabulary import REFERENCE_DIR
from finsam_pipeline.quality import QUALITY_SCHEMA
from finsam_pipeline.research.report import render
from finsam_pipeline.warehouse import DocumentLoad, load

# The registry the tests run against: id -> (name, valid_from, valid_to); alfa also has aliases.
ALIASES = {"alfa": "Finsam Alfa; Alfa Samordningsförbund"}
REGISTRY = {
    "alfa": ("Samordningsförbundet Alfa", "", ""),
    "beta": ("Samordningsförbundet Beta", "", ""),
    "gamma": ("Samordningsförbundet Gamma", "", "2022-12-31"),  # merged into gamma_delta
    "delta": ("Samordningsförbundet Delta", "", "2022-12-31"),  # merged into gamma_delta
    "gamma_delta": ("Samordningsförbundet Gamma-Delta", "2023-01-01", ""),
    "epsilon": ("Samordningsförbundet Epsilon", "2024-01-01", ""),
}


@pytest.fixture(autouse=True)
def registry(tmp_path, monkeypatch):
    """The real reference files, but the förbund registry above (same columns as the real one)."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    with (REFERENCE_DIR / "forbund.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (reference / "forbund.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        for forbund_id, (name, valid_from, valid_to) in REGISTRY.items():
            writer.writerow(
                {
                    "forbund_id": forbund_id,
                    "forbund_name": name,
                    "lan_name": "Testlän",
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "aliases": ALIASES.get(forbund_id, ""),
                }
            )
    with (reference / "forbund_members.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("forbund_id,kommun_code,valid_from,valid_to,note\n")
    monkeypatch.setattr(warehouse_module, "REFERENCE_DIR", reference)
    return reference


def report(
    forbund_id: str,
    year: int,
    *,
    name: str | None = None,
    document_type: str = "arsredovisning",
    decided_on: date | None = None,
    source_file: str | None = None,
    net_result: dict[int, int] | None = None,
    state_money: dict[int, int] | None = None,
    version: str = "",
) -> DocumentLoad:
    """One report: the year's result (and its prior-year column) and the state's member money, per year."""
    name = name or REGISTRY[forbund_id][0]
    source_file = source_file or f"{forbund_id}_{document_type}_{year}{version}.txt"
    sha256 = hashlib.sha256(f"{source_file}|{name}|{year}|{version}|{net_result}".encode()).hexdigest()
    document_id = sha256[:16]
    document = {
        "document_id": document_id,
        "source_file": source_file,
        "sha256": sha256,
        "forbund_id": forbund_id,
        "forbund_name": name,
        "document_type": document_type,
        "fiscal_year": year,
        "decided_on": decided_on,
        "status": "loaded",
        "status_reason": None,
        "page_count": None,
        "line_count": 100,
        "encoding": "utf-8",
        "forbund_in_registry": forbund_id in REGISTRY,
    }
    document |= {column: None for column in DOCUMENT_SCHEMA if column not in document}  # OCR facts: not a PDF
    assert set(document) == set(DOCUMENT_SCHEMA)
    common = {"document_id": document_id, "forbund_id": forbund_id, "source_page": None}
    facts = [
        {
            **common,
            "fiscal_year": y,
            "statement": "income",
            "line_code": "net_result",
            "label": "Årets resultat",
            "amount_sek": amount,
            "note_no": None,
            "source_line": 10 + line,
        }
        for line, (y, amount) in enumerate(sorted((net_result or {}).items()))
    ]
    money = [
        {
            **common,
            "fiscal_year": y,
            "contributor": "Försäkringskassan",
            "contributor_type": "state",
            "kommun_code": None,
            "amount_sek": amount,
            "note_no": 2,
            "source_line": 50 + line,
        }
        for line, (y, amount) in enumerate(sorted((state_money or {}).items()))
    ]
    tables = {table: pl.DataFrame(schema=schema) for table, schema in TABLE_SCHEMAS.items()}
    tables["financial_facts"] = pl.DataFrame(facts, schema=TABLE_SCHEMAS["financial_facts"])
    tables["member_contributions"] = pl.DataFrame(money, schema=TABLE_SCHEMAS["member_contributions"])
    tables["quality_results"] = pl.DataFrame(schema=QUALITY_SCHEMA)
    return DocumentLoad(document=document, tables=tables)


def _id(item: DocumentLoad) -> str:
    return item.document["document_id"]


def rows(path: Path, sql: str) -> list[tuple]:
    return query_warehouse(path, sql)


def statuses(path: Path) -> dict[str, str]:
    return dict(rows(path, "SELECT document_id, status FROM documents"))


def duplicate_warnings(path: Path) -> list[tuple]:
    return rows(
        path,
        "SELECT document_id, severity, passed, observed, message FROM quality_results "
        "WHERE check_name = 'possible_duplicate_report' AND NOT passed ORDER BY document_id",
    )


# --- 2. Never lose a report -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("arrival", ["older first, separate loads", "older first, one batch", "newer first, one batch"])
def test_a_newer_version_of_the_same_report_supersedes_and_the_old_rows_move_to_the_archive(tmp_path, arrival):
    older = report("alfa", 2023, decided_on=date(2024, 3, 14), net_result={2023: 100_000, 2022: 90_000})
    newer = report(
        "alfa", 2023, decided_on=date(2024, 4, 2), net_result={2023: 120_000, 2022: 90_000}, version="_rättad"
    )
    path = tmp_path / "w.duckdb"
    if arrival == "older first, separate loads":
        load(path, [older])
        load(path, [newer])
    elif arrival == "older first, one batch":
        load(path, [older, newer])
    else:
        load(path, [newer, older])

    assert statuses(path) == {_id(older): "superseded", _id(newer): "loaded"}
    reason = rows(path, f"SELECT status_reason FROM documents WHERE document_id = '{_id(older)}'")[0][0]
    assert newer.document["source_file"] in reason and "archive" in reason
    # the tables researchers query hold the loaded version only ...
    assert rows(path, "SELECT DISTINCT document_id FROM financial_facts") == [(_id(newer),)]
    # ... and the older version's rows are kept, unchanged, in the archive
    archived = rows(
        path,
        f"SELECT fiscal_year, amount_sek FROM archive.financial_facts WHERE document_id = '{_id(older)}' ORDER BY 1",
    )
    assert archived == [(2022, 90_000), (2023, 100_000)]
    assert rows(path, "SELECT count(*) FROM archive.financial_facts") == [(2,)]
    assert rows(path, "SELECT net_result_sek FROM forbund_year WHERE fiscal_year = 2023") == [(120_000,)]
    assert rows(path, "SELECT net_result_sek FROM national_year WHERE fiscal_year = 2023") == [(120_000,)]
    assert duplicate_warnings(path) == []


def test_the_archive_has_every_document_table_with_the_same_columns(tmp_path):
    path = tmp_path / "w.duckdb"
    load(path, [report("alfa", 2023, net_result={2023: 1})])
    for table in TABLE_SCHEMAS:
        main_columns = rows(
            path,
            "SELECT column_name, data_type FROM duckdb_columns() "
            f"WHERE schema_name = 'main' AND table_name = '{table}' "
            "ORDER BY column_index",
        )
        archive_columns = rows(
            path,
            f"SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'archive' "
            f"AND table_name = '{table}' ORDER BY column_index",
        )
        assert archive_columns == main_columns, table


def test_reports_of_different_forbund_for_the_same_type_and_year_both_stay_loaded(tmp_path):
    # Every förbund names its file "Årsredovisning 2023.pdf": the same file name must not make one replace the other.
    alfa = report("alfa", 2023, source_file="Årsredovisning 2023.pdf", net_result={2023: 100_000})
    beta = report("beta", 2023, source_file="Årsredovisning 2023.pdf", net_result={2023: 30_000})
    path = tmp_path / "w.duckdb"
    load(path, [alfa])
    load(path, [beta])

    assert statuses(path) == {_id(alfa): "loaded", _id(beta): "loaded"}
    assert rows(path, "SELECT forbund_id, amount_sek FROM financial_facts ORDER BY 1") == [
        ("alfa", 100_000),
        ("beta", 30_000),
    ]
    assert rows(path, "SELECT forbunds_reporting, net_result_sek FROM national_year WHERE fiscal_year = 2023") == [
        (2, 100_000 + 30_000)
    ]
    assert rows(path, "SELECT count(*) FROM archive.financial_facts") == [(0,)]
    assert duplicate_warnings(path) == []


def test_a_changed_file_of_the_same_report_still_replaces_its_older_content(tmp_path):
    first = report("alfa", 2023, source_file="alfa.txt", net_result={2023: 100_000})
    changed = report("alfa", 2023, source_file="alfa.txt", net_result={2023: 100_001})
    path = tmp_path / "w.duckdb"
    load(path, [first])
    load(path, [changed])
    assert statuses(path) == {_id(changed): "loaded"}
    assert rows(path, "SELECT amount_sek FROM financial_facts") == [(100_001,)]


ALFA = ("alfa", "Samordningsförbundet Alfa")
WEAKER_MATCHES = {
    "same id, another name": (ALFA, ("alfa", "Alfa Samordningsförbund")),
    "same name, another id": (ALFA, ("alfa_stad", "Samordningsförbundet Alfa")),
    "unregistered, ids one letter apart": (
        ("norrbyn", "Norrbyns Samordningsförbund"),
        ("norbyn", "Norbyns Samordningsförbund"),
    ),
    "unregistered, names alike but for case and accents": (
        ("soderbyn", "Samordningsförbundet Söderbyn"),
        ("soderbyn_sf", "samordningsförbundet  Soderbyn"),
    ),
    "unregistered, named as a registered förbund's alias": (ALFA, ("finsam_alfa", "Finsam Alfa")),
}


@pytest.mark.parametrize("case", list(WEAKER_MATCHES))
def test_a_weaker_match_stays_loaded_and_each_is_flagged_as_a_possible_duplicate_of_the_other(tmp_path, case):
    (first_id, first_name), (second_id, second_name) = WEAKER_MATCHES[case]
    first = report(first_id, 2023, name=first_name, decided_on=date(2024, 3, 1), net_result={2023: 10})
    second = report(second_id, 2023, name=second_name, decided_on=date(2024, 4, 1), net_result={2023: 20})
    path = tmp_path / "w.duckdb"
    load(path, [first])
    load(path, [second])

    assert statuses(path) == {_id(first): "loaded", _id(second): "loaded"}
    assert rows(path, "SELECT count(*) FROM financial_facts") == [(2,)]
    warnings = {row[0]: row[1:] for row in duplicate_warnings(path)}
    assert set(warnings) == {_id(first), _id(second)}  # one row per document
    for this, other in ((first, second), (second, first)):
        severity, passed, observed, message = warnings[_id(this)]
        assert (severity, passed, observed) == ("warning", False, _id(other))
        assert _id(other) in message and other.document["source_file"] in message


def test_different_forbund_are_not_flagged_as_possible_duplicates(tmp_path):
    path = tmp_path / "w.duckdb"
    load(
        path,
        [
            report("gamma", 2022, net_result={2022: 1}),  # both registered
            report("delta", 2022, net_result={2022: 2}),
            report("sodra_dalen", 2022, name="Samordningsförbundet Södra Dalen", net_result={2022: 3}),
            report("norra_dalen", 2022, name="Samordningsförbundet Norra Dalen", net_result={2022: 4}),
            report("norrbyn", 2021, name="Norrbyns Samordningsförbund", net_result={2021: 5}),  # another year
            report("norbyn", 2022, name="Norbyns Samordningsförbund", net_result={2022: 6}),
        ],
    )
    assert len(statuses(path)) == 6 and set(statuses(path).values()) == {"loaded"}
    assert duplicate_warnings(path) == []


def guessed(item: DocumentLoad) -> DocumentLoad:
    """The same report as the parser hands it over when it found the förbund only on weak evidence."""
    flag = {
        "document_id": _id(item),
        "check_name": "forbund_uncertain",
        "severity": "warning",
        "passed": False,
        "observed": None,
        "expected": None,
        "message": "the förbund rests on weak evidence (text ×1)",
        "fiscal_year": None,
        "source_line": None,
    }
    return DocumentLoad(item.document, {**item.tables, "quality_results": pl.DataFrame([flag], schema=QUALITY_SCHEMA)})


# beta's report, misread as alfa's on purpose: the name alfa only in its prose, decided after alfa's own report
ALFA_OWN = dict(decided_on=date(2024, 3, 1), net_result={2023: 100_000}, source_file="alfa_2023.pdf")
BETA_READ_AS_ALFA = dict(decided_on=date(2024, 4, 20), net_result={2023: 30_000}, source_file="beta_2023.pdf")


@pytest.mark.parametrize("arrival", ["own report first", "misattributed first", "one batch"])
def test_a_report_misattributed_on_weak_evidence_never_removes_the_forbunds_own_report(tmp_path, arrival):
    own = report("alfa", 2023, **ALFA_OWN)
    misread = guessed(report("alfa", 2023, **BETA_READ_AS_ALFA))
    path = tmp_path / "w.duckdb"
    if arrival == "one batch":
        load(path, [own, misread])
    else:
        for item in [own, misread] if arrival == "own report first" else [misread, own]:
            load(path, [item])

    assert statuses(path) == {_id(own): "loaded", _id(misread): "loaded"}
    assert rows(path, "SELECT document_id, amount_sek FROM financial_facts ORDER BY 2") == [
        (_id(misread), 30_000),
        (_id(own), 100_000),
    ]
    assert rows(path, "SELECT count(*) FROM archive.financial_facts") == [(0,)]
    # both kept and each flagged as possibly the other's report, for an operator to settle
    assert {row[0]: row[3] for row in duplicate_warnings(path)} == {_id(own): _id(misread), _id(misread): _id(own)}


def test_a_report_whose_forbund_is_a_weak_guess_is_never_superseded_by_a_later_version(tmp_path):
    weak = guessed(report("alfa", 2023, decided_on=date(2024, 3, 1), net_result={2023: 100_000}))
    later = report("alfa", 2023, decided_on=date(2024, 5, 1), net_result={2023: 100_500}, version="_b")
    path = tmp_path / "w.duckdb"
    load(path, [weak])
    load(path, [later])
    assert statuses(path) == {_id(weak): "loaded", _id(later): "loaded"}


def test_a_changed_file_whose_forbund_is_now_a_weak_guess_keeps_the_report_it_held(tmp_path):
    first = report("alfa", 2023, source_file="alfa.txt", net_result={2023: 100_000})
    changed = guessed(report("alfa", 2023, source_file="alfa.txt", net_result={2023: 7}))
    path = tmp_path / "w.duckdb"
    load(path, [first])
    load(path, [changed])
    assert statuses(path) == {_id(first): "loaded", _id(changed): "loaded"}
    assert rows(path, "SELECT amount_sek FROM financial_facts ORDER BY 1") == [(7,), (100_000,)]


def test_a_failed_load_leaves_the_published_warehouse_as_it_was(tmp_path, monkeypatch):
    older = report("alfa", 2023, decided_on=date(2024, 3, 14), net_result={2023: 100_000})
    newer = report("alfa", 2023, decided_on=date(2024, 4, 2), net_result={2023: 120_000}, version="_b")
    path = tmp_path / "w.duckdb"
    load(path, [older])
    real_insert = warehouse_module._insert

    def failing_insert(con, table, frame):
        if table == "financial_facts":  # after the older version was moved to the archive
            raise RuntimeError("disk full")
        real_insert(con, table, frame)

    monkeypatch.setattr(warehouse_module, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        load(path, [newer])
    assert statuses(path) == {_id(older): "loaded"}
    assert rows(path, "SELECT amount_sek FROM financial_facts") == [(100_000,)]
    assert rows(path, "SELECT count(*) FROM archive.financial_facts") == [(0,)]
    assert not path.with_name(path.name + ".staging").exists()


def test_same_named_files_of_two_forbund_in_different_folders_both_load(tmp_path, registry, monkeypatch):
    """End to end: two real reports, both called `Årsredovisning 2023.txt`, from two folders."""
    monkeypatch.setattr(warehouse_module, "REFERENCE_DIR", REFERENCE_DIR)  # the real registry for real reports
    raw = tmp_path / "raw"
    for folder, seed in (("vasterbergslagen", "003"), ("klaralvdalen", "000")):
        (raw / folder).mkdir(parents=True)
        shutil.copy(seed_path(seed), raw / folder / "Årsredovisning 2023.txt")
    path = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw / "vasterbergslagen"), "--warehouse", str(path), "--workers", "0"]) == 0
    assert main(["ingest", str(raw / "klaralvdalen"), "--warehouse", str(path), "--workers", "0"]) == 0
    assert rows(path, "SELECT forbund_id, status FROM documents ORDER BY 1") == [
        ("klaralvdalen", "loaded"),
        ("vasterbergslagen", "loaded"),
    ]
    assert rows(path, "SELECT DISTINCT forbund_id FROM financial_facts ORDER BY 1") == [
        ("klaralvdalen",),
        ("vasterbergslagen",),
    ]


# --- 9. Honest national figures -------------------------------------------------------------------------------------


@pytest.fixture
def merger(tmp_path) -> tuple[Path, dict[str, DocumentLoad]]:
    """gamma and delta (until 2022) merged into gamma_delta (from 2023), whose 2023 report prints 2022 as well."""
    reports = {
        "gamma": report("gamma", 2022, net_result={2022: 11_000, 2021: 10_000}, state_money={2022: 500_000}),
        "delta": report("delta", 2022, net_result={2022: 7_000, 2021: 6_000}, state_money={2022: 300_000}),
        "gamma_delta": report(
            "gamma_delta",
            2023,
            net_result={2023: 25_000, 2022: 11_000 + 7_000},
            state_money={2023: 900_000, 2022: 500_000 + 300_000},
        ),
        "norrbyn": report(  # not in the registry: no validity limits
            "norrbyn", 2023, name="Norrbyns Samordningsförbund", net_result={2023: 3_000, 2022: 2_000}
        ),
    }
    path = tmp_path / "w.duckdb"
    load(path, list(reports.values()))
    return path, reports


def test_forbund_year_gives_a_forbund_rows_only_for_years_it_existed(merger):
    path, _ = merger
    years = rows(path, "SELECT forbund_id, list(fiscal_year ORDER BY fiscal_year) FROM forbund_year GROUP BY 1")
    assert dict(years) == {
        "gamma": [2021, 2022],  # valid until 2022-12-31
        "delta": [2021, 2022],
        "gamma_delta": [2023],  # valid from 2023-01-01: its 2022 column belongs to gamma and delta
        "norrbyn": [2022, 2023],  # unregistered: every year its report shows
    }


def test_national_year_does_not_count_the_comparatives_of_a_merged_forbund_twice(merger):
    path, _ = merger
    national = {
        row[0]: row[1:]
        for row in rows(
            path, "SELECT fiscal_year, forbunds_reporting, net_result_sek, contributions_state_sek FROM national_year"
        )
    }
    assert national[2022] == (3, 11_000 + 7_000 + 2_000, 500_000 + 300_000)  # gamma, delta, norrbyn
    assert national[2023] == (2, 25_000 + 3_000, 900_000)  # gamma_delta, norrbyn


def test_national_year_states_how_many_forbund_it_covers(merger):
    path, _ = merger
    registered_in = {  # from REGISTRY's validity
        2021: {"alfa", "beta", "gamma", "delta"},
        2022: {"alfa", "beta", "gamma", "delta"},
        2023: {"alfa", "beta", "gamma_delta"},
    }
    reporting_registered = {2021: {"gamma", "delta"}, 2022: {"gamma", "delta"}, 2023: {"gamma_delta"}}
    got = rows(
        path,
        "SELECT fiscal_year, forbunds_reporting, forbunds_registered_reporting, forbunds_registered FROM national_year",
    )
    assert {row[0]: row[1:] for row in got} == {
        2021: (2, 2, len(registered_in[2021])),
        2022: (3, len(reporting_registered[2022]), len(registered_in[2022])),
        2023: (2, len(reporting_registered[2023]), len(registered_in[2023])),
    }


def test_coverage_shows_each_registered_forbund_and_year_as_loaded_or_missing(tmp_path):
    loads = {
        "alfa 2023": report("alfa", 2023, net_result={2023: 1}),
        "alfa plan 2024": report("alfa", 2024, document_type="verksamhetsplan"),
        "beta 2024": report("beta", 2024, net_result={2024: 1}),
        "gamma 2022": report("gamma", 2022, net_result={2022: 1}),
        "norrbyn 2023": report("norrbyn", 2023, name="Norrbyns Samordningsförbund", net_result={2023: 1}),
    }
    path = tmp_path / "w.duckdb"
    load(path, list(loads.values()))
    ids = {key: _id(item) for key, item in loads.items()}
    got = rows(
        path,
        "SELECT forbund_id, fiscal_year, annual_report, annual_report_document_id, plan, plan_document_id "
        "FROM coverage ORDER BY 1, 2",
    )
    missing = ("missing", None, "missing", None)
    # years 2022-2024 (the loaded documents' range), each registered förbund within its validity
    assert got == sorted(
        [
            ("alfa", 2022, *missing),
            ("alfa", 2023, "loaded", ids["alfa 2023"], "missing", None),
            ("alfa", 2024, "missing", None, "loaded", ids["alfa plan 2024"]),
            ("beta", 2022, *missing),
            ("beta", 2023, *missing),
            ("beta", 2024, "loaded", ids["beta 2024"], "missing", None),
            ("delta", 2022, *missing),
            ("epsilon", 2024, *missing),
            ("gamma", 2022, "loaded", ids["gamma 2022"], "missing", None),
            ("gamma_delta", 2023, *missing),
            ("gamma_delta", 2024, *missing),
        ]
    )

    html = render(path)
    start = html.index('id="coverage"')
    coverage = html[start : html.index("</section>", start)]  # the coverage section, not the förbund sections
    assert "<td>Samordningsförbundet Epsilon</td><td></td><td>–</td><td>–</td><td>missing</td>" in coverage
    assert "<td>Samordningsförbundet Alfa</td><td></td><td>missing</td><td>✓</td><td>missing + plan</td>" in coverage
