"""Reading scanned PDF pages: Tesseract with its Swedish model (`swe`), page by page, cached.

A page is OCR'd only when its text layer is missing, empty or garbage (a font without a
Unicode map gives control characters, private-use glyphs or `(cid:12)`; a scan may carry
a stamped page number and nothing else); every other page keeps its text layer, so a
mixed PDF is read from both. The page is rendered by PDFium (pypdfium2, already used for
the text layer) at 300 dpi in grey, and Tesseract returns each word with its box, its
letters' boxes and its confidence (hOCR). It reads the page twice: as sparse text, which
keeps apart the cells a word processor centred at different heights in one table row (read
as one block, they are merged into one line and misread), and as one block, whose words
fill in what sparse text passes over (`_merged_readings`). Each word is set on its
baseline with one box height for the page, as a text layer's glyphs are, and the words
are laid out by their positions exactly as a text page's glyphs are
(`extract.layout_text`), so table columns stay apart by runs of spaces and the OCR text
goes through the same parsers, whose rules already allow for OCR damage.

Numbers are never guessed here either. Tesseract often joins a thousands group to the
next (`1 469 789` read as `1469 789`); such a word is split again only where its letters'
boxes show the gap and the groups come out as thousands groups. An amount Tesseract was
unsure of (a low word confidence, or a digit whose box lies inside its neighbour's, as in
`775` read `7175`) is cut out of the page and read a second time on its own; the second
reading stands only when it is sure and agrees with the first digit for digit. Otherwise
all of the amount's groups become `?`s, so the parsers leave its value out and a
`value_left_out` warning names the line, rather than a wrong amount being loaded. Lone
symbols Tesseract was unsure of (`=`, `<` seen beside an amount) are dropped, and a lone
zero read as `[0]` is a zero.

Why pytesseract and not ocrmypdf: ocrmypdf writes a new PDF (PDF/A through Ghostscript,
with pikepdf, unpaper and its own pool of processes) and we would still have to read
that PDF's new text layer back and lay it out again. We need only the words, their boxes
and confidences of the few pages without text, inside the worker process that already
holds the file and under its per-file time limit; a second pool of OCR processes would
fight the pipeline's workers for the same cores. pytesseract is a thin, well-kept
wrapper over the `tesseract` command and PDFium renders a page in a tenth of a second,
so the heavy dependency buys nothing here. Tesseract runs single-threaded
(`OMP_THREAD_LIMIT=1`): the workers are the parallelism, and OpenMP threads on top of
them made a page several times slower on a busy 2-core machine.

OCR results are cached by content: the SHA-256 of the rendered page's pixels, the dpi,
the Tesseract version, the language and the settings name a JSON file of words in the
cache folder (`data/cache/ocr/`, or the folder in `FINSAM_OCR_CACHE`), written as soon
as a page is read, so a re-run (or a run after a time-out) never OCRs a page twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path

from finsam_pipeline.load.workers import extend_deadline
from finsam_pipeline.read.layout import layout_text

DPI = 300
LANGUAGE = "swe"
# A page is read twice. Sparse text (psm 11) finds words wherever they stand, so cells a word processor
# centred at different heights in one table row stay apart; one block (psm 6) reads the page line by line
# and sees what sparse text passes over: a lone `0`, a note number, the `o` of `Not`. See `_merged_readings`.
SPARSE_CONFIG = f"--psm 11 --dpi {DPI} -c hocr_char_boxes=1"
BLOCK_CONFIG = f"--psm 6 --dpi {DPI} -c hocr_char_boxes=1"
REREAD_CONFIG = f"--psm 7 --dpi {DPI} -c hocr_char_boxes=1"  # one amount cut out of the page, read as one line
CACHE_ENV = "FINSAM_OCR_CACHE"
DEFAULT_CACHE_DIR = Path("data/cache/ocr")
CACHE_FORMAT = 3  # bump when what is cached, or how a page is read into it, changes

# What one page read by Tesseract adds to its file's time limit (workers.extend_deadline): a full A4 page
# takes 4-16 s on one core (read twice, its unsure amounts again); the allowance leaves room for a busy machine.
OCR_SECONDS_PER_PAGE = 60.0
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 million pixels
MIN_WORDS = 3  # fewer words than this on a page with ink: OCR could not read it
MIN_CONFIDENCE = 50.0  # mean word confidence (0–100) below which a page counts as unreadable
NUMBER_MIN_CONFIDENCE = 60.0  # a number word below this is not trusted (shown as `?`, so its value is left out)
REREAD_MIN_CONFIDENCE = 80.0  # a second reading of an unsure amount counts only this sure, and only if it agrees
SPARSE_TEXT_CHARS = 30  # a text layer this thin over a page-sized image is a stamp on a scan
THOUSANDS_GAP = 0.25  # a gap inside a number word this wide (share of its height) is a lost space
UNSURE = "?"  # stands for each digit of an amount OCR could not read for sure
# an unsure amount standing in a table cell (after a run of spaces): its value is left out
UNSURE_AMOUNT_CELL = re.compile(r"(?:^|(?<=\S) {2,})(\?+(?: \?+)*)(?= {2,}|$)")


class OcrUnavailable(Exception):
    """Tesseract or its Swedish model is missing: `reason` says what to install."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Word:
    """One word as Tesseract read it, in pixels of the rendered page (y grows downwards)."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float  # 0–100
    line: int  # the Tesseract line it stands in
    line_top: int  # that line's box, so every word of a row shares one height
    line_bottom: int
    letters: tuple[tuple[int, int], ...] = ()  # each letter's left and right, where Tesseract gave them


@dataclass(frozen=True)
class OcrPage:
    text: str  # laid out like a text page; empty when the page is unreadable
    words: int
    confidence: float | None  # mean word confidence, 0–100; None without words
    problem: str | None  # why the page counts as unreadable, else None
    cached: bool


# --- when a page needs OCR --------------------------------------------------------------------

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


# --- Tesseract --------------------------------------------------------------------------------


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


def _tesseract_hocr(image, config: str) -> bytes:
    """The one place Tesseract runs: hOCR of an image."""
    import pytesseract

    _single_threaded()
    return pytesseract.image_to_pdf_or_hocr(image, lang=LANGUAGE, config=config, extension="hocr")


def _tesseract_words(image) -> list[Word]:
    """A page image's words with their boxes and confidences, from both readings; unsure amounts read again."""
    sparse = _hocr_words(_tesseract_hocr(image, SPARSE_CONFIG))
    block = _hocr_words(_tesseract_hocr(image, BLOCK_CONFIG))
    return _reread_unsure_amounts(image, _on_baselines(_merged_readings(sparse, block)))


# An amount the two readings disagree on counts as unsure: it stands only if a third reading, of the amount
# cut out on its own, agrees with the block's (`_reread_unsure_amounts`).
DISPUTED = NUMBER_MIN_CONFIDENCE - 1
SURE = 90.0  # a block reading this sure replaces sparse words Tesseract was unsure of (below NUMBER_MIN_CONFIDENCE)


def _boxes_meet(a: Word, b: Word) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _inside(inner: Word, outer: Word, slack: int) -> bool:
    return outer.left - slack <= inner.left and inner.right <= outer.right + slack


def _in_order(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


def _merged_readings(sparse: list[tuple[Word, float]], block: list[tuple[Word, float]]) -> list[tuple[Word, float]]:
    """The sparse reading's words, corrected where the block reading saw more, each with its baseline.

    A block word no sparse word meets is added (a lone `0` or note number sparse text passed over). A block
    word replaces the sparse words it meets when it covers them and has their letters in order and more
    (`N` `t` under `Not`), or when it is sure and they were not (`Not` over a `37` made of `Not` and `31`).
    An amount sparse text was unsure of is replaced by the block's clean reading of it, which stands where
    `_settles` says so and is otherwise unsure until a third reading agrees.
    Several block words inside one sparse word replace it when they are read surer on average (`10101` over
    `|` `0` `|` `0` `|`). Everything else keeps the sparse reading: the block reading merges a table row's
    cells set at different heights into one line and misreads them."""
    first_free = max((word.line for word, _ in sparse), default=-1) + 1
    dropped: set[int] = set()
    added: list[tuple[Word, float]] = []
    inside: dict[int, list[tuple[Word, float]]] = {}
    for word, baseline in block:
        met = [i for i, (other, _) in enumerate(sparse) if _boxes_meet(word, other)]
        if len(met) == 1 and _inside(word, sparse[met[0]][0], 0):
            inside.setdefault(met[0], []).append((word, baseline))
        slack = max(1, (word.bottom - word.top) // 6)
        covered = "".join(sparse[i][0].text for i in sorted(met, key=lambda i: sparse[i][0].left))
        fuller = (
            met
            and all(_inside(sparse[i][0], word, slack) for i in met)
            and len(word.text) > len(covered)
            and _in_order(covered, word.text)
            and word.confidence >= min(sparse[i][0].confidence for i in met)
        )
        surer = met and word.confidence >= SURE and all(sparse[i][0].confidence < NUMBER_MIN_CONFIDENCE for i in met)
        disputed = (
            met
            and _NUMBERISH.match(word.text)
            and not _unsure(word)
            and all(_NUMBERISH.match(sparse[i][0].text) for i in met)
            and any(_unsure(sparse[i][0]) for i in met)
        )
        if disputed and not _settles(word, [sparse[i][0] for i in met]):
            word = replace(word, confidence=min(word.confidence, DISPUTED))
        if not met or fuller or surer or disputed:
            dropped.update(met)
            in_place = fuller or disputed  # stands where the sparse words stood, in their line
            line = sparse[min(met)][0].line if in_place else first_free + word.line
            added.append((replace(word, line=line), sparse[min(met)][1] if in_place else baseline))
    for index, parts in inside.items():
        surer_parts = statistics.mean(part.confidence for part, _ in parts) > sparse[index][0].confidence
        if index not in dropped and len(parts) >= 2 and surer_parts:
            dropped.add(index)
            added.extend((replace(part, line=first_free + part.line), baseline) for part, baseline in parts)
    return [pair for index, pair in enumerate(sparse) if index not in dropped] + added


# Where a line's letters stand around its baseline, in cap heights: a font's ascent and descent (Arial, as a
# text layer's glyph boxes give them). Every word of a row then has the same box, however its letters rise.
ASCENT, DESCENT = 1.26, 0.30


def _on_baselines(words: list[tuple[Word, float]]) -> list[Word]:
    """Each word's line box set from its baseline and the page's cap height, as a text layer's glyphs have
    the font's: cells in one row share a centre, lines of one cell stand a line apart. Tesseract's own line
    boxes follow the ink (`2024-12-` has no descender, `Belopp` has) and, in sparse text, may join a cell's
    word to one half a line higher."""
    caps = [
        baseline - word.top for word, baseline in words if _CAPITAL_OR_DIGIT.match(word.text) and baseline > word.top
    ]
    if not caps:
        return [word for word, _ in words]
    cap = statistics.median(caps)
    return [
        replace(word, line_top=round(baseline - ASCENT * cap), line_bottom=round(baseline + DESCENT * cap))
        for word, baseline in words
    ]


_CAPITAL_OR_DIGIT = re.compile(r"^[A-ZÅÄÖ0-9]")


_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
_BBOX = re.compile(r"\bbbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_LETTER_BOX = re.compile(r"\bx_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_WCONF = re.compile(r"\bx_wconf (-?[\d.]+)")
_BASELINE = re.compile(r"\bbaseline (-?[\d.]+) (-?[\d.]+)")


def words_of_hocr(hocr: bytes | str) -> list[Word]:
    """Words of Tesseract's hOCR: text, box, confidence, line, and each letter's box."""
    return [word for word, _ in _hocr_words(hocr)]


def _hocr_words(hocr: bytes | str) -> list[tuple[Word, float]]:
    """Words of Tesseract's hOCR, each with the y of its line's baseline under it (the word's bottom where the
    line gives none)."""
    root = ET.fromstring(hocr)
    words: list[tuple[Word, float]] = []
    for number, line in enumerate(e for e in root.iter(f"{_XHTML}span") if e.get("class") in _LINE_CLASSES):
        line_box = _BBOX.search(line.get("title", ""))
        baseline = _BASELINE.search(line.get("title", ""))
        for element in line.iter(f"{_XHTML}span"):
            if element.get("class") != "ocrx_word":
                continue
            letters = [c for c in element.iter(f"{_XHTML}span") if c.get("class") == "ocrx_cinfo"]
            text = "".join(c.text or "" for c in letters) if letters else "".join(element.itertext())
            box, conf = _BBOX.search(element.get("title", "")), _WCONF.search(element.get("title", ""))
            if not text.strip() or box is None:
                continue
            left, top, right, bottom = map(int, box.groups())
            line_top, line_bottom = (int(line_box[2]), int(line_box[4])) if line_box else (top, bottom)
            letter_boxes = [_LETTER_BOX.search(c.get("title", "")) for c in letters]
            spans = (
                tuple((int(b[1]), int(b[3])) for b in letter_boxes)
                if letters and all(letter_boxes) and all(len(c.text or "") == 1 for c in letters)
                else ()
            )
            word = Word(
                text.strip(),
                left,
                top,
                right,
                bottom,
                float(conf[1]) if conf else 0.0,
                number,
                line_top,
                line_bottom,
                spans if len(spans) == len(text.strip()) else (),
            )
            on = float(bottom)
            if line_box and baseline:  # `baseline slope offset`, from the line box's bottom left corner
                slope, offset = float(baseline[1]), float(baseline[2])
                on = int(line_box[4]) + offset + slope * ((left + right) / 2 - int(line_box[1]))
            words.append((word, on))
    return words


def _settles(block: Word, sparse: list[Word]) -> bool:
    """Whether the block's clean reading of an amount sparse text was unsure of stands on its own: both read
    the same digits (`(0)` and `0`), or sparse text was unsure only for a phantom letter (`1175` for `775`,
    its confidence fair) and the block is as sure as a second reading must be."""
    as_read = "".join(_digits(w.text) for w in sparse)
    without_phantoms = "".join(_digits(_without_phantoms(w)) for w in sparse)
    phantoms_only = all(w.confidence >= NUMBER_MIN_CONFIDENCE for w in sparse)
    return _digits(block.text) in (as_read, without_phantoms) or (
        phantoms_only and block.confidence >= REREAD_MIN_CONFIDENCE
    )


def _digits(text: str) -> str:
    """An amount's digits, whatever OCR read around and between them."""
    return "".join(char for char in text if char.isdigit())


# --- cache ------------------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_DIR)


def _cache_key(image, version: str) -> str:
    digest = hashlib.sha256()
    settings = (
        f"finsam-ocr {CACHE_FORMAT}|{DPI}|{version}|{LANGUAGE}|{SPARSE_CONFIG}|{BLOCK_CONFIG}|{REREAD_CONFIG}"
        f"|{NUMBER_MIN_CONFIDENCE}|{REREAD_MIN_CONFIDENCE}|{image.mode}|{image.size}"
    )
    digest.update(settings.encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def _cache_path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.json"


def _cached_words(key: str) -> list[Word] | None:
    try:
        rows = json.loads(_cache_path(key).read_text(encoding="utf-8"))["words"]
        return [Word(*row[:-1], tuple(tuple(span) for span in row[-1])) for row in rows]
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None  # absent or damaged: OCR again


def _store_words(key: str, words: list[Word]) -> None:
    """Written whole or not at all (a temporary file renamed), so a killed worker leaves no half entry."""
    path = _cache_path(key)
    payload = {"format": CACHE_FORMAT, "words": [list(vars(word).values()) for word in words]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache folder costs time on the next run, never the result


# --- unsure amounts --------------------------------------------------------------------------


def _amount_clusters(words: list[Word], unit: float) -> list[tuple[int, int]]:
    """(start, end) of each run of number words that stand together in a line (one amount's groups).

    `words` are sorted by line and position."""
    clusters = []
    index = 0
    while index < len(words):
        if not _NUMBERISH.match(words[index].text):
            index += 1
            continue
        end = index + 1
        while (
            end < len(words)
            and words[end].line == words[end - 1].line
            and _NUMBERISH.match(words[end].text)
            and words[end].left - words[end - 1].right < 1.5 * unit
        ):
            end += 1
        clusters.append((index, end))
        index = end
    return clusters


def _phantom_letters(word: Word) -> set[int]:
    """Letters whose box lies mostly inside a wider neighbour's: Tesseract's `1` seen between two `7`s
    (`775` read as `7175`). Only number words are judged; their digits stand apart."""
    if not _NUMBERISH.match(word.text) or len(word.letters) != len(word.text):
        return set()
    phantoms = set()
    for index, (left, right) in enumerate(word.letters):
        width = max(1, right - left)
        for other in (index - 1, index + 1):
            if 0 <= other < len(word.letters) and word.text[index].isdigit() and word.text[other].isdigit():
                o_left, o_right = word.letters[other]
                if o_right - o_left >= width and min(right, o_right) - max(left, o_left) > 0.4 * width:
                    phantoms.add(index)
    return phantoms


def _unsure(word: Word) -> bool:
    return word.confidence < NUMBER_MIN_CONFIDENCE or bool(_phantom_letters(word))


def _without_phantoms(word: Word) -> str:
    phantoms = _phantom_letters(word)
    return "".join(char for index, char in enumerate(word.text) if index not in phantoms)


def _unit(words: Sequence[Word]) -> float:
    return statistics.median((w.right - w.left) / len(w.text) for w in words)


_SIGNED_DIGITS = re.compile(r"[-−–]?\d[\d ]*$")


def _agree(first: str, second: str) -> bool:
    """Two readings of one amount agree: the same digits and the same sign (noise before the first read's
    sign aside: `<+-447 536` and `-447 536` agree)."""
    core = _SIGNED_DIGITS.search(first)
    if core is None or not _SIGNED_DIGITS.fullmatch(second):
        return False
    return _digits(core.group()) == _digits(second) and core.group()[0].isdigit() == second[0].isdigit()


def _reread_unsure_amounts(image, words: list[Word]) -> list[Word]:
    """An amount with a group Tesseract was unsure of (a low confidence, or a letter box inside another's) is
    cut out of the page and read again on its own; the second reading replaces the first only when it is
    sure and agrees with it digit for digit (or with it less the letters whose boxes overlapped).
    Lone symbols Tesseract was unsure of (`=` or `<` seen beside an amount) are dropped."""
    words = [w for w in words if w.confidence >= NUMBER_MIN_CONFIDENCE or any(c.isalnum() for c in w.text)]
    if not words:
        return words
    unit = _unit(words)
    words = sorted(words, key=lambda w: (w.line, w.left))
    out: list[Word] = []
    done = 0
    for start, end in _amount_clusters(words, unit):
        cluster = words[start:end]
        out.extend(words[done:start])
        done = end
        if not any(_unsure(w) for w in cluster) or _BRACKETED_ZERO.match(cluster[0].text):
            out.extend(cluster)
            continue
        before = words[start - 1] if start and words[start - 1].line == cluster[0].line else None
        after = words[end] if end < len(words) and words[end].line == cluster[0].line else None
        left = max(cluster[0].left - unit, (before.right + cluster[0].left) / 2 if before else 0)
        right = cluster[-1].right + unit
        if after is not None:
            right = min(right, (cluster[-1].right + after.left) / 2)
        top, bottom = cluster[0].line_top, cluster[0].line_bottom
        margin = (bottom - top) // 4
        box = (int(left), max(0, top - margin), int(right), min(image.height, bottom + margin))
        second = words_of_hocr(_tesseract_hocr(image.crop(box), REREAD_CONFIG))
        sure = second and all(
            w.confidence >= REREAD_MIN_CONFIDENCE and _NUMBER_LIKE.match(w.text) and not _phantom_letters(w)
            for w in second
        )
        readings = {" ".join(w.text for w in cluster), " ".join(_without_phantoms(w) for w in cluster)}
        if sure and any(_agree(first, " ".join(w.text for w in second)) for first in readings):
            out.extend(
                replace(
                    w,
                    left=w.left + box[0],
                    right=w.right + box[0],
                    top=w.top + box[1],
                    bottom=w.bottom + box[1],
                    line=cluster[0].line,
                    line_top=top,
                    line_bottom=bottom,
                    letters=tuple((a + box[0], b + box[0]) for a, b in w.letters),
                )
                for w in second
            )
        else:
            out.extend(cluster)
    out.extend(words[done:])
    return out


# --- from words to text -----------------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"^[-−–(]?\d[\d.,:)%]*$")
_NUMBERISH = re.compile(r"^[^\w\s]{0,3}\d[\d.,:)%]*$")  # a number, maybe with noise before it: `<+-447`
_BRACKETED_ZERO = re.compile(r"^[\[\](){}|]*0[\[\](){}|]*$")
_DIGITS = re.compile(r"^[-−–]?\d{4,}$")
_THOUSANDS = re.compile(r"^[-−–]?\d{1,3}( \d{3})+$")


def _zero_read(word: Word) -> Word:
    """A lone zero in brackets (`[0]`, `(0)`) is a zero whichever sign they meant, however unsure Tesseract was
    of the brackets (it reads a lone `0` so, with a low confidence)."""
    if not _BRACKETED_ZERO.match(word.text) or word.text == "0":
        return word
    return replace(word, text="0", letters=(), confidence=max(word.confidence, NUMBER_MIN_CONFIDENCE))


def _untrusted_numbers_hidden(words: list[Word], unit: float) -> list[Word]:
    """An amount with any group Tesseract was unsure of becomes `?`s, all its groups: `2 038 080` with an
    unsure `038` must not be loaded as 80. Its value is then left out with a warning."""
    out = list(words)
    for start, end in _amount_clusters(out, unit):
        if any(_unsure(w) for w in out[start:end]):
            out[start:end] = [replace(w, text=UNSURE * len(w.text), letters=()) for w in out[start:end]]
    return out


def _split_thousands(word: Word) -> list[Word]:
    """`1469` whose letter boxes show a gap after the `1` is `1 469`: split where the groups are thousands groups."""
    if not _DIGITS.match(word.text) or len(word.letters) != len(word.text):
        return [word]
    height = max(1, word.bottom - word.top)
    cuts = [
        index
        for index in range(1, len(word.text))
        if word.letters[index][0] - word.letters[index - 1][1] > THOUSANDS_GAP * height
    ]
    if not cuts:
        return [word]
    bounds = [0, *cuts, len(word.text)]
    groups = [word.text[a:b] for a, b in pairwise(bounds)]
    if not _THOUSANDS.match(" ".join(groups)):
        return [word]
    return [
        replace(
            word,
            text=word.text[a:b],
            left=word.letters[a][0] if a else word.left,
            right=word.letters[b - 1][1] if b < len(word.text) else word.right,
            letters=word.letters[a:b],
        )
        for a, b in pairwise(bounds)
    ]


def layout_words(words: Sequence[Word]) -> str:
    """Words as glyph boxes for `layout_text`: a word's width shared by its letters, its line's height for all.

    Tesseract's word boxes may touch (`Belopp` `i`); each word is kept clear of the next in its
    line by a third of a letter, so separate words never run together. A word ending in a comma, full stop,
    colon or semicolon reaches half a letter further: the mark's ink is narrow, its place is not, and in a
    typewriter font `Axelsson,  ordförande` would otherwise read as two cells.
    """
    if not words:
        return ""
    unit = _unit(words)
    split = [part for word in sorted(words, key=lambda w: (w.line, w.left)) for part in _split_thousands(word)]
    ordered = _untrusted_numbers_hidden([_zero_read(word) for word in split], unit)
    cells = _amount_cell_starts(ordered)
    glyphs = []
    run_starts = set()
    for index, word in enumerate(ordered):
        if index in cells:
            run_starts.add(len(glyphs))
        right = word.right
        mark = 0.0  # how much further than its ink a closing mark reaches (`Axelsson,`)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is not None and following.line == word.line:
            right = min(right, following.left - unit / 3)
            if word.text[-1] in _TRAILING_MARKS:
                mark = max(0.0, min(unit / 2, following.left - unit / 3 - right))
        right = max(right, word.left + (word.right - word.left) / 2)
        step = (right - word.left) / len(word.text)
        bottom, top = -word.line_bottom, -word.line_top  # PDF space: y grows upwards
        for position, char in enumerate(word.text):
            left = word.left + position * step
            last = position == len(word.text) - 1
            glyphs.append((char, left, bottom, left + step + (mark if last else 0.0), top))
    return layout_text(glyphs, run_starts=frozenset(run_starts))


_TRAILING_MARKS = ",.;:"
_SIGN_FIRST = re.compile(r"^[-−–+(]")
_GROUP = re.compile(r"^(?:\d{3}|\?{3})$")
CELL_GAP = 2.0  # a gap between number words this many times the page's thousands gap parts two amounts


def _amount_cell_starts(words: Sequence[Word]) -> set[int]:
    """Indexes of number words that start an amount of their own though they stand close to the number left
    of them in their row: a signed one (`-8 282 457 -8 184 108`: no amount has a sign inside), or one further
    off than the page's thousands groups stand apart. Narrow table columns set amounts closer than one and a
    half characters, where a text layer would still show its cells; OCR does not. Rows are found by the
    words' boxes (`_on_baselines`), not Tesseract's lines: sparse text makes each cell a line of its own."""

    def number(word: Word) -> bool:
        return bool(_NUMBERISH.match(word.text)) or word.text.strip(UNSURE) == ""

    def centre(index: int) -> float:
        return (words[index].line_top + words[index].line_bottom) / 2

    rows: list[list[int]] = []
    for index in sorted(range(len(words)), key=centre):
        tolerance = 0.25 * (words[index].line_bottom - words[index].line_top)
        if rows and centre(index) - centre(rows[-1][0]) <= tolerance:
            rows[-1].append(index)
        else:
            rows.append([index])
    neighbours = [  # (left word, right word): numbers side by side in one row
        (a, b)
        for row in rows
        for a, b in pairwise(sorted(row, key=lambda i: words[i].left))
        if number(words[a]) and number(words[b]) and words[a].right <= words[b].left
    ]
    groups = [
        words[b].left - words[a].right
        for a, b in neighbours
        if _GROUP.match(words[b].text) and len(words[a].text.lstrip("-−–+(")) <= 3
    ]
    thousands = statistics.median(groups) if len(groups) >= 3 else None
    return {
        b
        for a, b in neighbours
        if _SIGN_FIRST.match(words[b].text)
        or (thousands is not None and words[b].left - words[a].right > CELL_GAP * max(thousands, 1))
    }


# --- reading a page ---------------------------------------------------------------------------


def ocr_page(page) -> OcrPage:
    """OCR one pypdfium2 page, from the cache where the same page was read before."""
    version = tesseract_version()
    width, height = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)  # a poster-sized page is read smaller
    image = page.render(scale=scale, grayscale=True).to_pil()
    key = _cache_key(image, version)
    words = _cached_words(key)
    cached = words is not None
    if words is None:
        extend_deadline(OCR_SECONDS_PER_PAGE)  # a long scan is slow, not stuck
        words = _tesseract_words(image)
        _store_words(key, words)
    return reading_of(words, cached)


def reading_of(words: list[Word], cached: bool = False) -> OcrPage:
    confidence = round(sum(w.confidence for w in words) / len(words), 1) if words else None
    problem = None
    if len(words) < MIN_WORDS:
        problem = "OCR found no words" if not words else f"OCR found only {len(words)} word(s)"
    elif confidence is not None and confidence < MIN_CONFIDENCE:
        problem = f"OCR confidence {confidence:.0f} of 100 is too low to trust"
    return OcrPage("" if problem else layout_words(words), len(words), confidence, problem, cached)
