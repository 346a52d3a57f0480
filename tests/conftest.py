from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from finsam_pipeline.extract import extract  # noqa: E402
from finsam_pipeline.ingest import SourceFile  # noqa: E402
from finsam_pipeline.parse import ParsedReport, parse_report  # noqa: E402


def seed_path(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*"))


def parse_path(path: Path) -> ParsedReport:
    return parse_report(extract(SourceFile(path=path, content=path.read_bytes())))


@pytest.fixture(scope="session", autouse=True)
def test_dagster_home(tmp_path_factory):
    """Every load the tests run is recorded in a Dagster instance of the test session's own, never in the
    project's `.dagster_home` an operator watches (modules and tests may set their own)."""
    import shutil

    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def seed_reports() -> dict[str, ParsedReport]:
    return {path.name[:3]: parse_path(path) for path in sorted(RAW.glob("*"))}


def query_warehouse(warehouse: Path, sql: str) -> list[tuple]:
    """Rows of a query on a warehouse file, read-only, the connection closed again."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=20000",
)


def chromium() -> str:
    """Debian's Chromium; skipped where absent, unless FINSAM_REQUIRE_BROWSER says it must be there (CI)."""
    import os
    import shutil

    browser = shutil.which("chromium")
    if browser is None:
        if os.environ.get("FINSAM_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (FINSAM_REQUIRE_BROWSER is set) but not installed")
        pytest.skip("chromium not installed (CI installs it)")
    return browser


def libreoffice() -> str:
    """Debian's LibreOffice Writer; skipped where absent, unless FINSAM_REQUIRE_LIBREOFFICE says it must be there."""
    import os
    import shutil

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("FINSAM_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required here (FINSAM_REQUIRE_LIBREOFFICE is set) but not installed")
        pytest.skip("LibreOffice not installed (CI installs libreoffice-writer-nogui)")
    return soffice


def run_chromium(browser: str, profile: Path, *arguments: str) -> str:
    import subprocess

    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
