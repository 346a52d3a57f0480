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


@pytest.fixture(scope="session")
def seed_reports() -> dict[str, ParsedReport]:
    return {path.name[:3]: parse_path(path) for path in sorted(RAW.glob("*"))}
