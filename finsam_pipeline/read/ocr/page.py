"""One scanned page read: rendered, read by Tesseract (or taken from the cache), laid out as text.

Rendering (PDFium, not thread-safe) happens where the document is open (`rendered`); reading
the image (`read`: turned straight, looked up in the cache by the pixels Tesseract is to read,
else read by Tesseract) is safe in any thread, so the pages of one document can be read
beside each other (`parallel.py`). The cache is keyed by the turned page, so a change in how
pages are turned reads again only the pages it turns differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsam_pipeline.load.workers import extend_deadline
from finsam_pipeline.read.ocr import cache, pages, tesseract
from finsam_pipeline.read.ocr.clean import cleaned
from finsam_pipeline.read.ocr.merge import on_baselines
from finsam_pipeline.read.ocr.regions import second_reading
from finsam_pipeline.read.ocr.reread import reread_unsure_amounts
from finsam_pipeline.read.ocr.text import layout_pair
from finsam_pipeline.read.ocr.words import Word

# What one page read by Tesseract adds to its file's time limit (workers.extend_deadline), whichever thread reads
# it: a full A4 page takes 3-10 s on one core (sparse text, its unsure rows as a block, its unsure amounts
# again); the allowance leaves room for a busy machine.
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
    as_read: str = ""  # `text` with each unsure amount as Tesseract read it, line for line (`text.layout_pair`)


@dataclass(frozen=True)
class Rendered:
    """A page's image, the resolution it was rendered at, and the Tesseract version that is to read it."""

    image: object  # a grey PIL image
    dpi: int
    version: str


def rendered(page, version: str) -> Rendered:
    """The page rendered for Tesseract (in the thread that holds the PDF open: PDFium is not thread-safe)."""
    dpi = pages.render_dpi(page)
    return Rendered(pages.render(page, dpi), dpi, version)


def read(page: Rendered) -> OcrPage:
    """The rendered page turned straight and read, from the cache where the same pixels were read before; safe
    in any thread."""
    straight = cleaned(page.image)
    key = cache.cache_key(straight, page.version, page.dpi)
    words = cache.cached_words(key)
    if words is not None:
        return reading_of(words, cached=True)
    extend_deadline(OCR_SECONDS_PER_PAGE)  # a long scan is slow, not stuck
    words = tesseract_words(straight, page.dpi)
    cache.store_words(key, words)
    return reading_of(words)


def tesseract_words(image, dpi: int) -> list[Word]:
    """A page image's words with their boxes and confidences: read as sparse text, read again as one block
    where that was unsure (`regions.py`), the two merged; unsure amounts read a third time on their own."""
    sparse = tesseract.words_on_baselines(tesseract.hocr(image, tesseract.config(tesseract.SPARSE, dpi)))
    return reread_unsure_amounts(image, on_baselines(second_reading(image, sparse, dpi)), dpi)


def ocr_page(page) -> OcrPage:
    """OCR one pypdfium2 page, from the cache where the same page was read before."""
    return read(rendered(page, tesseract.tesseract_version()))


def reading_of(words: list[Word], cached: bool = False) -> OcrPage:
    confidence = round(sum(w.confidence for w in words) / len(words), 1) if words else None
    problem = None
    if len(words) < MIN_WORDS:
        problem = "OCR found no words" if not words else f"OCR found only {len(words)} word(s)"
    elif confidence is not None and confidence < MIN_CONFIDENCE:
        problem = f"OCR confidence {confidence:.0f} of 100 is too low to trust"
    text, as_read = ("", "") if problem else layout_pair(words)
    return OcrPage(text, len(words), confidence, problem, cached, as_read)
