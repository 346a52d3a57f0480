"""Which PDF pages need OCR, and each such page rendered as an image for Tesseract.

A page is OCR'd only when its text layer is missing, empty or garbage (a font without a
Unicode map gives control characters, private-use glyphs or `(cid:12)`; a scan may carry
a stamped page number and nothing else); every other page keeps its text layer, so a
mixed PDF is read from both. The page is rendered by PDFium (pypdfium2, already used for
the text layer) in grey.
"""

from __future__ import annotations

import re
import unicodedata

DPI = 300
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 million pixels
SPARSE_TEXT_CHARS = 30  # a text layer this thin over a page-sized image is a stamp on a scan

_CID = re.compile(r"\(cid:\d+\)")
_LETTER_RUN = re.compile(r"[^\W\d_]{3,}")
_VOWELS = set("aeiouyåäöéüAEIOUYÅÄÖÉÜ")


def _is_garbage_char(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn")


def text_layer_unusable(text: str) -> bool:
    """No text, or text no person could read: unmapped glyphs, control characters, vowel-less letter soup."""
    cids = len(_CID.findall(text))
    chars = [c for c in _CID.sub("", text) if not c.isspace()]
    if not chars and not cids:
        return True
    if (sum(1 for c in chars if _is_garbage_char(c)) + cids) / (len(chars) + cids) > 0.1:
        return True
    words = _LETTER_RUN.findall(text)
    return len(words) >= 20 and sum(1 for w in words if not _VOWELS & set(w)) > len(words) / 2


def text_is_sparse(text: str) -> bool:
    """Fewer letters than a page of a report holds: a page number, a stamp, a title over a picture."""
    return sum(1 for c in text if not c.isspace()) < SPARSE_TEXT_CHARS


def page_needs_ocr(page, text: str) -> bool:
    """A page with ink but no usable text layer, or a thin text layer over a page-sized image."""
    import pypdfium2.raw as pdfium_c

    objects = list(page.get_objects(max_depth=2))
    if text_layer_unusable(text):
        return bool(objects)  # a blank page stays a blank page
    if not text_is_sparse(text):
        return False
    width, height = page.get_size()
    for obj in objects:
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_pos()
            if (right - left) * (top - bottom) >= 0.5 * width * height:
                return True
    return False


def render(page):
    """The page as a grey PIL image at `DPI`; a poster-sized page is rendered smaller."""
    width, height = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
    return page.render(scale=scale, grayscale=True).to_pil()
