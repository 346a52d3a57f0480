"""A table line's cells: delimited (pipe, tab) or space-aligned, and whether a line is a table row at all."""

from __future__ import annotations

import re
from functools import lru_cache

from finsam_pipeline.parse.numbers import (
    is_amount_token,
)

NOTE_TOKEN = re.compile(r"^\d{1,2}$")


DATE_OR_YEARS = re.compile(r"^\(?(?:19|20)\d{2}(?:[-–]\d{2}){1,2}\)?[,:]?$|^(?:19|20)\d{2}[-–/](?:19|20)?\d{2}$")


DAMAGED_NUMBER = re.compile(r"\d(?:[:;'’\-–]+|[.,]{2,})\d")  # `7:77`, `306-395`, `311..776`: digits OCR broke


ALIGNED_CELL = re.compile(r"\S+(?:[ \u00a0\u202f\u2009]\S+)*")  # one space, or a thousands space, inside a cell


def cells_of(text: str) -> list[str] | None:
    """Cells of a delimited row (markdown pipes or tabs), None for undelimited text."""
    if "|" not in text and "\t" not in text:
        return None  # most lines: asked of every line by many parsers, answered without copying it
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped[1:-1].split("|")]
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    return None


def is_pipe_row(text: str) -> bool:
    """A row of pipe cells, also one whose end OCR damaged (`| Antal anställda  |  1  |]  1  11  11  ??`)."""
    stripped = text.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


MIN_WRAPPED_LINE = 40  # a line of prose a PDF wrapped is a full line; `Not 3` above `Belopp i tkr` is not


SUM_GOES_ON = re.compile(r"[a-zåäö,]\s+\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?$")  # `… till 13,3` / `mkr.`


@lru_cache(maxsize=100_000)
def is_table_row(text: str) -> bool:
    """A row of a table: delimited or spaced cells ending in an amount, or a row of pipes whatever OCR left of
    its end (`| Antal anställda  |  1  |]  1  11  11  ??`)."""
    if is_pipe_row(text):
        return True
    if re.search(r"\S\s+[-+(]?\d[\d%)]*\s+[-+(]?\d[\d%)]*\s*$", text) and len(split_label(text)[1].split()) >= 2:
        return True  # single-spaced cells (OCR or plain text): a label and at least two amounts
    return bool(re.search(r"[\d?][\d ?]*\s*[|\t]?\s*$", text)) and (cells_of(text) is not None or "  " in text)


def split_label(text: str) -> tuple[str, str]:
    """Separate a row's label from its trailing run of amount tokens."""
    tokens = text.replace("|", " ").split()
    cut = len(tokens)
    while cut > 0 and is_amount_token(tokens[cut - 1]):
        cut -= 1
    label = " ".join(tokens[:cut])
    if cut < len(tokens) and tokens[cut].endswith(")") and not tokens[cut].startswith("(") and _opens(label):
        cut += 1  # `Bidrag från medlemmarna (not 2)`: the `2)` closes the label's own parenthesis
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


def _opens(label: str) -> bool:
    return label.count("(") > label.count(")")
