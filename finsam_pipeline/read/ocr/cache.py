"""OCR results cached by content, so a re-run (or a run after a time-out) never OCRs a page twice.

The SHA-256 of the page's pixels as Tesseract reads them (rendered and turned straight), the
dpi, the Tesseract version, the language and the settings name a JSON file of words in the
cache folder (`data/cache/ocr/`, or the folder in `FINSAM_OCR_CACHE`), written as soon as a
page is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from finsam_pipeline.read.ocr.tesseract import BLOCK, LANGUAGE, REREAD, SPARSE
from finsam_pipeline.read.ocr.words import NUMBER_MIN_CONFIDENCE, REREAD_MIN_CONFIDENCE, Word

CACHE_ENV = "FINSAM_OCR_CACHE"
DEFAULT_CACHE_DIR = Path("data/cache/ocr")
CACHE_FORMAT = 5  # bump when what is cached, or how a page is read into it, changes


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_DIR)


def cache_key(image, version: str, dpi: int) -> str:
    digest = hashlib.sha256()
    settings = (
        f"finsam-ocr {CACHE_FORMAT}|{dpi}|{version}|{LANGUAGE}|{SPARSE}|{BLOCK}|{REREAD}"
        f"|{NUMBER_MIN_CONFIDENCE}|{REREAD_MIN_CONFIDENCE}|{image.mode}|{image.size}"
    )
    digest.update(settings.encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def cache_path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.json"


def cached_words(key: str) -> list[Word] | None:
    try:
        rows = json.loads(cache_path(key).read_text(encoding="utf-8"))["words"]
        return [Word(*row[:-1], tuple(tuple(span) for span in row[-1])) for row in rows]
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None  # absent or damaged: OCR again


def store_words(key: str, words: list[Word]) -> None:
    """Written whole or not at all (a temporary file renamed), so a killed worker leaves no half entry."""
    path = cache_path(key)
    payload = {"format": CACHE_FORMAT, "words": [list(vars(word).values()) for word in words]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache folder costs time on the next run, never the result
