"""`finsam ingest` end to end: the real Dagster assets into a real DuckDB file, recorded in the instance."""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import RAW, query_warehouse, seed_path
from dagster import AssetCheckKey, AssetKey, DagsterInstance, DagsterRunStatus

from finsam_pipeline.cli import main
from finsam_pipeline.defs import dagster_home, reports_partitions
from finsam_pipeline.defs.resources import PROJECT_DAGSTER_HOME
from finsam_pipeline.load import steps


@pytest.fixture(scope="module", autouse=True)
def instance_home(tmp_path_factory):
    """Every load of this module is recorded in an instance of its own, never in the project's."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(PROJECT_DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")  # the one-writer pool, as in use
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, instance_home):
    """The seeds and two bad files loaded, the run recorded two reports' states at a time (as a national
    load is, some hundreds at a time): every test of the record below pins the batched recording."""
    root = tmp_path_factory.mktemp("ingest")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "notes.txt").write_text("Inköpslista: mjölk, bröd och ost.\n", encoding="utf-8")
    warehouse = root / "finsam.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "STATES_AT_ONCE", 2)
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


def test_an_unchanged_rerun_changes_nothing(loaded, capsys, instance_home):
    raw, warehouse = loaded
    before = query_warehouse(warehouse, "SELECT * FROM financial_facts ORDER BY ALL")
    stamps = query_warehouse(warehouse, "SELECT document_id, loaded_at FROM documents ORDER BY ALL")
    with DagsterInstance.get() as instance:
        runs = instance.get_runs_count()
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert query_warehouse(warehouse, "SELECT * FROM financial_facts ORDER BY ALL") == before
    assert query_warehouse(warehouse, "SELECT document_id, loaded_at FROM documents ORDER BY ALL") == stamps
    with DagsterInstance.get() as instance:
        assert instance.get_runs_count() == runs  # nothing to do: no run at all


def test_the_load_is_recorded_in_the_instance_with_its_partitions_metadata_and_checks(loaded, instance_home):
    _, warehouse = loaded
    assert os.environ["DAGSTER_HOME"] == str(instance_home)
    with DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.job_name == "ingest_job" and run.status == DagsterRunStatus.SUCCESS
        assert run.tags["finsam/reports"] == "7"
        keys = instance.get_dynamic_partitions(reports_partitions.name)
        assert len(keys) == 7  # the five reports and the two bad files, one partition each
        assert instance.get_materialized_partitions(AssetKey("reports")) == set(keys)
        records = instance.fetch_materializations(AssetKey("reports"), limit=20).records
        assert {r.partition_key for r in records} == set(keys)
        metadata = [r.asset_materialization.metadata for r in records]
        statuses = {m["source_file"].value.split("/")[-1]: m["status"].value for m in metadata}
        assert statuses["empty.pdf"] == "quarantined" and list(statuses.values()).count("loaded") == 5
        check = AssetCheckKey(AssetKey("reports"), "balance_sheet_balances")
        evaluations = instance.event_log_storage.get_asset_check_execution_history(check, limit=20)
        assert {e.partition for e in evaluations} == set(keys)
        assert {e.partition for e in evaluations if e.evaluation.passed} < set(keys)  # never green for all
        documents = instance.get_latest_materialization_event(AssetKey("documents")).asset_materialization
        assert documents.metadata["dagster/row_count"].value == 7
    assert str(warehouse) in documents.metadata["warehouse"].value


def test_the_instance_is_dagster_home_or_the_projects(monkeypatch, tmp_path):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert dagster_home() == tmp_path
    monkeypatch.delenv("DAGSTER_HOME")
    assert dagster_home() == PROJECT_DAGSTER_HOME == RAW.parent.parent / ".dagster_home"


def test_a_run_left_by_a_killed_cli_is_marked_failed_and_frees_the_writer_slot(loaded):
    """A `finsam ingest` killed mid-run (SIGKILL) leaves its run STARTED and its slot in the one-writer pool
    claimed; the next `finsam ingest` on the machine marks that run failed and frees the slot."""
    import socket
    import uuid

    from dagster import DagsterRun

    from finsam_pipeline.cli import _release_abandoned_runs

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer runs
    tags = {"finsam/launched_by": "cli", "finsam/pid": str(gone.pid), "finsam/host": socket.gethostname()}
    with DagsterInstance.get() as instance:
        run = instance.add_run(
            DagsterRun(job_name="ingest_job", run_id=str(uuid.uuid4()), status=DagsterRunStatus.STARTED, tags=tags)
        )
        storage = instance.event_log_storage
        assert storage.claim_concurrency_slot("finsam_warehouse", run.run_id, "load_reports").is_claimed
        _release_abandoned_runs(instance)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.FAILURE
        assert storage.get_concurrency_info("finsam_warehouse").claimed_slots == []


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
    from finsam_pipeline.load import steps as pipeline

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



def test_a_fact_no_arithmetic_confirms_is_confirmed_by_the_forbunds_report_of_the_adjacent_year(tmp_path):
    """`prior_report` marks both printings of a figure the two reports give alike, never a misprinted one,
    never one the report's own arithmetic already confirms, and goes when the other report is superseded."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("003"), raw)
    later = raw / "vasterbergslagen_2024.md"
    later.write_text(_next_year_report(seed_path("003").read_text(encoding="utf-8"), "Kassa och bank"), "utf-8")
    warehouse = tmp_path / "w.duckdb"
    facts = """SELECT d.fiscal_year, f.fiscal_year, f.line_code, f.amount_sek FROM financial_facts f
               JOIN documents d USING (document_id) WHERE f.confirmed_by {} ORDER BY 1, 2, 3"""

    assert main(["ingest", str(seed_path("003")), "--warehouse", str(warehouse)]) == 0
    alone = set(query_warehouse(warehouse, facts.format("IS NULL AND f.line_code <> 'other'")))
    assert query_warehouse(warehouse, facts.format("= 'prior_report'")) == []
    assert (2023, 2023, "operating_costs", -4360316) in alone  # the seed prints no operating-result identity

    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    by_prior = query_warehouse(warehouse, facts.format("= 'prior_report'"))
    assert (2023, 2023, "operating_costs", -4360316) in by_prior  # the 2023 report's own year ...
    assert (2024, 2023, "operating_costs", -4360316) in by_prior  # ... and the 2024 report's prior-year column
    assert (2024, 2023, "cash_and_bank", 1469780) not in by_prior  # misprinted: 1 469 789 in the 2023 report
    assert all(year in (2023,) for _, year, _, _ in by_prior)  # only the year both reports print
    assert {(d, y, c, a) for d, y, c, a in by_prior if d == 2023} <= alone  # never over the report's own proof

    # A corrected 2024 report supersedes the first; its prior-year costs differ, so they confirm nothing now.
    corrected = _next_year_report(seed_path("003").read_text(encoding="utf-8"), "Verksamhetens kostnader")
    later.write_text(corrected, "utf-8")
    assert main(["ingest", str(raw), "--warehouse", str(warehouse)]) == 0
    assert query_warehouse(warehouse, "SELECT count(*) FROM documents WHERE status = 'loaded'") == [(2,)]
    by_prior = query_warehouse(warehouse, facts.format("= 'prior_report'"))
    assert not any(code == "operating_costs" for _, _, code, _ in by_prior)

def test_a_load_in_chunks_ends_as_one_batch_would_and_holds_one_chunk_at_a_time(tmp_path, monkeypatch):
    from finsam_pipeline import warehouse as warehouse_module
    from finsam_pipeline.load.steps import ingest, read_step

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copy(seed_path("003"), raw / "copy_of_003.txt")  # a duplicate, decided before parsing
    (raw / "vasterbergslagen_2024.md").write_text(
        _next_year_report(seed_path("003").read_text(encoding="utf-8"), "Kassa och bank"), encoding="utf-8"
    )
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    ingest(read_step([raw], whole), whole, chunk_documents=1000)
    sizes = []
    real_write = warehouse_module.StagedLoad.write

    def counted(self, batch):
        sizes.append(len(batch))
        return real_write(self, batch)

    monkeypatch.setattr(warehouse_module.StagedLoad, "write", counted)
    ingest(read_step([raw], chunked), chunked, chunk_documents=2)
    assert sizes and max(sizes) <= 2 and sum(sizes) == 7  # six reports and the duplicate
    tables = ["documents", "financial_facts", "quality_results", "budget_lines", "archive.financial_facts"]
    for table in tables:
        columns = "* EXCLUDE (loaded_at)" if table == "documents" else "*"
        if table == "quality_results":
            columns = "* EXCLUDE (checked_at)"
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert query_warehouse(chunked, sql) == query_warehouse(whole, sql), table
