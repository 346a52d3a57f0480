"""`finsam fetch` against a fixture website on loopback (a real HTTP server, tests/corpora/fetch_site.py); no test
reaches the internet. The site has a moved source page, relative and absolute report links, robots.txt
forbidding a folder, a 404, a 500 then 200, a 429 with Retry-After, a response slower than the timeout, a
file over the size limit, a PDF served as application/octet-stream, an HTML page served as .pdf, the same
PDF under two addresses, and links to documents that are no reports (minutes, an image)."""

import json
import time

import pytest
from corpora.fetch_site import Reply, Site, failing_first, html_page, pdf_bytes, static

from finsam_pipeline.cli import main
from finsam_pipeline.read.fetch import (
    STATE_FILE,
    USER_AGENT,
    FetchSettings,
    Source,
    fetch_all,
    is_report_link,
    provenance,
    read_sources,
    report_links,
    sniff,
)

FAST = FetchSettings(delay_s=0.01, timeout_s=0.3, max_bytes=20_000, retries=1, backoff_s=0.05)
MODIFIED = time.time() - 86_400
REPORT_2023 = pdf_bytes("Arsredovisning 2023")
PLAN_2024 = pdf_bytes("Verksamhetsplan och budget 2024")
BUDGET_2019 = pdf_bytes("Budget 2019")
BUDGET_2018 = pdf_bytes("Budget 2018")


def build_site(site: Site) -> None:
    absolute = site.url("/files/Verksamhetsplan%20och%20budget%202024.pdf")
    site.routes.update(
        {
            "/robots.txt": static(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/dokument": lambda request: Reply(301, headers={"Location": "/om-oss/dokument/"}),
            "/om-oss/dokument/": static(
                html_page(
                    [
                        ("arsredovisning-2023.pdf", "Årsredovisning 2023"),  # relative to the page
                        (absolute, "Verksamhetsplan och budget 2024"),  # absolute, served as octet-stream
                        ("/copy/ar2023.pdf", "Årsredovisning 2023 (kopia)"),  # same bytes, second address
                        ("../../private/arsredovisning-2022.pdf", "Årsredovisning 2022"),  # robots.txt: no
                        ("/files/arsredovisning-2021.pdf", "Årsredovisning 2021"),  # an HTML page as .pdf
                        ("/files/arsredovisning-2020.pdf", "Årsredovisning 2020"),  # 404
                        ("/files/budget-2019.pdf", "Budget 2019"),  # 500, then 200
                        ("/files/budget-2018.pdf", "Budget 2018"),  # 429, Retry-After: 0, then 200
                        ("/files/arsredovisning-2017.pdf", "Årsredovisning 2017"),  # slower than the timeout
                        ("/files/arsredovisning-2016.pdf", "Årsredovisning 2016"),  # over the size limit
                        ("/files/protokoll-2023-03-01.pdf", "Protokoll styrelsemöte 1 mars"),  # no report
                        ("/bilder/budget-2024.png", "Budget 2024 i bild"),  # an image: no document
                        ("mailto:kansli@example.org", "Årsredovisning på begäran"),
                        ("#top", "Till toppen"),
                    ]
                ),
                "text/html; charset=utf-8",
            ),
            "/om-oss/dokument/arsredovisning-2023.pdf": static(REPORT_2023, etag='"ar2023-v1"'),
            "/files/Verksamhetsplan%20och%20budget%202024.pdf": static(
                PLAN_2024, "application/octet-stream", modified=MODIFIED
            ),
            "/copy/ar2023.pdf": static(REPORT_2023),
            "/private/arsredovisning-2022.pdf": static(pdf_bytes("forbidden")),
            "/files/arsredovisning-2021.pdf": static(b"<!DOCTYPE html><html><body>Logga in</body></html>"),
            "/files/budget-2019.pdf": failing_first([Reply(500, b"oops")], static(BUDGET_2019)),
            "/files/budget-2018.pdf": failing_first(
                [Reply(429, b"slow down", {"Retry-After": "0"})], static(BUDGET_2018)
            ),
            "/files/arsredovisning-2017.pdf": lambda request: Reply(200, pdf_bytes("slow"), delay_s=0.8),
            "/files/arsredovisning-2016.pdf": static(pdf_bytes("big", pad=30_000)),
            "/files/protokoll-2023-03-01.pdf": static(pdf_bytes("protokoll")),
            "/bilder/budget-2024.png": static(b"\x89PNG\r\n\x1a\n", "image/png"),
        }
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Three runs over the same site: the first fetches, the second finds nothing new, the third finds the
    annual report changed at the same address."""
    raw = tmp_path_factory.mktemp("raw")
    with Site() as site:
        build_site(site)
        sources = [Source("exempel", site.url("/dokument"), "test site")]
        first = fetch_all(sources, raw, FAST)[0]
        first_log = list(site.log)
        snapshot = {p.relative_to(raw).as_posix(): p.read_bytes() for p in raw.rglob("*") if p.is_file()}
        site.log.clear()
        second = fetch_all(sources, raw, FAST)[0]
        second_log = list(site.log)
        site.routes["/om-oss/dokument/arsredovisning-2023.pdf"] = static(
            pdf_bytes("Arsredovisning 2023, rattad"), etag='"ar2023-v2"'
        )
        site.log.clear()
        third = fetch_all(sources, raw, FAST)[0]
        third_log = list(site.log)
    return raw, site, snapshot, (first, first_log), (second, second_log), (third, third_log)


def test_every_linked_report_lands_once_and_nothing_else(crawled):
    raw, _, snapshot, (first, _), _, _ = crawled
    pdfs = {name: content for name, content in snapshot.items() if not name.startswith(".")}
    assert pdfs == {
        "exempel/arsredovisning-2023.pdf": REPORT_2023,
        "exempel/Verksamhetsplan_och_budget_2024.pdf": PLAN_2024,
        "exempel/budget-2019.pdf": BUDGET_2019,
        "exempel/budget-2018.pdf": BUDGET_2018,
    }
    assert sorted(first.new) == sorted(pdfs)
    assert (first.pages, first.links, first.duplicates) == (1, 10, 1)  # the copy is stored once
    assert not list((raw / "exempel").glob(".partial-*"))


def test_refusals_and_failures_are_counted_with_their_reasons(crawled):
    _, site, _, (first, _), _, _ = crawled
    refused = {url.removeprefix(site.base): reason for url, reason in first.refused}
    failed = {url.removeprefix(site.base): reason for url, reason in first.failed}
    assert refused == {
        "/private/arsredovisning-2022.pdf": "disallowed by robots.txt",
        "/files/arsredovisning-2021.pdf": "an HTML page, not a PDF",
        "/files/arsredovisning-2016.pdf": f"{len(pdf_bytes('big', pad=30_000))} bytes, over the limit of 20000",
    }
    assert failed["/files/arsredovisning-2020.pdf"] == "HTTP 404"
    assert failed["/files/arsredovisning-2017.pdf"].startswith("timed out")
    assert set(failed) == {"/files/arsredovisning-2020.pdf", "/files/arsredovisning-2017.pdf"}
    line = first.line()
    assert line.startswith("exempel: 1 page(s) checked, 10 report links, 4 new, 0 unchanged (0 not modified), ")
    assert "3 refused, 2 failed" in line and "refused " + site.url("/private/") in line


def test_the_crawler_is_polite(crawled):
    _, _, _, (_, log), _, _ = crawled
    paths = [r.path for r in log]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert not any(p.startswith("/private/") for p in paths)  # robots.txt forbids the folder
    assert "/files/protokoll-2023-03-01.pdf" not in paths and "/bilder/budget-2024.png" not in paths
    assert all(r.headers["user-agent"] == USER_AGENT for r in log)
    assert "finsam-pipeline" in USER_AGENT
    assert paths.count("/files/budget-2019.pdf") == 2  # 500, then 200
    assert paths.count("/files/budget-2018.pdf") == 2  # 429, then 200 after Retry-After
    assert paths.count("/files/arsredovisning-2017.pdf") == 2  # timed out twice: one retry
    assert paths.count("/files/arsredovisning-2020.pdf") == 1  # a 404 is not retried


def test_a_503_with_retry_after_is_waited_for_then_fetched(tmp_path):
    with Site() as site:
        site.routes["/robots.txt"] = lambda request: Reply(404)
        site.routes["/ar.pdf"] = failing_first([Reply(503, b"", {"Retry-After": "1"})], static(REPORT_2023))
        started = time.monotonic()
        result = fetch_all([Source("x", site.url("/ar.pdf"), "")], tmp_path, FAST)[0]
        assert time.monotonic() - started >= 1.0
    assert result.new == ["x/ar.pdf"] and (tmp_path / "x" / "ar.pdf").read_bytes() == REPORT_2023


def test_a_second_run_downloads_nothing_and_asks_conditionally(crawled):
    _, _, _, _, (second, log), _ = crawled
    assert second.new == [] and second.duplicates == 0
    assert second.not_modified == 2 and second.unchanged == 3  # 2 answered 304; 3 sent no validators
    etag = [r for r in log if r.path == "/om-oss/dokument/arsredovisning-2023.pdf"]
    assert etag and etag[0].headers["if-none-match"] == '"ar2023-v1"'
    modified = [r for r in log if r.path == "/files/Verksamhetsplan%20och%20budget%202024.pdf"]
    assert modified and "if-modified-since" in modified[0].headers


def test_a_changed_document_lands_as_a_new_version_beside_the_old(crawled):
    raw, site, snapshot, _, _, (third, _) = crawled
    assert len(third.new) == 1
    new = raw / third.new[0]
    assert new.name.startswith("arsredovisning-2023-") and new.name.endswith(".pdf")
    assert new.read_bytes() == pdf_bytes("Arsredovisning 2023, rattad")
    assert (raw / "exempel" / "arsredovisning-2023.pdf").read_bytes() == snapshot["exempel/arsredovisning-2023.pdf"]
    state = json.loads((raw / STATE_FILE).read_text(encoding="utf-8"))
    assert state["urls"][site.url("/om-oss/dokument/arsredovisning-2023.pdf")]["etag"] == '"ar2023-v2"'
    fetched = provenance([new, raw / "exempel" / "budget-2019.pdf"])
    url, when = fetched[__import__("hashlib").sha256(new.read_bytes()).hexdigest()]
    assert url.endswith("/om-oss/dokument/arsredovisning-2023.pdf") and when.tzinfo is None


def test_a_file_dropped_by_hand_is_not_fetched_again(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "min-kopia.pdf").write_bytes(REPORT_2023)
    with Site() as site:
        site.routes["/ar.pdf"] = static(REPORT_2023)
        result = fetch_all([Source("x", site.url("/ar.pdf"), "")], tmp_path, FAST)[0]
    assert (result.new, result.duplicates) == ([], 1)
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["min-kopia.pdf"]


def test_an_unreachable_source_fails_and_the_run_goes_on(tmp_path):
    with Site() as site:
        site.routes["/ok.pdf"] = static(REPORT_2023)
        sources = [Source("borta", site.url("/finns-inte"), ""), Source("x", site.url("/ok.pdf"), "")]
        first, second = fetch_all(sources, tmp_path, FAST)
    assert first.failed == [(site.url("/finns-inte"), "HTTP 404")] and first.pages == 0
    assert second.new == ["x/ok.pdf"]


def test_a_bad_link_or_a_damaged_state_file_fails_that_address_only(tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    with Site() as site:
        site.routes["/d/"] = static(html_page([("http://[::1/ar.pdf", "Årsredovisning"), ("ok.pdf", "Budget")]))
        site.routes["/d/ok.pdf"] = static(BUDGET_2019)
        (result,) = fetch_all([Source("x", site.url("/d/"), "")], tmp_path, FAST)
    assert (result.new, result.links, result.failed) == (["x/ok.pdf"], 1, [])
    assert json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))["files"]


def test_the_cli_prints_one_line_per_source_and_exits_0(tmp_path, capsys):
    with Site() as site:
        build_site(site)
        sources = tmp_path / "sources.csv"
        sources.write_text(
            f"forbund_id,url,source\nexempel,{site.url('/dokument')},test\nborta,{site.url('/saknas')},test\n",
            encoding="utf-8",
        )
        raw = tmp_path / "raw"
        args = ["fetch", "--sources", str(sources), "--raw", str(raw), "--delay", "0.01", "--timeout", "0.3"]
        assert main([*args, "--max-bytes", "20000", "--retries", "1", "--backoff", "0.05"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["exempel", "borta"]
    assert "4 new" in lines[0] and "failed " + site.url("/saknas") + ": HTTP 404" in lines[1]
    assert (raw / "exempel" / "arsredovisning-2023.pdf").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,url\nx,http://127.0.0.1:9/\n", encoding="utf-8")
    assert main(["fetch", "--sources", str(bad), "--raw", str(raw)]) == 2


def test_the_projects_sources_csv_is_well_formed():
    import csv

    from finsam_pipeline.parse.vocabulary import REFERENCE_DIR

    sources = read_sources(REFERENCE_DIR / "sources.csv")
    registered = {row["forbund_id"] for row in csv.DictReader((REFERENCE_DIR / "forbund.csv").open(encoding="utf-8"))}
    assert sources and all(s.forbund_id in registered and s.source for s in sources)


@pytest.mark.parametrize(
    ("url", "text", "taken"),
    [
        ("https://x.se/a/arsredovisning-2023.pdf", "", True),
        ("https://x.se/a/doc.pdf", "Årsredovisning 2023", True),
        ("https://x.se/a/ÅR%202023.docx", "Verksamhetsplan och budget", True),
        ("https://x.se/download?file=123", "Budget 2024", True),
        ("https://x.se/a/protokoll.pdf", "Protokoll", False),
        ("https://x.se/budget.png", "Budget", False),
        ("https://x.se/om-oss/budget/", "Budget", False),
        ("https://x.se/arsredovisningar.html", "Årsredovisningar", False),
        ("mailto:a@x.se", "Årsredovisning", False),
    ],
)
def test_which_links_are_reports(url, text, taken):
    assert is_report_link(url, text) is taken


def test_links_resolve_against_the_page_and_its_base():
    html = b'<html><head><base href="/filer/"></head><body><a href="ar.pdf">\xc3\x85rsredovisning</a></body></html>'
    assert report_links(html, "https://x.se/om/dokument") == ["https://x.se/filer/ar.pdf"]


def test_a_file_is_known_by_its_bytes():
    assert sniff(pdf_bytes("x")) == "pdf"
    assert sniff(b"\n<!DOCTYPE html><html>") == "html"
    assert sniff(b"PK\x03\x04...") == "office"
    assert sniff(b"\x89PNG\r\n") == "image"


def test_the_fetch_reports_job_records_its_counts(tmp_path, monkeypatch):
    from dagster import DagsterInstance

    from finsam_pipeline.defs import defs

    with Site() as site:
        site.routes["/dokument/"] = static(html_page([("ar.pdf", "Årsredovisning"), ("vp.pdf", "Verksamhetsplan")]))
        site.routes["/dokument/ar.pdf"] = static(REPORT_2023)
        sources = tmp_path / "sources.csv"
        sources.write_text(f"forbund_id,url,source\nexempel,{site.url('/dokument/')},test\n", encoding="utf-8")
        raw = tmp_path / "raw"
        config = {"sources_csv": str(sources), "delay_s": 0.01, "timeout_s": 2.0, "retries": 0}
        result = defs.resolve_job_def("fetch_reports").execute_in_process(
            run_config={
                "ops": {"fetch_new_reports": {"config": config}},
                "resources": {"settings": {"config": {"raw_paths": [str(raw)]}}},
            },
            instance=DagsterInstance.ephemeral(),
        )
    assert result.success
    output = next(e for e in result.all_events if e.event_type_value == "STEP_OUTPUT")
    metadata = output.event_specific_data.metadata
    assert (metadata["pages_checked"].value, metadata["new"].value, metadata["failed"].value) == (1, 1, 1)
    assert metadata["per_source_counts"].value["exempel"]["not_modified"] == 0
    assert "| exempel | 1 | 2 | 1 | 0 |" in metadata["per_source"].value
    assert (raw / "exempel" / "ar.pdf").read_bytes() == REPORT_2023
    schedule = defs.resolve_schedule_def("weekly_fetch")
    assert schedule.job_name == "fetch_reports" and schedule.cron_schedule == "0 5 * * 1"
    assert schedule.default_status.value == "STOPPED"  # never a crawl from a UI started for a test
