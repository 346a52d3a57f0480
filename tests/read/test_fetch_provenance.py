"""Provenance: after `finsam fetch` and `finsam ingest`, a fetched document's row says where it was
downloaded from and when (`documents.source_url`, `fetched_at`); a file dropped into the raw folder by
hand has NULL there. The report partition's Dagster metadata shows the address."""

import shutil
from datetime import UTC, datetime

import pytest
from conftest import query_warehouse, seed_path
from corpora.fetch_site import Site, html_page, static
from dagster import AssetKey, DagsterInstance

from finsam_pipeline.cli import main
from finsam_pipeline.defs.resources import PROJECT_DAGSTER_HOME
from finsam_pipeline.read.fetch import FetchSettings, Source, fetch_all


@pytest.fixture(scope="module")
def fetched_and_loaded(tmp_path_factory):
    from benchmarks.pdf_print import text_to_pdf

    root = tmp_path_factory.mktemp("provenance")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
    pdf = text_to_pdf(seed_path("004").read_text(encoding="utf-8"), root / "seed.pdf").read_bytes()
    raw = root / "raw"
    (raw / "for_hand").mkdir(parents=True)
    shutil.copy(seed_path("003"), raw / "for_hand" / seed_path("003").name)  # dropped by hand, never fetched
    with Site() as site:
        site.routes["/dokument/"] = static(html_page([("arsredovisning-2023.pdf", "Årsredovisning 2023")]))
        site.routes["/dokument/arsredovisning-2023.pdf"] = static(pdf, etag='"1"')
        settings = FetchSettings(delay_s=0.01, timeout_s=5.0)
        (result,) = fetch_all([Source("falun_borlange", site.url("/dokument/"), "test")], raw, settings)
        url = site.url("/dokument/arsredovisning-2023.pdf")
    assert result.new == ["falun_borlange/arsredovisning-2023.pdf"]
    warehouse = root / "finsam.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        assert main(["ingest", str(raw), "--warehouse", str(warehouse), "--workers", "0"]) == 0
        instance = DagsterInstance.get()
        records = instance.fetch_materializations(AssetKey("reports"), limit=10).records
        metadata = {r.partition_key: r.asset_materialization.metadata for r in records}
    return warehouse, url, metadata


def test_a_fetched_documents_row_has_its_url_and_fetch_time_and_a_hand_dropped_one_null(fetched_and_loaded):
    warehouse, url, _ = fetched_and_loaded
    rows = dict(
        (name, (source_url, fetched_at))
        for name, source_url, fetched_at in query_warehouse(
            warehouse, "SELECT source_file, source_url, fetched_at FROM documents ORDER BY 1"
        )
    )
    assert rows[seed_path("003").name] == (None, None)
    source_url, fetched_at = rows["arsredovisning-2023.pdf"]
    assert source_url == url
    now = datetime.now(UTC).replace(tzinfo=None)
    assert isinstance(fetched_at, datetime) and abs((now - fetched_at).total_seconds()) < 600


def test_the_report_partition_shows_where_it_was_fetched_from(fetched_and_loaded):
    _, url, metadata = fetched_and_loaded
    fetched = [m for key, m in metadata.items() if key.startswith("arsredovisning_2023")]
    assert fetched and fetched[0]["source_url"].value == url and "fetched_at" in fetched[0]
    by_hand = [m for key, m in metadata.items() if not key.startswith("arsredovisning_2023")]
    assert by_hand and all("source_url" not in m for m in by_hand)
