"""Finding report files and reading their bytes: the only layer that touches `data/raw/`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from finsam_pipeline.read.textnorm import fold

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".pdf"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """A report file as received: its name, where it lies and what it holds."""

    path: Path
    content: bytes

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def document_id(self) -> str:
        """Stable id derived from the content, so the same bytes always get the same id."""
        return self.sha256[:16]

    @property
    def partition_key(self) -> str:
        """The file's Dagster partition: its name made safe, plus a short content hash."""
        return partition_key(self.path, self.sha256)


def partition_key(path: Path, sha256: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "_", fold(path.stem)).strip("_")[:48] or "report"
    return f"{stem}-{sha256[:8]}"


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Every candidate file below the given files or folders, in a stable order.

    Hidden files and editor droppings are skipped; unknown suffixes are kept so that
    they can be quarantined with a reason instead of silently ignored.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and not _is_hidden(p, path))
        elif path.is_file():
            found.add(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return sorted(found, key=lambda p: (p.name, str(p)))


def _is_hidden(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(part.startswith((".", "~$")) for part in parts) or path.name.endswith("~")
