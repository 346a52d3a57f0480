"""Reading scanned PDF pages: Tesseract with its Swedish model (`swe`), page by page, cached.

A page is OCR'd only when its text layer is missing, empty or garbage; every other page
keeps its text layer, so a mixed PDF is read from both. The modules, in the order a page
goes through them:

- `parallel`: a document's scanned pages read beside each other, on the cores no other file
  is using (the worker pool lends them, `load/workers.py`); the unit of OCR work is a page.
- `pages`: which pages need OCR, and a page rendered by PDFium in grey at 300 dpi.
- `page`: one page through all that follows, its words cached (`cache`) by its pixels and
  every setting.
- `tesseract`: running Tesseract (single-threaded; several images in one run where it can)
  and reading its hOCR into words: each word with its box, its letters' boxes, its
  confidence and its line's baseline.
- `regions`: the page is read as sparse text (which keeps apart cells a word processor
  centred at different heights in one table row), then again as one block only where that
  was unsure: rows with an unsure word or letter-sized ink no word covers.
- `merge`: the block reading of those rows corrects the sparse one (a lone `0`, a note
  number, the `o` of `Not`), each word set on its baseline.
- `reread`: an amount Tesseract was unsure of (a low word confidence, or a digit whose box
  lies inside its neighbour's, as in `775` read `7175`) cut out and read a third time; it
  stands only when that reading is sure and agrees digit for digit.
- `text`: the words laid out by their positions exactly as a text page's glyphs are
  (`layout.layout_text`), thousands groups split again where the letters' boxes show the
  gap, unsure amounts as `?`s (their value left out with a `value_left_out` warning).
- `words`: the `Word` they all speak in, and when a number word is unsure.

Numbers are never guessed: what OCR could not read for sure is left out and named, rather
than a wrong amount being loaded.

Why pytesseract and not ocrmypdf: ocrmypdf writes a new PDF (PDF/A through Ghostscript,
with pikepdf, unpaper and its own pool of processes) and we would still have to read
that PDF's new text layer back and lay it out again. We need only the words, their boxes
and confidences of the few pages without text, inside the worker process that already
holds the file and under its per-file time limit; a second pool of OCR processes would
fight the pipeline's workers for the same cores (the pages of one scan are read beside
each other only on cores the pool's other workers leave idle, `parallel`). pytesseract is
a thin, well-kept wrapper over the `tesseract` command and PDFium renders a page in a tenth
of a second, so the heavy dependency buys nothing here.

Where a name is looked up is where a test patches it: Tesseract runs only through
`tesseract.hocr` and its version through `tesseract.tesseract_version`, both looked up on
the `tesseract` module, so patching them there reaches every caller.
"""

from finsam_pipeline.read.ocr.cache import CACHE_ENV, cache_dir
from finsam_pipeline.read.ocr.page import OcrPage, ocr_page, reading_of
from finsam_pipeline.read.ocr.pages import DPI, page_needs_ocr, text_is_sparse, text_layer_unusable
from finsam_pipeline.read.ocr.parallel import read_pages
from finsam_pipeline.read.ocr.tesseract import (
    BLOCK,
    LANGUAGE,
    REREAD,
    SPARSE,
    OcrUnavailable,
    config,
    tesseract_version,
    unavailable_reason,
    words_of_hocr,
)
from finsam_pipeline.read.ocr.text import UNSURE_AMOUNT_CELL, layout_words
from finsam_pipeline.read.ocr.words import UNSURE, Word

__all__ = [
    "BLOCK",
    "CACHE_ENV",
    "DPI",
    "LANGUAGE",
    "REREAD",
    "SPARSE",
    "UNSURE",
    "UNSURE_AMOUNT_CELL",
    "OcrPage",
    "OcrUnavailable",
    "Word",
    "cache_dir",
    "config",
    "layout_words",
    "ocr_page",
    "page_needs_ocr",
    "read_pages",
    "reading_of",
    "tesseract_version",
    "text_is_sparse",
    "text_layer_unusable",
    "unavailable_reason",
    "words_of_hocr",
]
