"""The UI as an operator sees it: `finsam ingest` of the sample, then the real `dagster dev` on the same
instance, opened in headless Chromium (driven over the DevTools protocol). The five reports' partitions
are materialized, each report's checks have a result per partition, and the warehouse's tables show
their row counts. Screenshots are kept in tests/artifacts/ui/. Nothing here depends on machine speed:
pages are polled with generous time limits."""

import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import RAW, ROOT, chromium, query_warehouse, run_chromium

from finsam_pipeline.load.steps import decide, report_files

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "ui"
CHECKS = ("balance_sheet_balances", "facts_one_value_per_code", "cash_flow_reconciles")
TABLES = ("documents", "financial_facts", "kommuner", "forbund_year")
PATIENCE_S = 300  # a loaded machine is slow, never wrong: wait long, assert nothing about time
SHUTDOWN_S = 10  # `dagster dev` asked to stop, then killed with its whole process group (the test's own home)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql", json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["data"]


class Page:
    """One headless Chromium tab, driven over the DevTools protocol: go, wait for text, click, screenshot."""

    def __init__(self, browser: str, profile: Path) -> None:
        from websockets.sync.client import connect

        self.process = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1600,1000",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + PATIENCE_S
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail("headless chromium did not open its DevTools port")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=60) as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        self.socket = connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=60)
        self.ids = itertools.count(1)

    def call(self, method: str, **params) -> dict:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=PATIENCE_S))
            if message.get("id") == number:
                assert "error" not in message, message["error"]
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def open(self, url: str, *texts: str) -> str:
        self.call("Page.navigate", url=url)
        return self.wait_for(*texts)

    def wait_for(self, *texts: str) -> str:
        deadline = time.monotonic() + PATIENCE_S
        while True:
            shown = self.evaluate("document.body ? document.body.innerText : ''") or ""
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in shown]
                pytest.fail(f"not shown within {PATIENCE_S} s: {missing}\n--- page text ---\n{shown[:4000]}")
            time.sleep(0.5)

    def wait_gone(self, text: str) -> None:
        deadline = time.monotonic() + PATIENCE_S
        while text in (self.evaluate("document.body ? document.body.innerText : ''") or ""):
            if time.monotonic() > deadline:
                pytest.fail(f"still shown after {PATIENCE_S} s: {text!r}")
            time.sleep(0.5)

    def click(self, text: str) -> None:
        """Click the innermost element whose whole text is `text`."""
        clicked = self.evaluate(
            "(() => { const want = " + json.dumps(text) + ";"
            " const hits = [...document.querySelectorAll('body *')].filter("
            "   e => e.innerText && e.innerText.trim() === want && ![...e.children].some(c => c.innerText"
            "   && c.innerText.trim() === want));"
            " if (!hits.length) return false; hits[hits.length - 1].click(); return true; })()"
        )
        assert clicked, f"nothing to click called {text!r}"

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path

    def close(self) -> None:
        self.socket.close()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory):
    browser = chromium()
    root = tmp_path_factory.mktemp("operator")
    home, raw, warehouse = root / "dagster_home", root / "raw", root / "finsam.duckdb"
    home.mkdir()
    shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    shutil.copytree(RAW, raw)
    env = {**os.environ, "DAGSTER_HOME": str(home), "FINSAM_RAW": str(raw), "FINSAM_WAREHOUSE": str(warehouse)}
    ingest = subprocess.run(
        [sys.executable, "-m", "finsam_pipeline.cli", "ingest", str(raw), "--warehouse", str(warehouse)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    port = _free_port()
    dagster = Path(sys.executable).with_name("dagster")
    server = subprocess.Popen(
        [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,  # the UI's sensor looks at the same raw folder and warehouse: nothing left to load
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    page = None
    try:
        deadline = time.monotonic() + PATIENCE_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"dagster dev did not answer /server_info within {PATIENCE_S} s")
                time.sleep(1)
        _graphql(base, "mutation { setNuxSeen }")  # the community pop-up, dismissed as an operator would
        print(f"\nUI screenshots: {ARTIFACTS}")
        page = Page(browser, tmp_path_factory.mktemp("chromium"))
        keys = decide(report_files([raw]), root / "nothing.duckdb").keys
        yield page, base, keys, warehouse, tmp_path_factory.mktemp("dump")
    finally:
        if page is not None:
            page.close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=SHUTDOWN_S)
        except subprocess.TimeoutExpired:  # its home and warehouse are the test's own: nothing to lose
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_five_reports_are_materialized_partitions(dagster_ui):
    page, base, keys, _, _ = dagster_ui
    assert len(keys) == 5
    page.open(f"{base}/assets/reports?view=partitions", "Materialized (5)", "Missing (0)", "Failed (0)", *keys)
    page.screenshot("reports_partitions.png")
    report = next(key for key in keys if key.startswith("003_"))
    shown = page.open(f"{base}/assets/reports?view=partitions&partition={report}", "Latest materialization", "status")
    for text in ("loaded", "vasterbergslagen", "arsredovisning", "financial_facts", "ingest_job"):
        assert text in shown, text
    page.screenshot("report_partition_003.png")


def test_each_report_has_its_check_results(dagster_ui):
    page, base, keys, _, _ = dagster_ui
    page.open(f"{base}/assets/reports?view=checks&checkDetail=balance_sheet_balances", *CHECKS, "Partition")
    page.click("Partitions")
    shown = page.wait_for("5 Partitions Selected", "Passed (", "Failed (")
    assert "Missing (0)" in shown  # every report has a result for this check
    page.screenshot("check_balance_sheet_balances_partitions.png")
    checks = _graphql(
        base,
        '{ assetNodeOrError(assetKey: {path: ["reports"]}) { ... on AssetNode { assetChecksOrError { '
        "... on AssetChecks { checks { name partitionStatuses { ... on AssetCheckDefaultPartitionStatuses { "
        "succeededPartitions failedPartitions inProgressPartitions skippedPartitions } } } } } } } }",
    )["assetNodeOrError"]["assetChecksOrError"]["checks"]
    per_report = {c["name"]: c["partitionStatuses"] for c in checks if c["partitionStatuses"]}
    assert "balance_sheet_balances" in per_report and len(per_report) >= 20
    for name, statuses in per_report.items():  # each check: a result for every report, passed or not
        assert sorted(statuses["succeededPartitions"] + statuses["failedPartitions"]) == sorted(keys), name
        assert not statuses["inProgressPartitions"] and not statuses["skippedPartitions"], name


def test_the_warehouse_tables_show_their_row_counts(dagster_ui):
    page, base, _, warehouse, _ = dagster_ui
    for table in TABLES:
        (count,) = query_warehouse(warehouse, f"SELECT count(*) FROM {table}")[0]
        upstream = ["Upstream assets", "reports"] if table in ("documents", "financial_facts") else []
        page.open(f"{base}/assets/{table}", "Row count", f"{count:,}", "Columns", *upstream)
        page.screenshot(f"table_{table}.png")


def test_the_asset_graph_shows_reports_tables_and_views(dagster_ui):
    page, base, _, _, profile = dagster_ui
    page.open(f"{base}/assets", "reports", "financial_facts", "forbund_year")  # the catalog (a scrolled list)
    page.screenshot("asset_catalog.png")
    nodes = _graphql(base, "{ assetNodes { assetKey { path } groupName } }")["assetNodes"]
    groups = {node["assetKey"]["path"][0]: node["groupName"] for node in nodes}
    assert groups["reports"] == "reports" and groups["financial_facts"] == groups["quality_results"] == "warehouse"
    assert groups["kommuner"] == "reference" and groups["national_year"] == groups["coverage"] == "research_views"
    page.open(f"{base}/asset-groups", "warehouse", "reference", "research_views", "reports")
    page.wait_gone("fetching statuses")
    page.screenshot("asset_graph.png")
    dom = run_chromium(chromium(), profile / "static", "--dump-dom", f"{base}/assets/reports?view=checks")
    for check in CHECKS:  # the plain rendering holds them too, without any script driving the page
        assert check in dom


def test_the_cli_load_is_a_run_of_the_ingest_job(dagster_ui):
    page, base, _, _, _ = dagster_ui
    runs = _graphql(base, "{ runsOrError { ... on Runs { results { jobName status tags { key value } } } } }")
    (run,) = runs["runsOrError"]["results"]  # the sensor found nothing left to load: no run of its own
    assert (run["jobName"], run["status"]) == ("ingest_job", "SUCCESS")
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert tags["finsam/launched_by"] == "cli" and tags["finsam/reports"] == "5"
    page.open(f"{base}/runs", "ingest_job")
    page.screenshot("runs.png")


def test_the_fetch_reports_job_and_its_weekly_schedule_are_in_the_ui(dagster_ui):
    page, base, _, _, _ = dagster_ui
    repositories = _graphql(
        base,
        "{ repositoriesOrError { ... on RepositoryConnection { nodes { jobs { name } "
        "schedules { name cronSchedule pipelineName scheduleState { status } } } } } }",
    )["repositoriesOrError"]["nodes"]
    jobs = {job["name"] for repository in repositories for job in repository["jobs"]}
    schedules = {s["name"]: s for repository in repositories for s in repository["schedules"]}
    assert {"ingest_job", "fetch_reports"} <= jobs
    weekly = schedules["weekly_fetch"]
    assert (weekly["pipelineName"], weekly["cronSchedule"], weekly["scheduleState"]["status"]) == (
        "fetch_reports",
        "0 5 * * 1",
        "STOPPED",  # an operator turns it on: a UI started for a test never crawls by itself
    )
    page.open(f"{base}/jobs", "fetch_reports", "ingest_job")
    page.screenshot("fetch_reports_job.png")
