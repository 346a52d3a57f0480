"""The real Dagster webserver, opened in headless Chromium: the assets and their checks are on the page."""

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
from conftest import ROOT, chromium, run_chromium

ARTIFACTS = Path(__file__).parent / "artifacts"
CHECKS = ("balance_sheet_balances", "facts_one_value_per_code", "cash_flow_reconciles")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory):
    browser = chromium()
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    dagster = Path(sys.executable).with_name("dagster")
    server = subprocess.Popen(
        [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("dagster dev did not answer /server_info within 120 s")
                time.sleep(1)
        yield browser, base, tmp_path_factory.mktemp("chromium")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_the_asset_graph_lists_the_four_steps(dagster_ui):
    browser, base, profile = dagster_ui
    page = run_chromium(browser, profile / "a", "--dump-dom", f"{base}/assets")
    for name in ("report_files", "parsed_reports", "validated_reports", "warehouse"):
        assert name in page


def test_an_assets_checks_are_on_its_page(dagster_ui):
    browser, base, profile = dagster_ui
    url = f"{base}/assets/validated_reports?view=checks"
    page = run_chromium(browser, profile / "b", "--dump-dom", url)
    for check in CHECKS:
        assert check in page
    ARTIFACTS.mkdir(exist_ok=True)
    run_chromium(
        browser, profile / "c", "--window-size=1400,900", f"--screenshot={ARTIFACTS / 'dagster_checks.png'}", url
    )
    assert (ARTIFACTS / "dagster_checks.png").stat().st_size > 10_000
