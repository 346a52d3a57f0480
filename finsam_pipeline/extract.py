"""Turning a file's bytes into numbered, normalised lines of text, page numbers kept.

Everything that can go wrong with a file itself (empty, binary, wrong encoding,
encrypted, truncated or image-only PDF) is raised here as `ExtractionError` with a
reason a person can act on; the parsers only ever see text.

PDF text is laid out from PDFium's glyph boxes (some 30 times faster than pdfminer),
keeping table columns apart by runs of spaces; pdfplumber's layout mode takes over
for a document PDFium cannot lay out.
"""

from __future__ import annotations

import codecs
import io
import textwrap
from dataclasses import dataclass
from itertools import pairwise

from finsam_pipeline.ingest import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, SourceFile
from finsam_pipeline.textnorm import normalise_line


class ExtractionError(Exception):
    """The file cannot be read as a report; `reason` is shown to operators verbatim."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TextLine:
    line_no: int  # 1-based line in the extracted text
    page: int | None  # 1-based PDF page, None for plain text
    text: str


@dataclass(frozen=True)
class ExtractedText:
    document_id: str
    source_file: str
    sha256: str
    lines: tuple[TextLine, ...]
    page_count: int | None
    encoding: str

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def extract(source: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractedText:
    if source.suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(f"unsupported file type '{source.suffix or '(none)'}': expected .txt, .md or .pdf")
    if not source.content.strip():
        raise ExtractionError("the file is empty")
    if len(source.content) > max_bytes:
        raise ExtractionError(f"the file is {len(source.content):,} bytes, over the limit of {max_bytes:,} bytes")
    if source.suffix == ".pdf":
        pages, encoding = _pdf_pages(source.content), "pdf"
    else:
        text, encoding = decode_text(source.content)
        pages = [(None, text)]
    lines = _number_lines(pages)
    if not any(line.text.strip() for line in lines):
        raise ExtractionError("the file holds no readable text")
    return ExtractedText(
        document_id=source.document_id,
        source_file=source.name,
        sha256=source.sha256,
        lines=tuple(lines),
        page_count=None if source.suffix != ".pdf" else len(pages),
        encoding=encoding,
    )


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
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f") + text.count("\ufffd")
    if control > max(8, len(text) // 200):
        raise ExtractionError("binary content, not text (too many control characters)")
    return text, encoding


def _pdf_pages(content: bytes) -> list[tuple[int | None, str]]:
    """Page texts laid out by x position: PDFium for speed, pdfplumber where PDFium finds no text."""
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
        return _pdfplumber_pages(content)
    return pages


def _pdfium_pages(content: bytes) -> list[tuple[int | None, str]] | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("password-protected PDF: ask the sender for an open copy") from exc
        raise ExtractionError(f"not a readable PDF ({exc})") from exc
    try:
        pages = []
        for number in range(len(document)):
            textpage = document[number].get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count) if count else ""
            glyphs = []
            if len(text) == count:
                for index, char in enumerate(text):
                    if char.strip():
                        left, bottom, right, top = textpage.get_charbox(index, loose=True)
                        glyphs.append((char, left, bottom, right, top))
            elif count:
                return None  # index and text disagree (surrogates): let pdfplumber lay the page out
            pages.append((number + 1, layout_text(glyphs)))
        return pages
    finally:
        document.close()


def layout_text(glyphs: list[tuple[str, float, float, float, float]]) -> str:
    """Lines of text with each glyph near its x position, so table columns stay apart by runs of spaces.

    Words are joined by one space; a gap wider than one and a half characters is padded to
    the column the next glyph stands in, the way pdfplumber's layout mode does it.
    """
    if not glyphs:
        return ""
    widths = sorted(right - left for _, left, _, right, _ in glyphs if right > left)
    heights = sorted(top - bottom for _, _, bottom, _, top in glyphs if top > bottom)
    unit = widths[len(widths) // 2] if widths else 5.0
    height = heights[len(heights) // 2] if heights else 10.0
    margin = min(left for _, left, _, _, _ in glyphs)
    rows: list[list[tuple[str, float, float, float, float]]] = []
    centres: list[float] = []
    for glyph in sorted(glyphs, key=lambda g: (-(g[2] + g[4]) / 2, g[1])):
        centre = (glyph[2] + glyph[4]) / 2
        if rows and abs(centres[-1] - centre) <= height * 0.5:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
            centres.append(centre)
    spacing = sorted(a - b for a, b in pairwise(centres))
    line_gap = spacing[len(spacing) // 2] if spacing else height * 1.2
    lines: list[str] = []
    for index, row in enumerate(rows):
        if index and centres[index - 1] - centres[index] > line_gap * 1.8:
            lines.append("")
        out, previous_right = "", None
        for char, left, _, right, _ in sorted(row, key=lambda g: g[1]):
            if previous_right is not None:
                gap = left - previous_right
                if gap > unit * 1.5:
                    column = round((left - margin) / unit)
                    out += " " * max(2, column - len(out))
                elif gap > unit * 0.25:
                    out += " "
            out += char
            previous_right = right
        lines.append(out.rstrip())
    return "\n".join(lines)


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
    if not any(text.strip() for _, text in pages):
        raise ExtractionError("no text layer: run OCR first")
    return pages


def _page_text(page) -> str:
    """Layout-preserving text, so table columns stay apart by runs of spaces."""
    text = page.extract_text(layout=True) or ""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return textwrap.dedent("\n".join(lines))


def _number_lines(pages: list[tuple[int | None, str]]) -> list[TextLine]:
    lines: list[TextLine] = []
    for page, text in pages:
        for raw in text.splitlines():
            lines.append(TextLine(line_no=len(lines) + 1, page=page, text=normalise_line(raw)))
    return lines
