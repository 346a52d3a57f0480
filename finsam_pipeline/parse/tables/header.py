"""A table's header line read into columns: each column's year, role (outcome, budget, deviation,
opening balance) and unit, from the column's own cell and the margin's title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from finsam_pipeline.parse.tables.cells import ALIGNED_CELL, cells_of
from finsam_pipeline.parse.tables.units import unit_of
from finsam_pipeline.parse.vocabulary import budget_words, label_index, unit_words
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

YEAR = re.compile(
    r"(?<![\d-])(?P<year>(?:19|20)\d{2})(?:-[\d?]{2}-[\d?]{0,2})?"
    r"(?:[ ]?[-–][ ]?(?P<end>(?:19|20)\d{2})-[\d?]{2}-[\d?]{2})?(?![\d?])"
)


# a share column's title (`Andel  Utfall 2018  Utfall 2017`): a column of per cent, never of amounts
SHARE_COLUMN_WORDS = ("andel", "fordelning")

_HEADER_WORDS = frozenset(
    [
        "belopp",
        "i",
        "kr",
        "kronor",
        "tkr",
        "mkr",
        "sek",
        "not",
        "noter",
        "utfall",
        "bokslut",
        "budget",
        "ar",
        "arets",
        "period",
        "jan",
        "dec",
        "helar",
        "per",
        "tom",
        "fom",
        "och",
        *SHARE_COLUMN_WORDS,
    ]
)


PAGE_FURNITURE = re.compile(r"^(sida|sid|page|s)$")


@dataclass(frozen=True)
class TableHeader:
    line: TextLine
    years: tuple[int, ...]
    has_note: bool
    unit: int | None
    delimited_value_cells: tuple[int, ...] | None  # cell indexes of the years (tab/pipe)
    delimited_note_cell: int | None
    year_right_edges: tuple[int, ...]  # character columns where year headers end (aligned text)
    year_left_edges: tuple[int, ...]
    note_right_edge: int | None
    column_kinds: tuple[str, ...] = ()  # per year column: outcome, budget or deviation
    masked_right_edges: tuple[int, ...] = ()  # where header cells OCR could not read end (`2024   ????`): columns

    def kind_of(self, column: int) -> str:
        return self.column_kinds[column] if column < len(self.column_kinds) else "outcome"


def column_kind(text: str) -> str:
    """`outcome`, `budget` or `deviation`: what the words over or beside a year column say it holds."""
    folded = f" {fold(text)} "
    for kind in ("deviation", "budget"):
        if any(f" {word} " in folded for word in budget_words()[kind]):
            return kind
    return "outcome"


def _beside_markers(text: str, markers: Sequence[_ColumnMarker]) -> str:
    """The header line with its column markers blanked."""
    for marker in markers:
        text = text[: marker.start] + " " * (marker.end - marker.start) + text[marker.end :]
    return text


def header_words(rest: str) -> list[str] | None:
    """The words a header prints beside its column markers, or None where they make it no header (digits,
    many words, words of a sentence rather than of a header)."""
    rest_words = fold(rest).split()
    if any(ch.isdigit() for ch in rest) or len(rest_words) > 8:
        return None
    unexpected_words = any(word not in header_line_words() and len(word) > 3 for word in rest_words)
    if unexpected_words and not {"belopp", "not"} & set(rest_words):
        return None
    return rest_words


_LABEL_TITLE = re.compile(r"^\s*\|?\s*([^\d|\t]{2,40}?)(?:\s*[|\t]|\s{2,})")


_MAX_TITLE_WORDS = 4


@cache
def _line_label_words() -> frozenset[str]:
    """Words of the statements' known line labels: a header's label-column title is none of them."""
    return frozenset(
        word for labels in label_index().values() for label in labels for word in label.split() if len(word) > 3
    )


def _without_label_column_title(text: str, first_marker: int, lone_year: bool = False) -> str:
    """The header with the title of its label column blanked (`| Post | 2018 | 2017 |`, `Item    2018  2017`):
    whatever a report calls its label column, it names no amount column. One year alone (`Medlem  2019`) is
    a header only where the rows below show it is none of theirs (`lone_year`, decided by the table reader)."""
    title = _LABEL_TITLE.match(text)
    if title is None or title.end(1) > first_marker or len(title[1].split()) > _MAX_TITLE_WORDS:
        return text
    if set(fold(title[1]).split()) & _line_label_words():
        return text  # `Summa intäkter  2024  2023` (tkr): a line's label, its amounts like years
    years = [int(m["end"] or m["year"]) for m in years_in(text)]
    if (len(years) < 2 and not lone_year) or any(abs(a - b) != 1 for a, b in pairwise(years)):
        return text  # a row of amounts such as `Avskrivningar  2010  1998` (tkr) names no years
    return text[: title.start(1)] + " " * (title.end(1) - title.start(1)) + text[title.end(1) :]


def years_in(text: str) -> list[re.Match[str]]:
    if "19" not in text and "20" not in text:
        return []  # every year begins so: most lines are passed over without running the pattern
    return list(YEAR.finditer(text))


def read_header(line: TextLine, lone_year: bool = False) -> TableHeader | None:
    """The line as a table header, if it names its amount columns and little else.

    A column is named by a year or a date (`2023`, `2023-12-31`, `Utfall 2023`), by the year relative to the
    report (`Innevarande år`, `Föregående år`: years 0 and -1 until the report's year is known), or, beside
    columns named so, by its role alone (`Avvikelse`, `Budget`): such a column is never an outcome.
    """
    if not _names_a_year(line.text):
        return None  # most lines, asked by every table reader: answered from the text, which hashes at once
    return _read_header(line, lone_year)


@lru_cache(maxsize=100_000)
def _names_a_year(text: str) -> bool:
    """Whether a line names a column by a year, a date or a year relative to the report: a header must."""
    return any(m.year is not None for m in _column_markers(text))


@lru_cache(maxsize=100_000)
def _read_header(line: TextLine, lone_year: bool) -> TableHeader | None:
    text = line.text
    markers = _column_markers(text)
    joined = _split_year_joined(text, [m.year for m in markers if m.year])
    if joined != text:
        return read_header(replace(line, text=joined), lone_year)
    rest = _beside_markers(text, markers)
    rest_words = header_words(rest)
    if rest_words is None:
        rest_words = header_words(
            _beside_markers(_without_label_column_title(text, markers[0].start, lone_year), markers)
        )
    if rest_words is None:
        return None
    first_year = next(m.year for m in markers if m.year is not None)
    years = tuple(first_year if m.year is None else m.year for m in markers)
    kinds = tuple(m.kind for m in markers)
    has_note = bool({"not", "noter"} & set(rest_words))
    cells = cells_of(text)
    value_cells = note_cell = None
    if cells is not None:
        value_cells = tuple(i for i, c in enumerate(cells) if _column_markers(c))
        note_cell = next((i for i, c in enumerate(cells) if fold(c) in ("not", "noter")), None)
        per_cell = [_column_markers(cells[i]) for i in value_cells]
        if any(len(found) != 1 for found in per_cell):
            return None  # two years in one cell: not a header we can map to columns
        years = tuple(first_year if found[0].year is None else found[0].year for found in per_cell)
        title_role = column_kind(cells[0]) if value_cells and value_cells[0] > 0 else "outcome"
        kinds = tuple(title_role if found[0].kind == "outcome" else found[0].kind for found in per_cell)
    note_match = re.search(r"\bNot(?:er)?\b", text, flags=re.IGNORECASE)
    return TableHeader(
        line=line,
        years=years,
        has_note=has_note,
        unit=unit_of(rest),
        delimited_value_cells=value_cells,
        delimited_note_cell=note_cell,
        year_right_edges=tuple(m.end for m in markers),
        year_left_edges=tuple(m.start for m in markers),
        note_right_edge=note_match.end() if note_match else None,
        column_kinds=kinds,
        masked_right_edges=tuple(m.end() for m in _MASKED_CELL.finditer(rest)) if cells is None else (),
    )


_SPLIT_YEAR = re.compile(r"(?<=  )(19|20) (\d{2})(?=  |$)")  # a cell `20 17`: a year OCR read with a space inside


def _split_year_joined(text: str, years: Sequence[int]) -> str:
    """The header with a year OCR split in two (`2018    20 17`) read whole, where it is a year or two from one
    the line prints whole: a header's columns are consecutive years. The cell keeps its right edge."""

    def joined(match: re.Match[str]) -> str:
        year = int(match[1] + match[2])
        return f" {year}" if any(0 < abs(year - other) <= 2 for other in years) else match[0]

    return _SPLIT_YEAR.sub(joined, text)


_DAY_BEFORE_YEAR = re.compile(r"(?<!\d)\d{1,2}(?:\.\d{1,2}\.|\s+[A-Za-zÅÄÖåäö]{3,9}\.?\s+)$")


_MASKED_CELL = re.compile(r"(?<!\S)\?{2,}(?!\S)")  # a header cell OCR could not read: a column of no known year


@dataclass(frozen=True)
class _ColumnMarker:
    start: int
    end: int
    year: int | None  # None: a role-only column (`Avvikelse`); 0 / -1: the report's year / the year before
    kind: str  # outcome, budget or deviation


def _column_markers(text: str) -> list[_ColumnMarker]:
    """The phrases of a header line that name amount columns, in order."""
    markers: list[_ColumnMarker] = []
    previous_end = 0
    period_start: tuple[int, str] | None = None
    table_role = "outcome"
    for match in years_in(text):
        day = _DAY_BEFORE_YEAR.search(text, previous_end, match.start())  # `31 dec 2019`, `31.12.2019`
        start = day.start() if day else match.start()
        cells_before = re.split(r" {2,}|[\t|]", text[previous_end:start])
        own_cell = cells_before[-1]  # words of another cell name no role here
        kind = column_kind(own_cell[-14:])
        if not markers and kind == "outcome" and len(cells_before) == 2 and cells_before[0][:1].strip():
            table_role = column_kind(cells_before[0][-14:])  # a title at the margin: `Budget  2025  2026  2027`
        if kind == "outcome" and table_role != "outcome":
            kind = table_role  # the label column's title names the role of every column that names none
        year = int(match["end"] or match["year"])
        if period_start is not None and start - previous_end <= _PERIOD_GAP:
            (start, kind), period_start = period_start, None  # `1.1.2023-31.12.2023`: its last day names the column
            markers.pop()
        elif match["end"] is None and _is_new_year(match.group(), day.group() if day else ""):
            period_start = (start, kind) if _PERIOD_GOES_ON.match(text, match.end()) else None
            if period_start is None and OPENING_WORD.search(own_cell):
                year -= 1  # a balance at 1 January (`IB 2022-01-01`) is the one the year before closed with
        markers.append(_ColumnMarker(start, match.end(), year, kind))
        previous_end = match.end()
    taken = [(m.start, m.end) for m in markers]
    for match in _relative_year_pattern().finditer(text):
        if not any(a < match.end() and match.start() < b for a, b in taken):
            year = 0 if _relative_kind(match.group()) == "current_year" else -1
            markers.append(_ColumnMarker(match.start(), match.end(), year, "outcome"))
    if markers:
        taken = [(m.start, m.end) for m in markers]
        for cell in re.finditer(r"[^\t|]+", text) if cells_of(text) is not None else ALIGNED_CELL.finditer(text):
            phrase = cell.group().strip()
            inside = [b for a, b in taken if a < cell.end() and cell.start() < b]
            if phrase and not inside and column_kind(phrase) in ("budget", "deviation") and len(phrase.split()) <= 3:
                markers.append(_ColumnMarker(cell.start(), cell.end(), None, column_kind(phrase)))
            after = text[max(inside) : cell.end()] if inside else ""
            if after.strip() and column_kind(after.strip()) == "deviation" and len(after.split()) <= 2:
                # `2021 Avvikelse`, one space apart: the deviation names a column of its own (it carries no year)
                start = max(inside) + len(after) - len(after.lstrip())
                markers.append(_ColumnMarker(start, cell.end(), None, "deviation"))
    return sorted(markers, key=lambda m: m.start)


_PERIOD_GOES_ON = re.compile(r"\s*[-–—]{1,2}\s*\d")


_PERIOD_GAP = 4  # characters between a period's first and last day (` -- `)


OPENING_WORD = re.compile(r"(?:^|\s)(?:IB|ingående|ingaende|öppnings\w*|oppnings\w*)(?:\s|$)", re.IGNORECASE)


_NEW_YEAR_DAY = re.compile(r"^(?:0?1\.0?1\.?|0?1\s+jan[a-z]*\.?)$", re.IGNORECASE)


def _is_new_year(date: str, day_before: str) -> bool:
    """`2022-01-01`, `1 januari 2022`, `01.01.2022`: the opening day of a year."""
    return date.endswith("-01-01") or bool(_NEW_YEAR_DAY.match(day_before.strip()))


def _relative_kind(phrase: str) -> str:
    folded = fold(phrase)
    return next(kind for kind in ("current_year", "prior_year") if folded in budget_words()[kind])


@cache
def _relative_year_pattern() -> re.Pattern[str]:
    """`Innevarande år`, `Föregående år`, `Fg år`: a column of the report's year or the one before, any case."""
    letters = {"a": "[aåäAÅÄ]", "o": "[oöOÖ]"}
    phrases = sorted((*budget_words()["current_year"], *budget_words()["prior_year"]), key=len, reverse=True)
    alternatives = [
        r"\.?\s+".join("".join(letters.get(ch, re.escape(ch)) for ch in word) for word in phrase.split())
        for phrase in phrases
    ]
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def with_kinds_from_line_above(header: TableHeader, above: TextLine | None) -> TableHeader:
    """A two-line header: `Budget  Utfall  Utfall` over `2024  2024  2023` marks the budget column."""
    if above is None or any(ch.isdigit() for ch in above.text) or len(above.text.split()) > 10:
        return header
    cells = cells_of(above.text)
    kinds = [header.kind_of(column) for column in range(len(header.years))]  # kinds may be unset: outcome
    if cells is not None and header.delimited_value_cells:
        for column, cell_index in enumerate(header.delimited_value_cells):
            if cell_index < len(cells) and column_kind(cells[cell_index]) != "outcome":
                kinds[column] = column_kind(cells[cell_index])
    elif cells is None:
        for match in ALIGNED_CELL.finditer(above.text):
            kind = column_kind(match.group())
            if kind == "outcome":
                continue
            overlapping = [
                column
                for column, (left, right) in enumerate(
                    zip(header.year_left_edges, header.year_right_edges, strict=True)
                )
                if match.start() < right + 2 and match.end() > left - 2 and header.kind_of(column) == "outcome"
            ]  # a column its own cell names a role (`2021 Avvikelse`) keeps it
            if len(overlapping) == 1:
                kinds[overlapping[0]] = kind
    return replace(header, column_kinds=tuple(kinds))


@cache
def header_vocabulary() -> frozenset[str]:
    """Every word a table header may hold besides dates: column words, units, budget and outcome words."""
    kinds = budget_words()
    phrases = [phrase for phrase, _ in unit_words()]
    column_kinds = ("outcome", "budget", "deviation", "current_year", "prior_year")
    phrases += [word for kind in column_kinds for word in kinds[kind]]
    return _HEADER_WORDS | {word for phrase in phrases for word in phrase.split()}


_BALANCE_DAY_WORDS = frozenset({"ingaende", "utgaende", "balans", "ib", "ub"})  # `Ingående balans` over a date


@cache
def header_line_words() -> frozenset[str]:
    """The header vocabulary (its relative-year words included) and the words naming a balance's day."""
    return header_vocabulary() | _BALANCE_DAY_WORDS
