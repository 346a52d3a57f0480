"""Headers printed over more than one line, made one: wrapped fragments joined, and titles stacked
over their years (`Utfall 2023` over `kr`) placed over their columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from finsam_pipeline.parse.tables.cells import ALIGNED_CELL, cells_of, is_pipe_row
from finsam_pipeline.parse.tables.header import (
    OPENING_WORD,
    YEAR,
    header_line_words,
    header_vocabulary,
    header_words,
    read_header,
    years_in,
)
from finsam_pipeline.parse.tables.units import unit_of
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_DATE_FRAGMENT = re.compile(r"^[-–]?(?:(?:19|20)\d{2}(?:-\d{2}){0,2}-?|\d{2}-?|\d)$|^[-–]$")


_CUT_DATE = re.compile(r"(?:19|20)\d{2}-(?:\d{2}-)?$")  # a date cut at a hyphen by a narrow column


_LONE_DAY = re.compile(r"\d{1,2}")


THOUSANDS_GROUP = re.compile(r"\d{3}")


LEADING_GROUP = re.compile(r"\d{3}(?!\d)")  # a line starting the way an amount's further digit group does


AMOUNTS_ONLY = re.compile(r"[-−–+()\d\s]+")


_FULL_DATE_END = re.compile(r"\d{4}-\d{2}-\d{2}$")


_HEADER_BLOCK_MAX_LINES = 6


_DRIFT = 2  # characters a wrapped cell's pieces may stand apart in layout text


@dataclass
class _HeaderColumn:
    start: int
    end: int
    text: str
    starts: list[int]


def is_header_text(text: str) -> bool:
    """Whether every word of a line is a column word (`Innevarande  Föregående`, `Utfall  Budget`, `år  år`)."""
    words = fold(text).split()
    return bool(words) and all(word in header_vocabulary() for word in words)


def _is_header_fragment(phrase: str) -> bool:
    return all(_DATE_FRAGMENT.match(token) or fold(token) in header_vocabulary() for token in phrase.split())


def _join_fragment(text: str, fragment: str) -> str:
    if text.endswith(("-", "–")):
        return text + fragment  # `2023-12-` + `31`
    if _FULL_DATE_END.search(text) and re.match(r"\d{4}-", fragment):
        return f"{text} – {fragment}"  # a period's two dates, wrapped one under the other
    return f"{text} {fragment}"


def _column_for(columns: list[_HeaderColumn], start: int, end: int, text: str) -> _HeaderColumn | None:
    """The column a piece continues: a lone day under a date cut at its hyphen, a date under a date, a word only
    where it overlaps. Printed columns drift a character or two between lines of layout text."""

    def drift(column: _HeaderColumn) -> int:
        return min(abs(column.start - start), abs(column.end - end))

    def overlaps(column: _HeaderColumn) -> bool:
        return start < column.end and end > column.start

    def words_only(column: _HeaderColumn) -> bool:
        return not any(ch.isdigit() for ch in column.text)

    if re.fullmatch(r"\d{1,2}", text):  # the day of a date cut at its hyphen
        candidates = [c for c in columns if c.text.endswith(("-", "–")) and drift(c) <= _DRIFT]
    elif re.match(r"[-–]?\d{4}", text):  # a date under its first part, under a period's first date, under a word
        candidates = [c for c in columns if (drift(c) <= _DRIFT or overlaps(c)) and not c.text.endswith(("-", "–"))]
        candidates += [c for c in columns if c.text.endswith(("-", "–")) and drift(c) <= _DRIFT]
    else:  # a word continues only words (`Utfall` over `2023` yes; a date over `Not` is another column)
        candidates = [c for c in columns if words_only(c) and overlaps(c)]
    return min(candidates, key=drift) if candidates else None


def join_wrapped_header(lines: Sequence[TextLine]) -> list[TextLine]:
    """A table header whose cells wrapped over several lines (`2023-01-01 -2023-12-` over `31`, as narrow
    columns of a word processor print it) joined into one header line, column by column.

    Only where a date was cut at a hyphen, every line of the block is header words and date pieces, and a
    lone day stands under a cut date (any other small number is an amount: the header ended above it).
    Each column's pieces are joined top to bottom and the column keeps its place, so the amounts below
    still fall under it. Anything else is returned as it is.
    """
    block: list[int] = []
    columns: list[_HeaderColumn] = []
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        if "\t" in line.text or "|" in line.text or len(block) >= _HEADER_BLOCK_MAX_LINES:
            break  # delimited cells do not wrap into the next line
        phrases = list(ALIGNED_CELL.finditer(line.text))
        if not all(_is_header_fragment(m.group()) for m in phrases):
            break
        targets = [_column_for(columns, m.start(), m.end(), m.group()) for m in phrases]
        if any(t is None and _LONE_DAY.fullmatch(m.group()) for t, m in zip(targets, phrases, strict=True)):
            break  # a small number under no cut date: an amount, so the header ended above
        for target, match in zip(targets, phrases, strict=True):
            if target is None:
                columns.append(_HeaderColumn(match.start(), match.end(), match.group(), [match.start()]))
            else:
                target.text = _join_fragment(target.text, match.group())
                target.start, target.end = min(target.start, match.start()), max(target.end, match.end())
                target.starts.append(match.start())
        block.append(index)
    cut = [i for i in block for m in ALIGNED_CELL.finditer(lines[i].text) if _CUT_DATE.search(m.group())]
    if len(block) < 2 or not cut or cut[-1] == block[-1]:
        return list(lines)  # a date cut on the block's last line goes on nowhere (`2023-` under a header): no header
    merged = ""
    for column in sorted(columns, key=lambda c: c.start):
        text = column.text
        years = years_in(text)
        if len(years) == 1:  # the column as its year (the period's end), in the words it was headed with
            words = YEAR.sub(" ", text).split()
            text = " ".join([*(w for w in words if not _DATE_FRAGMENT.match(w)), years[0]["end"] or years[0]["year"]])
            left_aligned = max(column.starts) - min(column.starts) <= _DRIFT
            position = column.start if left_aligned else column.end - len(text)
        else:
            position = column.start
        merged += " " * (max(position - len(merged), 2 if merged else 0)) + text
    first = block[0]
    joined = [replace(line, text="") if i in block else line for i, line in enumerate(lines)]
    joined[first] = replace(lines[first], text=merged)
    return joined


def with_stacked_headers(lines: Sequence[TextLine]) -> list[TextLine]:
    """Space-aligned headers whose cells wrap over two lines (`Utfall 2023` printed over the `kr` of its column,
    the other columns' `Utfall 2024 kr` on the lower line) as one header line: each upper cell joins the lower
    cell it stands over. The upper line is then blank, so neither is read twice."""
    out = list(lines)
    merged_at: set[int] = set()
    for index in range(1, len(lines)):
        upper = index - 1
        between = out[upper].text
        if upper > 0 and (_is_separator_row(between) or (not between.strip() and is_pipe_row(lines[index].text))):
            upper -= 1  # a markdown table's `|---|` (or the blank left of it) under its first header row
        above, below = out[upper], lines[index]
        if _is_separator_row(below.text):
            continue
        merged = (None if upper in merged_at else _stacked_cells(above.text, below.text)) or _stacked(
            above.text, below.text
        )  # a merged delimited header takes no further row; space-aligned fragments may stack three deep
        if merged is not None:
            out[upper] = replace(above, text="")
            out[index] = replace(below, text=merged)
            merged_at.add(index)
        elif index + 1 < len(lines) and (words := _stacked(above.text, below.text, words_only=True)):
            # `Ingående` / `balans` / `2021-01-01`: two lines of words stacked over the line of their years
            merged = _stacked(words, lines[index + 1].text)
            if merged is not None:
                out[upper], out[index] = replace(above, text=""), replace(below, text="")
                out[index + 1] = replace(lines[index + 1], text=merged)
                merged_at.add(index + 1)
    return out


_SEPARATOR_ROW = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


def _is_separator_row(text: str) -> bool:
    """A markdown table's `|---|---|` row: the pattern only where its run of dashes stands (twice every line)."""
    return "---" in text and _SEPARATOR_ROW.match(text) is not None


def _stacked_cells(upper: str, lower: str) -> str | None:
    """Delimited headers over two rows (`|  |  | 2023-12-31 |  |` over `|  | Not | tkr | 2022-12-31 tkr |`):
    cell by cell, where no column is named by a year in both."""
    top, bottom = cells_of(upper), cells_of(lower)
    if top is None or bottom is None or len(top) > len(bottom) or not years_in(upper):
        return None
    top = top + [""] * (len(bottom) - len(top))  # trailing empty cells are lost with the line's end
    if any(years_in(a) and years_in(b) for a, b in zip(top, bottom, strict=True)):
        return None
    if any(ch.isdigit() for ch in YEAR.sub("", upper)):
        return None
    if any(header_words(YEAR.sub(" ", cell)) is None for cell in [*top, *bottom]):
        return None  # a row label or words of a sentence: not a header's second row
    below = read_header(TextLine(0, None, lower))
    cells = [f"{a} {b}".strip() for a, b in zip(top, bottom, strict=True)]
    text = "| " + " | ".join(cells) + " |" if upper.strip().startswith("|") else "\t".join(cells)
    header = read_header(TextLine(0, None, text))
    if header is None or (below is not None and len(header.years) <= len(below.years)):
        return None
    return text


_MIN_INDENT = 8  # an upper header line carries no row label at the left margin


def _stacked(upper: str, lower: str, words_only: bool = False) -> str | None:
    """`upper`'s cells joined to the cells of `lower` they stand over, or set beside them where they stand over
    none; None unless that makes a header naming more columns (or periods) than `lower` alone. With
    `words_only`, two lines of header words without years joined so, for the line of years below them."""
    if len(upper) - len(upper.lstrip()) < _MIN_INDENT:
        return None  # most lines, asked twice each: the cheapest test first
    if not upper.strip() or "\t" in upper + lower or "|" in upper + lower or not _is_header_words_line(upper):
        return None
    below = read_header(TextLine(0, None, lower))
    if below is None and not _is_header_words_line(lower):
        return None
    if words_only and (below is not None or years_in(upper) or years_in(lower)):
        return None
    cells = [(m.start(), m.end(), m.group()) for m in ALIGNED_CELL.finditer(lower)]
    merged = list(lower)
    units_moved: list[str] = []
    tops = list(ALIGNED_CELL.finditer(upper))
    placed_end = 0
    for position, top in enumerate(tops):
        next_top = tops[position + 1].start() - 1 if position + 1 < len(tops) else 10_000
        under = [i for i, (start, end, _) in enumerate(cells) if start < top.end() and top.start() < end]
        if not under:
            at, joined = top.start(), top.group()  # a column only the upper line names
            if any(s - 2 < at + len(joined) and at < e + 2 for s, e, _ in cells):
                return None
        elif len(under) == 1:
            placed = _placed(top, cells, under[0], units_moved, (placed_end + 1, next_top))
            if placed is None:
                return None
            at, joined = placed
            start, end, _ = cells[under[0]]
            merged[start:end] = " " * (end - start)
        else:
            return None
        merged += " " * max(0, at + len(joined) - len(merged))
        merged[at : at + len(joined)] = joined
        placed_end = at + len(joined)
    text = "".join(merged).rstrip() + "".join(f"  {unit}" for unit in dict.fromkeys(units_moved))
    if words_only:
        return text
    header = read_header(TextLine(0, None, text))
    before = len(below.years) if below is not None else 0
    if header is None or len(header.years) < before:
        return None
    periods = sum(1 for m in years_in(text) if m["end"]) > sum(1 for m in years_in(lower) if m["end"])
    changed = below is not None and (header.years, header.column_kinds) != (below.years, below.column_kinds)
    return text if len(header.years) > before or periods or changed else None  # `Ingående balans` over its date


def _placed(
    top: re.Match[str],
    cells: list[tuple[int, int, str]],
    index: int,
    units_moved: list[str],
    free: tuple[int, int],
) -> tuple[int, str] | None:
    """Where the upper cell joined to the lower cell it stands over goes: right-aligned on the lower cell (amounts
    are), else left-aligned; where neither fits and the lower cell is a unit (`SEK`, `kr`), the upper cell takes
    its own place and the unit moves to the line's end."""
    start, end, text = cells[index]
    joined = f"{top.group()} {text}"
    if years_in(top.group()) and years_in(text) and not any(m["end"] for m in years_in(joined)):
        return None  # a year over a year is two headers, unless they make one period (`2021-01-01` `–2021-12-31`)
    left_bound = max(cells[index - 1][1] + 2 if index > 0 else 0, free[0])
    right_bound = min(cells[index + 1][0] - 2 if index + 1 < len(cells) else 10_000, free[1])
    if top.start() <= start and end <= top.end() and top.start() + len(joined) <= right_bound:
        return top.start(), joined  # a word wrapped under its cell (`Föregående` over `år`)
    if end - len(joined) >= left_bound:
        return end - len(joined), joined
    if unit_of(text) is not None and top.start() >= left_bound and top.end() <= right_bound:
        units_moved.append(text)
        return top.start(), top.group()
    if start + len(joined) <= right_bound:
        return start, joined
    short = _balance_day_short_form(top.group())
    if short is not None and end - len(f"{short} {text}") >= left_bound:
        return end - len(f"{short} {text}"), f"{short} {text}"
    return None


_CLOSING_BALANCE = re.compile(r"\b(?:utgående|utgaende)\b", re.IGNORECASE)


def _balance_day_short_form(words: str) -> str | None:
    """`Ingående balans` / `Utgående balans` as `IB` / `UB`, for a column too narrow to hold the words beside
    its date: the short form says the same (the balance the year opened or closed with)."""
    if OPENING_WORD.search(words):  # the header's own opening-balance words
        return "IB"
    if _CLOSING_BALANCE.search(words):
        return "UB"
    return None


def _is_header_words_line(text: str) -> bool:
    """A line of a header's words only (`Föregående`, `år`, `Utfall 2023`, `Not   SEK   SEK`): no amounts, few
    words, each a column, unit or year word."""
    plain = YEAR.sub(" ", text)
    if any(ch.isdigit() for ch in plain) or len(plain.split()) > 6:
        return False
    words = fold(plain).split()
    return bool(words or years_in(text)) and all(word in header_line_words() or len(word) <= 3 for word in words)
