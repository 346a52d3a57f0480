"""One scanned page read: rendered, read by Tesseract (or taken from the cache), laid out as text."""

from __future__ import annotations

from dataclasses import dataclass

from finsam_pipeline.load.workers import extend_deadline
from finsam_pipeline.read.ocr import cache, pages, tesseract
from finsam_pipeline.read.ocr.merge import merged_readings, on_baselines
from finsam_pipeline.read.ocr.reread import reread_unsure_amounts
from finsam_pipeline.read.ocr.text import layout_words
from finsam_pipeline.read.ocr.words import Word

# What one page read by Tesseract adds to its file's time limit (workers.extend_deadline): a full A4 page
# takes 4-16 s on one core (read twice, its unsure amounts again); the allowance leaves room for a busy machine.
OCR_SECONDS_PER_PAGE = 60.0
MIN_WORDS = 3  # fewer words than this on a page with ink: OCR could not read it
MIN_CONFIDENCE = 50.0  # mean word confidence (0–100) below which a page counts as unreadable


@dataclass(frozen=True)
class OcrPage:
    text: str  # laid out like a text page; empty when the page is unreadable
    words: int
    confidence: float | None  # mean word confidence, 0–100; None without words
    problem: str | None  # why the page counts as unreadable, else None
    cached: bool


def tesseract_words(image) -> list[Word]:
    """A page image's words with their boxes and confidences, from both readings; unsure amounts read again."""
    sparse = tesseract.words_on_baselines(tesseract.hocr(image, tesseract.SPARSE_CONFIG))
    block = tesseract.words_on_baselines(tesseract.hocr(image, tesseract.BLOCK_CONFIG))
    return reread_unsure_amounts(image, on_baselines(merged_readings(sparse, block)))


def ocr_page(page) -> OcrPage:
    """OCR one pypdfium2 page, from the cache where the same page was read before."""
    version = tesseract.tesseract_version()
    image = pages.render(page)
    key = cache.cache_key(image, version)
    words = cache.cached_words(key)
    cached = words is not None
    if words is None:
        extend_deadline(OCR_SECONDS_PER_PAGE)  # a long scan is slow, not stuck
        words = tesseract_words(image)
        cache.store_words(key, words)
    return reading_of(words, cached)


def reading_of(words: list[Word], cached: bool = False) -> OcrPage:
    confidence = round(sum(w.confidence for w in words) / len(words), 1) if words else None
    problem = None
    if len(words) < MIN_WORDS:
        problem = "OCR found no words" if not words else f"OCR found only {len(words)} word(s)"
    elif confidence is not None and confidence < MIN_CONFIDENCE:
        problem = f"OCR confidence {confidence:.0f} of 100 is too low to trust"
    return OcrPage("" if problem else layout_words(words), len(words), confidence, problem, cached)
