"""`finsam ingest` end to end: the real Dagster assets into a real DuckDB file."""

import shutil
import subprocess
import sys

import pytest
from conftest import RAW, query_warehouse, seed_path

from finsam_pipeline.cli import main


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("ingest")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "notes.txt").write_text("Inköpslista: mjölk, bröd och ost.\n", encoding="utf-8")
    warehouse = root / "finsam.duckdb"
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    return raw, warehouse


def test_the_seeds_load_and_bad_files_are_quarantined_with_a_reason(loaded):
    _, warehouse = loaded
    rows = dict(
        query_warehouse(warehouse, "SELECT source_file, status || ': ' || coalesce(status_reason, '') FROM documents")
    )
    assert sum(1 for v in rows.values() if v.startswith("loaded")) == 5
    assert rows["empty.pdf"] == "quarantined: the file is empty"
    assert rows["notes.txt"].startswith("quarantined: not a Finsam report")


def test_the_warehouse_answers_research_questions(loaded):
    _, warehouse = loaded
    assert query_warehouse(
        warehouse,
        """
        SELECT f.amount_sek FROM financial_facts f JOIN documents d USING (document_id)
        WHERE d.forbund_id = 'vasterbergslagen' AND f.line_code = 'net_result' AND f.fiscal_year = 2023""",
    ) == [(159492,)]
    assert query_warehouse(warehouse, "SELECT count(*) FROM kommuner") == [(290,)]
    warnings = query_warehouse(
        warehouse, "SELECT count(*) FROM quality_results WHERE NOT passed AND severity = 'warning'"
    )
    assert warnings[0][0] > 0


def test_an_unchanged_rerun_changes_nothing(loaded, capsys):
    raw, warehouse = loaded
    before = query_warehouse(warehouse, "SELECT * FROM financial_facts ORDER BY ALL")
    stamps = query_warehouse(warehouse, "SELECT document_id, loaded_at FROM documents ORDER BY ALL")
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert query_warehouse(warehouse, "SELECT * FROM financial_facts ORDER BY ALL") == before
    assert query_warehouse(warehouse, "SELECT document_id, loaded_at FROM documents ORDER BY ALL") == stamps


def test_strict_mode_fails_on_quarantine(loaded, tmp_path):
    raw, _ = loaded
    assert main(["ingest", str(raw / "empty.pdf"), "--warehouse", str(tmp_path / "w.duckdb"), "--strict"]) == 1


def test_a_changed_file_replaces_its_rows_while_a_reader_holds_the_warehouse(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    target = raw / "report.txt"
    target.write_text(seed_path("003").read_text(encoding="utf-8"), encoding="utf-8")
    warehouse = tmp_path / "finsam.duckdb"
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from documents').fetchone()[0], flush=True); time.sleep(60)",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        changed = target.read_text(encoding="utf-8").replace(
            "| Kassa och bank | | 1 469 789 |", "| Kassa och bank | | 1 469 780 |"
        )
        target.write_text(changed, encoding="utf-8")
        assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    finally:
        reader.kill()
    assert query_warehouse(warehouse, "SELECT count(*) FROM documents") == [(1,)]
    assert query_warehouse(
        warehouse, "SELECT amount_sek FROM financial_facts WHERE line_code = 'cash_and_bank' AND fiscal_year = 2023"
    ) == [(1469780,)]


def test_a_parser_crash_quarantines_only_that_file(tmp_path, monkeypatch):
    from finsam_pipeline import pipeline

    real_parse = pipeline.parse_report

    def fragile(text):
        if text.source_file.startswith("003"):
            raise RuntimeError("boom")
        return real_parse(text)

    monkeypatch.setattr(pipeline, "parse_report", fragile)  # in process: --workers 0
    raw = tmp_path / "raw"
    raw.mkdir()
    for prefix in ("001", "003"):
        shutil.copy(seed_path(prefix), raw)
    warehouse = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--warehouse", str(warehouse), "--workers", "0"]) == 0
    statuses = dict(
        query_warehouse(
            warehouse, "SELECT substr(source_file, 1, 3), status || ' ' || coalesce(status_reason, '') FROM documents"
        )
    )
    assert statuses["001"].strip() == "loaded"
    assert statuses["003"].startswith("quarantined the parser failed") and "boom" in statuses["003"]


def _next_year_report(text: str, changed_label: str) -> str:
    """003 as if it were the 2024 report: last year's columns repeat 2023, one of them misprinted."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells and len(cells) >= 3 and cells[-1] in ("2022", "2022-12-31"):
            cells[-2], cells[-1] = cells[-2].replace("2023", "2024"), cells[-1].replace("2022", "2023")
            line = "| " + " | ".join(cells) + " |"
        elif cells and len(cells) >= 3 and any(ch.isdigit() for ch in cells[-2]) and cells[0]:
            previous = cells[-2] if cells[0] != changed_label else cells[-2][:-1] + "0"
            line = "| " + " | ".join([*cells[:-1], previous]) + " |"
        out.append(line)
    return "\n".join(out)


def test_a_prior_year_column_is_checked_against_the_forbunds_own_report(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("003"), raw)
    (raw / "vasterbergslagen_2024.md").write_text(
        _next_year_report(seed_path("003").read_text(encoding="utf-8"), "Kassa och bank"), encoding="utf-8"
    )
    warehouse = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    assert query_warehouse(warehouse, "SELECT fiscal_year FROM documents ORDER BY 1") == [(2023,), (2024,)]
    failed = query_warehouse(
        warehouse,
        "SELECT message FROM quality_results WHERE check_name = 'prior_year_matches_own_report' AND NOT passed",
    )
    assert len(failed) == 1 and "cash_and_bank" in failed[0][0] and "1469780 against 1469789" in failed[0][0]
    passed = query_warehouse(
        warehouse, "SELECT count(*) FROM quality_results WHERE check_name = 'prior_year_matches_own_report' AND passed"
    )
    assert passed[0][0] > 20
