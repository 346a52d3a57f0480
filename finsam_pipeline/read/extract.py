"""Turning a file's bytes into numbered, normalised lines of text, page numbers kept.

Everything that can go wrong with a file itself (empty, binary, wrong encoding,
encrypted, truncated PDF, or a scan OCR cannot read) is raised here as `ExtractionError`
with a reason a person can act on; the parsers only ever see text.

PDF text is laid out from PDFium's glyph boxes (some 30 times faster than pdfminer),
keeping table columns apart by runs of spaces; pdfplumber's layout mode takes over
for a document PDFium cannot lay out. A page whose text layer is missing, empty or
garbage is read by OCR (`read/ocr/`: Tesseract, Swedish model) and its words are laid out
the same way; how each page was read is kept in `ExtractedText.pages`.
"""

from __future__ import annotations

import codecs
import io
import re
import textwrap
from dataclasses import dataclass, replace

from finsam_pipeline.read.files import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, SourceFile
from finsam_pipeline.read.layout import GOES_ON, Glyph, layout_page
from finsam_pipeline.read.textnorm import normalise_line


class ExtractionError(Exception):
    """The file cannot be read as a report; `reason` is shown to operators verbatim."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TextLine:
    line_no: int  # 1-based line: in a text file, the line an editor, `grep -n` or `sed -n` shows
    page: int | None  # 1-based PDF page, or the page a text file's form feeds begin; else None
    text: str
    # On a page OCR read, `text` with each amount it was unsure of (`?`s there) as Tesseract read it; None where
    # the line has no such amount. Never a value by itself: only the report's arithmetic may prove it (`parse.unsure`).
    as_read: str | None = None


@dataclass(frozen=True)
class PageReading:
    """How one PDF page was read."""

    page: int  # 1-based
    method: str  # "text" (its text layer), "ocr", or "none" (no usable text layer and OCR could not run)
    ocr_words: int = 0
    ocr_confidence: float | None = None  # mean word confidence of Tesseract, 0–100
    problem: str | None = None  # why the page could not be read; its text is left out

    def __post_init__(self) -> None:
        if self.method not in ("text", "ocr", "none"):
            raise ValueError(f"unknown page reading method {self.method!r}")


@dataclass(frozen=True)
class ExtractedText:
    document_id: str
    source_file: str
    sha256: str
    lines: tuple[TextLine, ...]
    page_count: int | None
    encoding: str
    pages: tuple[PageReading, ...] = ()  # PDF only, one per page

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def pages_ocr(self) -> int | None:
        """Pages read by OCR; None for plain text."""
        return sum(1 for p in self.pages if p.method == "ocr") if self.page_count is not None else None

    @property
    def ocr_mean_confidence(self) -> float | None:
        """Mean confidence over every OCR'd word of the document, 0–100; None where nothing was OCR'd."""
        words = sum(p.ocr_words for p in self.pages if p.ocr_confidence is not None)
        if not words:
            return None
        return round(sum(p.ocr_confidence * p.ocr_words for p in self.pages if p.ocr_confidence is not None) / words, 1)

    @property
    def page_reading(self) -> str | None:
        """How the pages were read, in runs: `1-3:text,4:ocr,5-12:text`; None for plain text."""
        return page_runs(self.pages) if self.pages else None

    @property
    def unreadable_pages(self) -> list[PageReading]:
        return [p for p in self.pages if p.problem]

    def unread_pages_note(self) -> str | None:
        """`pages 3, 4 could not be read (OCR found no words)`, for a quarantine reason; None if every page was read."""
        unread = self.unreadable_pages
        if not unread:
            return None
        numbers = ", ".join(str(p.page) for p in unread)
        problems = "; ".join(dict.fromkeys(p.problem for p in unread if p.problem))
        return f"{'page' if len(unread) == 1 else 'pages'} {numbers} could not be read ({problems})"

    def reading_flags(self) -> list[tuple[str, str, int | None, int | None]]:
        """Warnings on how the pages were read, as (check name, message, page, line):
        `page_unreadable` for a page neither its text layer nor OCR could read, and `value_left_out`
        for a table cell whose amount OCR could not read for sure (shown as `?`s)."""
        from finsam_pipeline.read.ocr import UNSURE_AMOUNT_CELL

        flags: list[tuple[str, str, int | None, int | None]] = [
            ("page_unreadable", f"page {p.page} could not be read: {p.problem}", p.page, None)
            for p in self.unreadable_pages
        ]
        ocr_pages = {p.page for p in self.pages if p.method == "ocr"}
        for line in self.lines:
            if line.page not in ocr_pages:
                continue
            match = UNSURE_AMOUNT_CELL.search(line.text)
            if match:
                label = line.text[: match.start()].strip().split("  ")[0].strip() or line.text.strip()
                flags.append(
                    (
                        "value_left_out",
                        f"line '{label}' left out: OCR could not read an amount for sure on page {line.page}",
                        line.page,
                        line.line_no,
                    )
                )
        return flags


def page_runs(pages: tuple[PageReading, ...] | list[PageReading]) -> str:
    runs: list[list] = []  # [first, last, method]
    for reading in pages:
        if runs and runs[-1][2] == reading.method and runs[-1][1] == reading.page - 1:
            runs[-1][1] = reading.page
        else:
            runs.append([reading.page, reading.page, reading.method])
    return ",".join(
        f"{first}:{method}" if first == last else f"{first}-{last}:{method}" for first, last, method in runs
    )


def extract(source: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractedText:
    if source.suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(f"unsupported file type '{source.suffix or '(none)'}': expected .txt, .md or .pdf")
    if not source.content.strip():
        raise ExtractionError("the file is empty")
    if len(source.content) > max_bytes:
        raise ExtractionError(f"the file is {len(source.content):,} bytes, over the limit of {max_bytes:,} bytes")
    readings: list[PageReading] = []
    page_count: int | None = None
    if source.suffix == ".pdf":
        (pages, readings, as_read), encoding = _pdf_pages(source.content), "pdf"
        lines, page_count = _number_lines(pages, as_read), len(pages)
    else:
        text, encoding = decode_text(source.content)
        lines = _text_lines(text)
    if not any(line.text.strip() for line in lines):
        unread = [reading for reading in readings if reading.problem]
        raise ExtractionError(
            _unreadable_reason(unread, len(readings)) if unread else "the file holds no readable text"
        )
    return ExtractedText(
        document_id=source.document_id,
        source_file=source.name,
        sha256=source.sha256,
        lines=tuple(lines),
        page_count=page_count,
        encoding=encoding,
        pages=tuple(readings),
    )


def _unreadable_reason(unread: list[PageReading], page_count: int) -> str:
    problems = "; ".join(dict.fromkeys(reading.problem for reading in unread if reading.problem))
    if page_count == 1:
        return f"no readable text: the PDF's only page has no usable text layer and could not be read ({problems})"
    return (
        f"no readable text: {len(unread)} of the PDF's {page_count} pages have no usable text layer "
        f"and could not be read ({problems})"
    )


_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # below a space, but tab, line feed, form feed, return


def decode_text(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252; binary is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"the file claims {encoding} but is not valid: {exc.reason}") from exc
    if b"\x00" in content:
        raise ExtractionError("binary content, not text (NUL bytes found)")
    try:
        text, encoding = content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = content.decode("cp1252", errors="replace"), "cp1252"
    control = len(_CONTROL_CHARACTER.findall(text)) + text.count("\ufffd")
    if control > max(8, len(text) // 200):
        raise ExtractionError("binary content, not text (too many control characters)")
    return text, encoding


def _pdf_pages(content: bytes) -> tuple[list[tuple[int | None, str]], list[PageReading], dict[int, str]]:
    """Page texts laid out by x position: PDFium for speed, pdfplumber where PDFium finds no text,
    OCR for the pages neither can read; and for those, by page index, the text with unsure amounts as read."""
    if b"%PDF-" not in content[:1024]:
        raise ExtractionError("not a readable PDF: the file has no PDF header (is it really a PDF?)")
    if b"%%EOF" not in content[-2048:]:
        raise ExtractionError("truncated PDF: the file ends before the PDF's end marker")
    try:
        pages = _pdfium_pages(content)
    except ExtractionError:
        raise
    except Exception:
        pages = None
    if pages is None or not any(text.strip() for _, text in pages):
        pages = _pdfplumber_pages(content)
    return _read_scanned_pages(content, pages)


def _read_scanned_pages(
    content: bytes, pages: list[tuple[int | None, str]]
) -> tuple[list[tuple[int | None, str]], list[PageReading], dict[int, str]]:
    """OCR for each page whose text layer is missing, empty or garbage; every other page keeps its text layer.
    The pages that need OCR are read together, beside each other where cores are free (`ocr/parallel.py`)."""
    from finsam_pipeline.read import ocr

    pages = list(pages)
    readings = [PageReading(number or index + 1, "text") for index, (number, _) in enumerate(pages)]
    if not any(ocr.text_layer_unusable(text) or ocr.text_is_sparse(text) for _, text in pages):
        return pages, readings, {}  # the common case: every page has a text layer, nothing to render
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except Exception:
        document = None
    try:
        scanned = []  # pages to OCR, 0-based
        for index, (number, text) in enumerate(pages):
            if document is not None and index < len(document):
                if ocr.page_needs_ocr(document[index], text):
                    scanned.append(index)
            elif ocr.text_layer_unusable(text) and text.strip():
                problem = "the page could not be rendered for OCR"
                readings[index] = PageReading(readings[index].page, "none", problem=problem)
                pages[index] = (number, "")
        outcomes = ocr.read_pages(document, scanned) if scanned else {}
    finally:
        if document is not None:
            document.close()
    as_read: dict[int, str] = {}
    for index, outcome in outcomes.items():
        readings[index], text = _ocr_reading(readings[index].page, outcome)
        pages[index] = (pages[index][0], text)
        if text and getattr(outcome, "as_read", None):
            as_read[index] = outcome.as_read
    return pages, readings, as_read


def _ocr_reading(page_no: int, outcome) -> tuple[PageReading, str]:
    """How a page OCR read (or could not read) was read, and its text ("" where it counts as unreadable)."""
    from finsam_pipeline.read import ocr

    if isinstance(outcome, ocr.OcrUnavailable):
        return PageReading(page_no, "none", problem=f"OCR is not available here: {outcome.reason}"), ""
    if isinstance(outcome, Exception):  # Tesseract failed on this page: the other pages still count
        return PageReading(page_no, "none", problem=f"OCR failed ({type(outcome).__name__}: {outcome})"), ""
    reading = PageReading(page_no, "ocr", outcome.words, outcome.confidence, outcome.problem)
    return reading, "" if outcome.problem else outcome.text


def _pdfium_pages(content: bytes) -> list[tuple[int | None, str]] | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("password-protected PDF: ask the sender for an open copy") from exc
        raise ExtractionError(f"not a readable PDF ({exc})") from exc
    try:
        textpages = [document[number].get_textpage() for number in range(len(document))]
        counts = [textpage.count_chars() for textpage in textpages]
        texts = [
            textpage.get_text_range(0, count) if count else ""
            for textpage, count in zip(textpages, counts, strict=True)
        ]
        spaced, invented = _spaces_words(textpages, texts)
        pages = []
        carried = None  # the last table of the page before, whose rows may go on at the next page's top
        for number, (textpage, text, count) in enumerate(zip(textpages, texts, counts, strict=True)):
            glyphs = []
            if len(text) == count:
                glyphs = _page_glyphs(textpage, text)
            elif text:
                return None  # index and text disagree (surrogates): let pdfplumber lay the page out
            by_glyphs = spaced and not _words_placed(text, invented[number])
            starts, digit_jumps = (
                _cell_starts(textpage, text, glyphs, invented[number]) if by_glyphs else (None, frozenset())
            )
            page_text, carried = layout_page(glyphs, starts, carried, digit_jumps)
            if page_text.startswith(GOES_ON) and pages:  # a typed line wrapped onto this page: one line again
                going_on, _, page_text = page_text[1:].partition("\n")
                before = pages[-1][1].rstrip("\n")
                pages[-1] = (pages[-1][0], before + going_on)
            pages.append((number + 1, page_text))
        return pages
    finally:
        document.close()


def _spaces_words(textpages, texts: list[str]) -> tuple[bool, list[frozenset[int]]]:
    """Whether the document writes the spaces between its words as glyphs (word processors do; browsers,
    TeX and many scanners' text layers space words by position only, and PDFium invents those spaces);
    and, per page, the spaces PDFium invented."""
    import pypdfium2.raw as pdfium_raw

    invented = []
    real = 0
    for textpage, text in zip(textpages, texts, strict=True):
        spaces = [index for index, char in enumerate(text) if char in " \t"]
        generated = frozenset(index for index in spaces if pdfium_raw.FPDFText_IsGenerated(textpage.raw, index))
        real += len(spaces) - len(generated)
        invented.append(generated)
    return real >= max(10, sum(map(len, invented))), invented


def _page_glyphs(textpage, text: str) -> list[Glyph]:
    """Every visible character of a PDFium text page with its loose box, in the page's text order."""
    glyphs = []
    for index, char in enumerate(text):
        if char.strip():
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            glyphs.append((char, left, bottom, right, top))
    return glyphs


def _cell_starts(
    textpage, text: str, glyphs: list[Glyph], invented: frozenset[int]
) -> tuple[frozenset[int], frozenset[int]]:
    """Glyphs (indices into `glyphs`) that start a new text run on their line: cell boundaries a gap may hide,
    on a page of a document that spaces its words by glyphs (`_spaces_words`); and, apart, the jumps that
    may be a thousands separator or a tab (`_thousands_space`).

    A word processor prints a tab, or the next cell of a narrow table, as a jump to a new position
    and writes no space there, while it writes every space between words as a glyph of its own.
    PDFium marks the space it invents for such a jump as generated. On a page whose words are
    spaced by real space glyphs, a generated space, or a jump with no space at all, therefore
    separates cells even where the gap is narrower than a character (`1 061` ⟶ `114`), or
    nearly nothing (`insatser` ⟶ `410`); and a line of text the PDF starts beside another on the
    same row is another cell's (a table written cell by cell, `15 10 K 5` ⟶ `1 K 12 väntar`).
    Documents that space words only by position (TeX, many scanners' text layers, browsers'
    prints) give no such evidence and are laid out by gaps alone.
    """
    starts: set[int] = set()
    digit_jumps: set[int] = set()
    space: list[float | None] = []  # the page's space width, measured at the first jump between digits
    glyph = -1
    previous: Glyph | None = None
    separated = False  # a generated space or tab since the previous glyph
    spaced = False  # a real space since the previous glyph
    for index, char in enumerate(text):
        if char in "\r\n":
            previous, separated, spaced = None, False, False
            continue
        if not char.strip():  # a written space (no-break and thin ones too) is one; a tab or invented one is not
            if char != "\t" and index not in invented:
                spaced = True
            else:
                separated = True
            continue
        glyph += 1
        current = glyphs[glyph]
        height = current[4] - current[2]
        if previous is None or abs(previous[2] + previous[4] - current[2] - current[4]) >= height:
            starts.add(glyph)  # the PDF starts a line of text here: a cell's, where it lands beside another's
        else:
            jump = current[1] - previous[3]
            jumped = not spaced and ((separated and jump > -height * 0.1) or jump > height * 0.1)
            if jumped and previous[0].isdigit():
                if not space:
                    space.append(_space_width(textpage, text, invented))
                (digit_jumps if _thousands_space(text, index, previous, current, space[0]) else starts).add(glyph)
            elif jumped:
                starts.add(glyph)
        previous, separated, spaced = current, False, False
    return frozenset(starts), frozenset(digit_jumps)


_THOUSANDS_GROUP = re.compile(r"\d{3}(?!\d)")


def _words_placed(text: str, invented: frozenset[int]) -> bool:
    """Whether the page places its words by position (more of the spaces between two letters invented than
    written), whatever the document's other pages do: a browser writing a report's prose with space glyphs and
    its statements side by side by position. Such a page is laid out by its gaps alone, as a browser's print is;
    a word processor's no-break thousands and cell jumps, which PDFium invents too, stand beside digits."""
    between = [
        i for i in range(1, len(text) - 1) if text[i] in " \t" and text[i - 1].isalpha() and text[i + 1].isalpha()
    ]
    return sum(1 for i in between if i in invented) > sum(1 for i in between if i not in invented)


def _space_width(textpage, text: str, invented: frozenset[int]) -> float | None:
    """The width of the spaces the page writes between its words (the median of their boxes)."""
    widths = sorted(
        right - left
        for index, char in enumerate(text)
        if char == " " and index not in invented
        for left, _, right, _ in [textpage.get_charbox(index, loose=True)]
    )
    return widths[len(widths) // 2] if widths else None


def _thousands_space(text: str, index: int, previous: Glyph, current: Glyph, space: float | None) -> bool:
    """Whether a jump after a digit may be a no-break space a word processor writes as a jump (`390` ⟶
    `220` of `390 220`): as wide as the page's spaces, or half (a narrow one), before a group of three
    digits. A tab may look the same (`1 061` ⟶ `114`); the layout tells them apart by whether the jump
    lands on a tab stop. A jump of another width (the next cell of a table) is a cell boundary."""
    gap = current[1] - previous[3]
    return (
        space is not None
        and any(abs(gap - width) <= 0.3 for width in (space, space / 2))
        and _THOUSANDS_GROUP.match(text, index) is not None
    )


def _pdfplumber_pages(content: bytes) -> list[tuple[int | None, str]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            pages = [(page.page_number, _page_text(page)) for page in pdf.pages]
    except PDFPasswordIncorrect as exc:
        raise ExtractionError("password-protected PDF: ask the sender for an open copy") from exc
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower() or b"/Encrypt" in content[-4096:]:
            raise ExtractionError("password-protected PDF: ask the sender for an open copy") from exc
        raise ExtractionError(f"not a readable PDF ({type(exc).__name__}: {exc})".strip()) from exc
    if not pages:
        raise ExtractionError("the PDF has no pages")
    return pages  # pages without text go to OCR


def _page_text(page) -> str:
    """Layout-preserving text, so table columns stay apart by runs of spaces."""
    text = page.extract_text(layout=True) or ""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return textwrap.dedent("\n".join(lines))


_PHYSICAL_LINE_END = re.compile(r"\r\n|\r|\n")
_PAGE_BREAK = "\f"


def _physical_lines(text: str) -> list[str]:
    """Lines as an editor, `grep -n` or `sed -n` count them.

    `str.splitlines` also breaks at form feeds and vertical tabs, which had put the source line of every
    fact after a page break of a text file one line off per page.
    """
    lines = _PHYSICAL_LINE_END.split(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


# Breaks inside a physical line: a form feed (a new page) and the separators `str.splitlines` knows beside line
# ends (a layout program's forced line break U+2028, a vertical tab). Each starts a line of its own that keeps
# the physical line's number: `Årets resultat  66 444  208 267\f12` is a row and the next page's number.
_BREAK_IN_LINE = re.compile("[\f\v\x1c\x1d\x1e\x85\u2028\u2029]")


def _text_lines(text: str) -> list[TextLine]:
    """A text file's lines; where it has form feeds, each starts a new page, as on the printer it was for."""
    if not _BREAK_IN_LINE.search(text):
        return [TextLine(number, None, normalise_line(raw)) for number, raw in enumerate(_physical_lines(text), 1)]
    paged = _PAGE_BREAK in text
    lines: list[TextLine] = []
    page, page_has_text = 1, False
    for number, raw in enumerate(_physical_lines(text), 1):
        parts = _BREAK_IN_LINE.split(raw)
        breaks = _BREAK_IN_LINE.findall(raw)
        blank = not any(part.strip() for part in parts)
        for position, part in enumerate(parts):
            if position and breaks[position - 1] == _PAGE_BREAK and page_has_text:
                page, page_has_text = page + 1, False  # a form feed before any text of a page starts none
            if (part.strip() or blank) and not (blank and position):  # a blank line stays one blank line
                lines.append(TextLine(number, page if paged else None, normalise_line(part)))
            page_has_text = page_has_text or bool(part.strip())
    return lines


def _number_lines(pages: list[tuple[int | None, str]], as_read: dict[int, str] | None = None) -> list[TextLine]:
    lines: list[TextLine] = []
    for index, (page, text) in enumerate(pages):
        raws = _physical_lines(text)
        read = _physical_lines((as_read or {}).get(index, ""))
        for position, raw in enumerate(raws):
            line = TextLine(line_no=len(lines) + 1, page=page, text=normalise_line(raw))
            if len(read) == len(raws) and read[position] != raw:
                line = replace(line, as_read=reading_of_unsure(line.text, normalise_line(read[position])))
            lines.append(line)
    return lines


def reading_of_unsure(text: str, as_read: str) -> str | None:
    """`as_read` where it is `text` with only `?`s replaced (what OCR read of an unsure amount), else None."""
    if len(as_read) != len(text) or as_read == text:
        return None
    if any(shown != read and shown != "?" for shown, read in zip(text, as_read, strict=True)):
        return None
    return as_read
