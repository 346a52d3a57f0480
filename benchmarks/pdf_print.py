"""Print a text report to PDF the way a word processor would: tables as positioned columns (tests, benchmark).

Tab- and pipe-delimited rows become cells at fixed x positions (label left, note and
amounts right-aligned), so pdfplumber sees a real laid-out page, not our text.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from finsam_pipeline.parse.tables import cells_of
from finsam_pipeline.textnorm import normalise_line

_REPLACEMENTS = {"–": "-", "—": "-", "’": "'", "”": '"', "“": '"', "…": "...", "•": "-", "→": "->", "↑": "^", "↓": "v"}


def _latin1(text: str) -> str:
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", errors="replace").decode("latin-1")


LABEL_WIDTH = 78
VALUE_WIDTHS = (12, 38, 38, 30, 30)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break a label over lines inside its cell, as a word processor's table does."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and pdf.get_string_width(candidate) > width - 2:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current or not lines else lines


def text_to_pdf(text: str, target: Path) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for raw in text.splitlines():
        line = _latin1(normalise_line(raw))
        cells = cells_of(line)
        if cells is None:
            if line.strip():
                pdf.multi_cell(0, 4.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(3)
            continue
        label_lines = _wrap(pdf, cells[0], LABEL_WIDTH)
        pdf.set_x(12)
        pdf.cell(LABEL_WIDTH, 4.5, label_lines[0])
        for value, width in zip(cells[1:], VALUE_WIDTHS, strict=False):
            pdf.cell(width, 4.5, value, align="R")
        pdf.ln(4.5)
        for continuation in label_lines[1:]:
            pdf.set_x(12)
            pdf.cell(LABEL_WIDTH, 4.5, continuation)
            pdf.ln(4.5)
    pdf.output(str(target))
    return target
