"""Finding where a report's sections start and end.

Headings are recognised from the vocabulary in `assets/reference/sections.csv`,
tolerant of numbering (`2.`), table-of-contents page numbers and OCR damage
(`Resultatrdkning`). A table of contents names every section too, so callers pick
among candidate regions by what they contain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from finsam_pipeline.parse.similarity import reaches
from finsam_pipeline.parse.vocabulary import heading_qualifiers, section_headings
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\s\d{1,2})*\s+)")
_TRAILING_PAGE = re.compile(r"\s+\d{1,3}$")
_NOTE_HEADING = re.compile(r"^not\s*(\d{1,2})(?!\d)\s*(.*)$")
_MAX_HEADING_WORDS = 8
_UNNUMBERED_NOTE = re.compile(r"^\W*not\s*[-–—:]\s*[^\W\d]", re.IGNORECASE)
_HEADING_RATIO = 0.86
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ][^\t|]{2,90}$")


@dataclass(frozen=True)
class Section:
    name: str
    start: int  # index into the line sequence of the heading
    end: int  # exclusive
    title: str = ""
    note_no: int | None = None


def heading_key(text: str) -> str:
    """Folded heading text without numbering, dot leaders or a ToC page number."""
    key = fold(text)
    key = _NUMBERING.sub("", key)
    return _TRAILING_PAGE.sub("", key).strip()


def heading_core(key: str) -> str:
    """The heading without what may follow it: its period, date, unit or a table header on the same line.

    `resultatrakning for perioden 2023 01 01 2023 12 31` and `balansrakning belopp i tkr` are
    the statements' headings; the words that may trail are listed in `heading_qualifiers.csv`.
    """
    words = key.split()
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in heading_qualifiers()):
        words.pop()
    if words[0] in heading_qualifiers() or words[0].isdigit():
        return key  # only qualifiers: a table header (`Not 2023 2022`), not a heading
    return " ".join(words)


@lru_cache(maxsize=100_000)
def match_heading(text: str) -> str | None:
    """The section a line announces, if it is a heading."""
    if len(text) > 90:
        return None
    key = heading_key(text)
    if not key:
        return None
    note = _NOTE_HEADING.match(key)
    if note and (not note[2] or len(note[2].split()) <= 6) and len(key.split()) <= _MAX_HEADING_WORDS:
        return "note"
    if _UNNUMBERED_NOTE.match(text) and len(key.split()) <= _MAX_HEADING_WORDS:
        return "note"  # `Not – Bidrag från huvudmännen`: it ends what stands above it, though nothing cites it
    key = heading_core(key)
    if len(key.split()) > _MAX_HEADING_WORDS:
        return _generic_heading(text, key)
    for section, targets in _folded_headings():
        for target in targets:
            if section == "notes":
                if key == target:
                    return section
                continue
            if key == target or (len(key) >= 8 and abs(len(key) - len(target)) <= 6 and similar_heading(key, target)):
                return section
    return _generic_heading(text, key)


def _generic_heading(text: str, key: str) -> str | None:
    """A numbered heading (`7 Sammanställning av …`) that ends whatever precedes it."""
    if _NUMBERED_HEADING.match(text) and not re.search(r"\d\s*$", text) and len(key.split()) <= 12:
        return "heading"
    return None


@cache
def _folded_headings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(section, its headings folded), in the vocabulary's order."""
    return tuple((section, tuple(fold(h) for h in headings)) for section, headings in section_headings().items())


def similar_heading(key: str, target: str) -> bool:
    """A heading as OCR may read it: a letter or two misread (`kassafiodesanalys`)."""
    return reaches(key, target, _HEADING_RATIO, autojunk=False)


def note_heading(text: str) -> tuple[int, str] | None:
    key = heading_key(text)
    match = _NOTE_HEADING.match(key)
    if not match or len(text) > 90:
        return None
    # a speck OCR read before `Not` or after the title (`.Not 1 Medlemsavgifter.  -`) is no part of the title
    title = re.sub(r"^[^\w]*Not\s*\d{1,2}\s*[.:]?\s*", "", text.strip(), flags=re.IGNORECASE)
    return int(match[1]), title.rstrip(" .-–—:")


def find_sections(lines: Sequence[TextLine]) -> list[Section]:
    """Every heading occurrence as a section running to the next heading."""
    marks: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        section = match_heading(line.text.strip())
        if section:
            marks.append((index, section))
    sections: list[Section] = []
    for position, (index, name) in enumerate(marks):
        end = marks[position + 1][0] if position + 1 < len(marks) else len(lines)
        if name == "note":
            parsed = note_heading(lines[index].text)
            if parsed is None:
                continue
            sections.append(Section("note", index, end, title=parsed[1], note_no=parsed[0]))
        else:
            sections.append(Section(name, index, end, title=lines[index].text.strip()))
    return sections
