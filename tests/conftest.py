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

from finsam_pipeline.parse import ParsedReport, parse_report  # noqa: E402
from finsam_pipeline.read.extract import TextLine, extract  # noqa: E402
from finsam_pipeline.read.files import SourceFile  # noqa: E402


def seed_path(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*"))


def text_lines(*texts: str, page: int | None = 1) -> list[TextLine]:
    """Lines numbered from 1, on one page, as `extract` would give them."""
    return [TextLine(number, page, text) for number, text in enumerate(texts, start=1)]


def report_file(tmp_path: Path, lines: list[str], name: str = "report.txt") -> Path:
    """A report written by hand for one test, one text line per entry."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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


@pytest.fixture(autouse=True)
def no_dagster_instance_left_open():
    """A test leaves no Dagster instance open: an evaluation context built from an instance's ref and never
    closed stays Dagster's current state storage, and a later test fails at random once GC takes the instance."""
    yield
    if "dagster" in sys.modules:
        from dagster._core.storage.defs_state.base import DefsStateStorage

        assert DefsStateStorage.get() is None, "a Dagster instance was left open: enter its context with `with`"


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


def _debian_program(command: str, required_by: str, package: str) -> str:
    """A program from Debian's packages; the test is skipped where it is absent, unless the environment
    variable `required_by` says it must be there (CI sets it, after installing `package`)."""
    import os
    import shutil

    found = shutil.which(command)
    if found is None:
        if os.environ.get(required_by):
            pytest.fail(f"{command} is required here ({required_by} is set) but not installed")
        pytest.skip(f"{command} not installed (CI installs {package})")
    return found


def chromium() -> str:
    """Debian's Chromium, for the browser tests."""
    return _debian_program("chromium", "FINSAM_REQUIRE_BROWSER", "chromium")


def libreoffice() -> str:
    """Debian's LibreOffice Writer, printing reports to PDF as a word processor does."""
    return _debian_program("soffice", "FINSAM_REQUIRE_LIBREOFFICE", "libreoffice-writer-nogui")


def run_chromium(browser: str, profile: Path, *arguments: str) -> str:
    import subprocess

    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
