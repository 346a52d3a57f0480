"""Turning a file's bytes into numbered, normalised lines of text, page numbers kept.

Everything that can go wrong with a file itself (empty, binary, wrong encoding,
encrypted or image-only PDF) is raised here as `ExtractionError` with a reason a
person can act on; the parsers only ever see text.
"""

from __future__ import annotations

import codecs
import io
import textwrap
from dataclasses import dataclass

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
