"""Running Tesseract, and reading its hOCR into words.

`hocr` is the one place Tesseract runs. It runs single-threaded (`OMP_THREAD_LIMIT=1`): the
workers are the parallelism, and OpenMP threads on top of them made a page several times
slower on a busy 2-core machine. hOCR gives each word with its box, its letters' boxes, its
confidence and its line's baseline.
"""

from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from finsam_pipeline.read.ocr.words import Word

LANGUAGE = "swe"
# Page segmentation modes. Sparse text (psm 11) finds words wherever they stand, so cells a word processor
# centred at different heights in one table row stay apart; one block (psm 6) reads line by line and sees
# what sparse text passes over: a lone `0`, a note number, the `o` of `Not` (see `merge.py`); one line
# (psm 7) reads an amount cut out of the page (`reread.py`).
SPARSE, BLOCK, REREAD = "--psm 11", "--psm 6", "--psm 7"


def config(mode: str, dpi: int) -> str:
    """Tesseract's settings for a page segmentation mode at the image's resolution, letters' boxes in hOCR."""
    return f"{mode} --dpi {dpi} -c hocr_char_boxes=1"


class OcrUnavailable(Exception):
    """Tesseract or its Swedish model is missing: `reason` says what to install."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def tesseract_version() -> str:
    """The installed Tesseract's version, `swe` checked; raises OcrUnavailable saying what to install."""
    import pytesseract

    _single_threaded()
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailable("Tesseract is not installed (Debian: tesseract-ocr, tesseract-ocr-swe)") from exc
    except Exception as exc:
        raise OcrUnavailable(f"Tesseract could not be run ({type(exc).__name__}: {exc})") from exc
    if LANGUAGE not in languages:
        raise OcrUnavailable(f"Tesseract's Swedish model is not installed (Debian: tesseract-ocr-{LANGUAGE})")
    return version


def unavailable_reason() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    try:
        tesseract_version()
    except OcrUnavailable as exc:
        return exc.reason
    return None


def _single_threaded() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def hocr(image, config: str) -> bytes:
    """The one place Tesseract runs: hOCR of an image, or of several (a list) in one run, one hOCR page each
    (`pages_of_hocr`): Tesseract loads its model once, a tenth of a second or more saved per image."""
    import pytesseract

    _single_threaded()
    if isinstance(image, list | tuple) and len(image) == 1:
        image = image[0]
    if not isinstance(image, list | tuple):
        return pytesseract.image_to_pdf_or_hocr(image, lang=LANGUAGE, config=config, extension="hocr")
    with tempfile.TemporaryDirectory(prefix="finsam-ocr-") as folder:
        path = Path(folder) / "images.tif"  # a multi-page TIFF: each image a page, read on its own
        pages = [page.copy() for page in image]  # fresh: an image once saved as PNG keeps PNG's encoder settings
        pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:], compression="raw")
        return pytesseract.image_to_pdf_or_hocr(str(path), lang=LANGUAGE, config=config, extension="hocr")


_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
_BBOX = re.compile(r"\bbbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_LETTER_BOX = re.compile(r"\bx_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_WCONF = re.compile(r"\bx_wconf (-?[\d.]+)")
_BASELINE = re.compile(r"\bbaseline (-?[\d.]+) (-?[\d.]+)")


def words_of_hocr(hocr: bytes | str) -> list[Word]:
    """Words of Tesseract's hOCR: text, box, confidence, line, and each letter's box."""
    return [word for word, _ in words_on_baselines(hocr)]


def words_on_baselines(hocr: bytes | str) -> list[tuple[Word, float]]:
    """Words of Tesseract's hOCR, each with the y of its line's baseline under it (the word's bottom where the
    line gives none)."""
    return _words_on_baselines(ET.fromstring(hocr))


def read_each(images: list, config: str) -> list[list[tuple[Word, float]]]:
    """Each image's words on their baselines, all read in one run of Tesseract (each on its own where that
    run's hOCR does not give one page per image)."""
    if not images:
        return []
    pages = pages_of_hocr(hocr(images, config))
    if len(pages) == len(images):
        return pages
    return [words_on_baselines(hocr(image, config)) for image in images]


def pages_of_hocr(hocr: bytes | str) -> list[list[tuple[Word, float]]]:
    """The words of each page of an hOCR document (several images read in one run), as `words_on_baselines`."""
    root = ET.fromstring(hocr)
    return [_words_on_baselines(page) for page in root.iter(f"{_XHTML}div") if page.get("class") == "ocr_page"]


def _words_on_baselines(root: ET.Element) -> list[tuple[Word, float]]:
    words: list[tuple[Word, float]] = []
    for number, line in enumerate(e for e in root.iter(f"{_XHTML}span") if e.get("class") in _LINE_CLASSES):
        line_box = _BBOX.search(line.get("title", ""))
        baseline = _BASELINE.search(line.get("title", ""))
        for element in line.iter(f"{_XHTML}span"):
            if element.get("class") != "ocrx_word":
                continue
            word = _word(element, number, line_box)
            if word is None:
                continue
            on = float(word.bottom)
            if line_box and baseline:  # `baseline slope offset`, from the line box's bottom left corner
                slope, offset = float(baseline[1]), float(baseline[2])
                on = int(line_box[4]) + offset + slope * ((word.left + word.right) / 2 - int(line_box[1]))
            words.append((word, on))
    return words


def _word(element, line: int, line_box: re.Match | None) -> Word | None:
    """One `ocrx_word` span as a Word, its letters' boxes kept where every letter has one; None if empty."""
    letters = [c for c in element.iter(f"{_XHTML}span") if c.get("class") == "ocrx_cinfo"]
    text = "".join(c.text or "" for c in letters) if letters else "".join(element.itertext())
    box, conf = _BBOX.search(element.get("title", "")), _WCONF.search(element.get("title", ""))
    if not text.strip() or box is None:
        return None
    left, top, right, bottom = map(int, box.groups())
    line_top, line_bottom = (int(line_box[2]), int(line_box[4])) if line_box else (top, bottom)
    letter_boxes = [_LETTER_BOX.search(c.get("title", "")) for c in letters]
    spans = (
        tuple((int(b[1]), int(b[3])) for b in letter_boxes)
        if letters and all(letter_boxes) and all(len(c.text or "") == 1 for c in letters)
        else ()
    )
    return Word(
        text.strip(),
        left,
        top,
        right,
        bottom,
        float(conf[1]) if conf else 0.0,
        line,
        line_top,
        line_bottom,
        spans if len(spans) == len(text.strip()) else (),
    )
