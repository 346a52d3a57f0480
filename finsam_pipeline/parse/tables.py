"""Reading a financial table out of lines of text by general rules.

A table is a header naming its year columns (`2023`, `2023-12-31`,
`2023-01-01 -2023-12-31`, on one or two lines), with an optional note column and a
unit (`Belopp i kr`, `tkr`), followed by rows: a label, maybe a note number, and one
amount per year. Rows come as tab cells, markdown pipes, aligned runs of spaces
(PDF text) or single-spaced OCR text whose cell borders are gone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from fractions import Fraction
from functools import cache, lru_cache
from itertools import pairwise

from finsam_pipeline.parse.numbers import (
    AmbiguousAmounts,
    NumberParseError,
    UnreadableAmount,
    candidate_readings,
    is_amount_token,
    parse_decimal_amount,
    plain_thousands,
    split_amounts,
)
from finsam_pipeline.parse.vocabulary import budget_words, label_index, unit_phrase_words, unit_words
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_YEAR = re.compile(
    r"(?<![\d-])(?P<year>(?:19|20)\d{2})(?:-[\d?]{2}-[\d?]{0,2})?"
    r"(?:[ ]?[-–][ ]?(?P<end>(?:19|20)\d{2})-[\d?]{2}-[\d?]{2})?(?![\d?])"
)
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
    ]
)
_NOTE_TOKEN = re.compile(r"^\d{1,2}$")
_DATE_OR_YEARS = re.compile(r"^\(?(?:19|20)\d{2}(?:[-–]\d{2}){1,2}\)?[,:]?$|^(?:19|20)\d{2}[-–/](?:19|20)?\d{2}$")
_DAMAGED_NUMBER = re.compile(r"\d(?:[:;'’\-–]+|[.,]{2,})\d")  # `7:77`, `306-395`, `311..776`: digits OCR broke
_ALIGNED_CELL = re.compile(r"\S+(?:[ \u00a0\u202f\u2009]\S+)*")  # one space, or a thousands space, inside a cell
_PAGE_FURNITURE = re.compile(r"^(sida|sid|page|s)$")


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

    def kind_of(self, column: int) -> str:
        return self.column_kinds[column] if column < len(self.column_kinds) else "outcome"


@dataclass
class TableRow:
    label: str
    line: TextLine
    values: tuple[Fraction | int | None, ...] | None = None  # one per header year, in the table's unit
    note: int | None = None
    problem: str | None = None  # why the amounts were left out
    amount_text: str | None = None  # the undelimited amount tokens, kept for verification by a total
    unreadable_columns: tuple[int, ...] = ()  # columns whose digits were masked: unknown, the others stand
    dashed_columns: tuple[int, ...] = ()  # columns printed as a dash (`–`): nothing, which a statement reads as 0

    @property
    def has_values(self) -> bool:
        return self.values is not None and any(v is not None for v in self.values)


def cells_of(text: str) -> list[str] | None:
    """Cells of a delimited row (markdown pipes or tabs), None for undelimited text."""
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


def unit_of(text: str) -> int | None:
    """The unit a text names (`tkr`, `(Mkr)`, `Belopp i tusental kronor`), longest phrase first."""
    folded = f" {fold(text)} "
    for phrase, factor in unit_words():
        if f" {phrase} " in folded:
            return factor
    return None


_QUANTITY = r"(?<![\w,.])(?!(?:19|20)\d{2}\b)\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:[.,]\d+)?\s*"


def declared_unit(text: str) -> int | None:
    """The unit a caption declares; an amount given in a unit (`med 1 280 tkr`) declares none.

    Prose wrapped above a table in a PDF reads like a caption; `50 tkr` there is a sum of
    money, not the table's unit, while `Belopp i tkr`, `(tkr)` or `Budget 2025 tkr` are.
    """
    folded = f" {fold(text)} "
    for phrase, _ in unit_words():
        folded = re.sub(_QUANTITY + re.escape(phrase) + r"(?= )", " ", folded)
    return unit_of(folded)


def stated_unit(text: str) -> int | None:
    """The unit of a line that says nothing but the unit (`Alla belopp i tkr`, `(tkr)`, `Belopp i kronor`), or of a
    sentence about the amounts that names no amount (`Samtliga belopp i de finansiella rapporterna anges i
    tusentals kronor (tkr) om inte annat anges.`)."""
    if _unit_sentence(text) and len(text) <= 240:
        return declared_unit(text)
    if len(text) > 80:
        return None
    unit = unit_of(text)
    if unit is None:
        return None
    folded = f" {fold(text)} "
    for phrase, _ in unit_words():
        folded = folded.replace(f" {phrase} ", " ")
    return unit if all(word in unit_phrase_words() for word in folded.split()) else None


def _unit_sentence(text: str) -> bool:
    """A sentence about the report's amounts (`Samtliga belopp …`, `Belopp i resultaträkning … redovisas i`)
    that names no amount itself."""
    words = fold(text).split()
    return (
        len(words) >= 6
        and cells_of(text) is None
        and "  " not in text.strip()  # a sentence, not a table header's cells (`Belopp tkr   Utfall jan-dec  …`)
        and words[0] in unit_phrase_words()
        and any(w.startswith("belopp") for w in words)
        and not any(ch.isdigit() for ch in text)
    )


def running_units(lines: Sequence[TextLine]) -> list[int | None]:
    """The unit in force at each line: set by a line that states only a unit, until another does.

    `Alla belopp i tkr` at the top of the financial part applies to every table after it
    that states no unit of its own; a unit line right under a table is that table's own.
    """
    units: list[int | None] = []
    current: int | None = None
    previous = ""
    for index, line in enumerate(lines):
        text = line.text.strip()
        stated = stated_unit(text) if text else None
        following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if stated is None and text and following and not text.endswith(".") and _unit_sentence(text):
            stated = stated_unit(f"{text} {following}")  # a sentence about the amounts wrapped before its unit
        wrapped_sum = len(previous) >= _MIN_WRAPPED_LINE and _SUM_GOES_ON.search(previous)
        if stated is not None and wrapped_sum and not _is_table_row(previous):
            stated = None  # a sentence a PDF wrapped before its unit (`… uppgick till 6 336` / `tkr.`): a sum
        if stated is not None and not _is_table_row(previous):
            current = stated  # a unit line right under a table (`Beloppen står i tkr`) belongs to that table
        units.append(current)
        previous = text or previous
    return units


_MIN_WRAPPED_LINE = 40  # a line of prose a PDF wrapped is a full line; `Not 3` above `Belopp i tkr` is not
_SUM_GOES_ON = re.compile(r"[a-zåäö,]\s+\d{1,3}(?:[ \u00a0\u202f]\d{3})*$")


def _is_table_row(text: str) -> bool:
    """A row of a table: delimited or spaced cells ending in an amount, or a row of pipes whatever OCR left of
    its end (`| Antal anställda  |  1  |]  1  11  11  ??`)."""
    if is_pipe_row(text):
        return True
    if re.search(r"\S\s+[-+(]?\d[\d%)]*\s+[-+(]?\d[\d%)]*\s*$", text) and len(split_label(text)[1].split()) >= 2:
        return True  # single-spaced cells (OCR or plain text): a label and at least two amounts
    return bool(re.search(r"[\d?][\d ?]*\s*[|\t]?\s*$", text)) and (cells_of(text) is not None or "  " in text)


def section_table_lines(lines: Sequence[TextLine], start: int, end: int) -> list[TextLine]:
    """The lines under the heading at `start`; a heading that carries the table header on its own line
    (`Resultaträkning   Not   2023   2022`) gives that header, with the heading's words blanked out."""
    heading = lines[start]
    body = list(lines[start + 1 : end])
    cells = cells_of(heading.text)
    if cells is not None and len(cells) > 1 and _years_in("\t".join(cells[1:])):
        delimiter = "\t" if "\t" in heading.text else " | "
        text = delimiter.join(["", *cells[1:]])
        return [replace(heading, text=f"| {text.strip(' |')} |" if delimiter != "\t" else text), *body]
    gap = re.search(r"\S(\s{2,})(?=\S)", heading.text)
    if gap and _years_in(heading.text[gap.end() :]):
        return [replace(heading, text=" " * gap.end() + heading.text[gap.end() :]), *body]
    return body


def section_unit(lines: Sequence[TextLine], start: int, units: Sequence[int | None]) -> int:
    """The unit a table under the heading at `start` has when it states none: the heading's, else the running one."""
    return unit_of(lines[start].text) or units[start] or 1


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


def _header_words(rest: str) -> list[str] | None:
    """The words a header prints beside its column markers, or None where they make it no header (digits,
    many words, words of a sentence rather than of a header)."""
    rest_words = fold(rest).split()
    if any(ch.isdigit() for ch in rest) or len(rest_words) > 8:
        return None
    unexpected_words = any(word not in _header_line_words() and len(word) > 3 for word in rest_words)
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


def _without_label_column_title(text: str, first_marker: int) -> str:
    """The header with the title of its label column blanked (`| Post | 2018 | 2017 |`, `Item    2018  2017`):
    whatever a report calls its label column, it names no amount column."""
    title = _LABEL_TITLE.match(text)
    if title is None or title.end(1) > first_marker or len(title[1].split()) > _MAX_TITLE_WORDS:
        return text
    if set(fold(title[1]).split()) & _line_label_words():
        return text  # `Summa intäkter  2024  2023` (tkr): a line's label, its amounts like years
    years = [int(m["end"] or m["year"]) for m in _years_in(text)]
    if len(years) < 2 or any(abs(a - b) != 1 for a, b in pairwise(years)):
        return text  # a row of amounts such as `Avskrivningar  2010  1998` (tkr) names no years
    return text[: title.start(1)] + " " * (title.end(1) - title.start(1)) + text[title.end(1) :]


def _years_in(text: str) -> list[re.Match[str]]:
    return list(_YEAR.finditer(text))


@lru_cache(maxsize=100_000)
def read_header(line: TextLine) -> TableHeader | None:
    """The line as a table header, if it names its amount columns and little else.

    A column is named by a year or a date (`2023`, `2023-12-31`, `Utfall 2023`), by the year relative to the
    report (`Innevarande år`, `Föregående år`: years 0 and -1 until the report's year is known), or, beside
    columns named so, by its role alone (`Avvikelse`, `Budget`): such a column is never an outcome.
    """
    text = line.text
    markers = _column_markers(text)
    if not any(m.year is not None for m in markers):
        return None
    rest = _beside_markers(text, markers)
    rest_words = _header_words(rest)
    if rest_words is None:
        rest_words = _header_words(_beside_markers(_without_label_column_title(text, markers[0].start), markers))
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
    )


_DAY_BEFORE_YEAR = re.compile(r"(?<!\d)\d{1,2}(?:\.\d{1,2}\.|\s+[A-Za-zÅÄÖåäö]{3,9}\.?\s+)$")


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
    for match in _years_in(text):
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
            if period_start is None and _OPENING_WORD.search(own_cell):
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
        for cell in re.finditer(r"[^\t|]+", text) if cells_of(text) is not None else _ALIGNED_CELL.finditer(text):
            phrase = cell.group().strip()
            inside = any(a < cell.end() and cell.start() < b for a, b in taken)
            if phrase and not inside and column_kind(phrase) in ("budget", "deviation") and len(phrase.split()) <= 3:
                markers.append(_ColumnMarker(cell.start(), cell.end(), None, column_kind(phrase)))
    return sorted(markers, key=lambda m: m.start)


_PERIOD_GOES_ON = re.compile(r"\s*[-–—]{1,2}\s*\d")
_PERIOD_GAP = 4  # characters between a period's first and last day (` -- `)
_OPENING_WORD = re.compile(r"(?:^|\s)(?:IB|ingående|ingaende|öppnings\w*|oppnings\w*)(?:\s|$)", re.IGNORECASE)
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
    kinds = list(header.column_kinds)
    if cells is not None and header.delimited_value_cells:
        for column, cell_index in enumerate(header.delimited_value_cells):
            if cell_index < len(cells) and column_kind(cells[cell_index]) != "outcome":
                kinds[column] = column_kind(cells[cell_index])
    elif cells is None:
        for match in _ALIGNED_CELL.finditer(above.text):
            kind = column_kind(match.group())
            if kind == "outcome":
                continue
            overlapping = [
                column
                for column, (left, right) in enumerate(
                    zip(header.year_left_edges, header.year_right_edges, strict=True)
                )
                if match.start() < right + 2 and match.end() > left - 2
            ]
            if len(overlapping) == 1:
                kinds[overlapping[0]] = kind
    return replace(header, column_kinds=tuple(kinds))


def words_match(label: str, title: str) -> bool:
    """A statement label and a note title speak of the same thing (OCR-tolerant)."""
    label_words = [w for w in fold(label).split() if len(w) >= 4]
    title_words = [w for w in fold(title).split() if len(w) >= 4]
    if not label_words or not title_words:
        return False

    def near(word: str, others: list[str]) -> bool:
        return any(word in o or SequenceMatcher(None, word, o).ratio() >= 0.8 for o in others)

    return all(near(w, label_words) for w in title_words) or all(near(w, title_words) for w in label_words)


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


_RULE_BETWEEN = re.compile(r"(?<=\d) \| (?=[-–(]?\d)")


def read_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    line = replace(line, text=plain_thousands(line.text))  # same length: aligned columns stay where they were
    if "\t" not in line.text and not is_pipe_row(line.text):
        line = replace(line, text=_RULE_BETWEEN.sub("   ", line.text))  # a table's rule OCR read as `|`
    cells = cells_of(line.text)
    if cells is not None and header.delimited_value_cells:
        return _delimited_row(line, cells, header)
    if re.search(r"\S {2,}(?:[-+–(]?\d|[-–—](?= {2,}|$))", line.text.strip()):  # an amount or a dash cell
        row = _aligned_row(line, header, note_titles)
    else:
        row = _ocr_row(line, header, note_titles)
    damaged = next(
        (word for word in row.label.split() if _DAMAGED_NUMBER.search(word) and not _DATE_OR_YEARS.match(word)),
        None,
    )
    if damaged is not None and (row.has_values or row.problem):
        # `Summa skulder  1 7:77 335  1 103 855`: an amount OCR damaged reads as the label's last word, and the
        # amounts after it stand in the wrong columns
        row.label = split_label(row.label[: row.label.index(damaged)])[0]
        row.values, row.problem = None, f"an amount could not be read ('{damaged}')"
    return row


def _delimited_row(line: TextLine, cells: list[str], header: TableHeader) -> TableRow:
    first_value = min(header.delimited_value_cells or (len(cells),))
    label_cells = [c for i, c in enumerate(cells[:first_value]) if i != header.delimited_note_cell and c]
    row = TableRow(label=" ".join(label_cells), line=line)
    if header.delimited_note_cell is not None and header.delimited_note_cell < len(cells):
        note = cells[header.delimited_note_cell]
        row.note = int(note) if _NOTE_TOKEN.match(note) else None
    try:
        values = tuple(
            parse_decimal_amount(cells[i]) if i < len(cells) else None for i in header.delimited_value_cells or ()
        )
    except NumberParseError as exc:
        if not any(ch.isdigit() for ch in line.text):
            return row
        row.problem = str(exc)
        return row
    row.values = values if any(v is not None for v in values) else None
    row.dashed_columns = tuple(
        column
        for column, i in enumerate(header.delimited_value_cells or ())
        if i < len(cells) and _DASH.fullmatch(cells[i])
    )
    return row


_DASH = re.compile(r"\s*[-–—]\s*")


def _aligned_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    """Runs of spaces separate cells; each amount goes to the year column it ends under."""
    spans = [(m.group(), m.start(), m.end()) for m in _ALIGNED_CELL.finditer(line.text)]
    label_parts: list[str] = []
    amounts: list[tuple[str, int]] = []
    for text, _start, end in spans:
        label_text, tail = split_label(text)
        if label_text and not amounts:
            label_parts.append(label_text)
            if tail:
                amounts.append((tail, end))
        elif not label_text:
            amounts.append((text, end))
        else:
            return TableRow(label=" ".join(label_parts), line=line, problem=f"text among amounts: {text!r}")
    row = TableRow(label=" ".join(label_parts), line=line)
    if not amounts:
        return row
    if header.has_note and amounts and _NOTE_TOKEN.match(amounts[0][0]):
        ends = header.year_right_edges
        note_edge = header.note_right_edge
        nearest_note = note_edge is not None and abs(amounts[0][1] - note_edge) < min(
            abs(amounts[0][1] - e) for e in ends
        )
        one_more = len(amounts) == len(header.years) + 1
        known_note = int(amounts[0][0]) in note_titles
        # a note number: a known note under the Not column or in the extra cell, or one cell too many under it
        if (known_note and (nearest_note or one_more)) or (nearest_note and one_more):
            row.note = int(amounts[0][0])
            amounts = amounts[1:]
    elif len(amounts) == len(header.years) + 1 and _NOTE_TOKEN.match(amounts[0][0]):
        # `4   338 155   640 693` under a header whose `Not` was not read: a note and two amounts, or an amount
        # whose first digit group stands off? A known note settles it; otherwise nothing tells them apart.
        if int(amounts[0][0]) not in note_titles:
            row.problem = f"{amounts[0][0]!r} before the amounts may be a note number or an amount's first digits"
            return row
        row.note = int(amounts[0][0])
        amounts = amounts[1:]
    values: list[int | None] = [None] * len(header.years)
    label_end = spans[0][2] if label_parts else 0
    try:
        if len(amounts) == len(header.years):
            values = [_cell_value(row, column, text) for column, (text, _) in enumerate(amounts)]
            row.dashed_columns = tuple(column for column, (text, _) in enumerate(amounts) if _DASH.fullmatch(text))
        elif len(amounts) == 1 and not _one_amount(amounts[0][0]):
            # every amount in one cell, set too close for a gap to show (`1 232 085 2 003 147`): the thousands
            # groups alone must part them, in exactly one way
            values = split_amounts(amounts[0][0], len(header.years))
        elif len(amounts) < len(header.years) and len(header.year_right_edges) == len(header.years):
            if label_end >= min(header.year_left_edges):
                raise AmbiguousAmounts("the label runs into the amount columns: which columns are empty is unknown")
            for text, end in amounts:
                column = _nearest(end, header.year_right_edges)
                if values[column] is not None:
                    raise AmbiguousAmounts(f"two amounts under the {header.years[column]} column")
                values[column] = _cell_value(row, column, text)
        else:
            values = split_amounts(" ".join(text for text, _ in amounts), len(header.years))
    except NumberParseError as exc:
        row.problem = str(exc)
        return row
    row.values = tuple(values) if any(v is not None for v in values) else None
    return row


def _one_amount(text: str) -> bool:
    """Whether a cell reads as one amount (or one OCR could not read)."""
    try:
        parse_decimal_amount(text)
    except UnreadableAmount:
        return True
    except NumberParseError:
        return False
    return True


def _cell_value(row: TableRow, column: int, text: str) -> Fraction | None:
    """One column's amount; a masked cell leaves that column unknown and is remembered on the row."""
    try:
        return parse_decimal_amount(text)
    except UnreadableAmount:
        row.unreadable_columns = (*row.unreadable_columns, column)
        return None


def _nearest(position: int, edges: Sequence[int]) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - position))


def _ocr_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    label, tail = split_label(line.text)
    row = TableRow(label=label, line=line)
    if not tail:
        return row
    columns = len(header.years)
    tokens = tail.split()
    readings: list[tuple[int | None, list[int | None]]] = []
    errors: list[str] = []
    note_options: list[int | None] = [None]
    if header.has_note and len(tokens) > 1 and _NOTE_TOKEN.match(tokens[0]) and int(tokens[0]) in note_titles:
        note = int(tokens[0])
        # A matching note title settles it; otherwise both readings are tried and must not both succeed.
        note_options = [note] if words_match(label, note_titles[note]) else [note, None]
    for note in note_options:
        amount_text = " ".join(tokens[1:]) if note is not None else tail
        row.amount_text = amount_text
        try:
            readings.append((note, split_amounts(amount_text, columns)))
        except NumberParseError as exc:
            errors.append(str(exc))
    if len(readings) == 1:
        row.note, values = readings[0]
        row.values = tuple(values) if any(v is not None for v in values) else None
    elif len(readings) > 1:
        row.problem = f"'{tail}' reads both with and without note {tokens[0]}: left out"
    else:
        row.problem = errors[-1]
    return row


def is_total_label(label: str) -> bool:
    return fold(label).startswith(("summa", "totalt", "total", "totala"))


def resolve_by_totals(rows: list[TableRow], columns: int) -> None:
    """Settle an ambiguous OCR row by the Summa row that closes its block, if exactly one reading adds up.

    The report's own total decides, column by column; where no reading or several
    readings add up, the row stays left out.
    """
    block: list[TableRow] = []
    for row in rows:
        if not is_total_label(row.label) or not row.has_values:
            block.append(row)
            continue
        unsettled = [r for r in block if r.problem and r.amount_text]
        if len(unsettled) == 1:
            known = [r.values for r in block if r.has_values and r.values]
            sums = [sum(v[i] or 0 for v in known) for i in range(columns)]
            totals = row.values or ()
            fits = [
                reading
                for reading in candidate_readings(unsettled[0].amount_text or "", columns)
                if all(totals[i] is None or sums[i] + (reading[i] or 0) == totals[i] for i in range(columns))
            ]
            if len(fits) == 1:
                unsettled[0].values, unsettled[0].problem = tuple(fits[0]), None
        block = []


_DATE_FRAGMENT = re.compile(r"^[-–]?(?:(?:19|20)\d{2}(?:-\d{2}){0,2}-?|\d{2}-?|\d)$|^[-–]$")
_CUT_DATE = re.compile(r"(?:19|20)\d{2}-(?:\d{2}-)?$")  # a date cut at a hyphen by a narrow column
_LONE_DAY = re.compile(r"\d{1,2}")
_THOUSANDS_GROUP = re.compile(r"\d{3}")
_LEADING_GROUP = re.compile(r"\d{3}(?!\d)")  # a line starting the way an amount's further digit group does
_AMOUNTS_ONLY = re.compile(r"[-−–+()\d\s]+")
_FULL_DATE_END = re.compile(r"\d{4}-\d{2}-\d{2}$")
_HEADER_BLOCK_MAX_LINES = 6
_DRIFT = 2  # characters a wrapped cell's pieces may stand apart in layout text


@dataclass
class _HeaderColumn:
    start: int
    end: int
    text: str
    starts: list[int]


@cache
def _header_vocabulary() -> frozenset[str]:
    """Every word a table header may hold besides dates: column words, units, budget and outcome words."""
    kinds = budget_words()
    phrases = [phrase for phrase, _ in unit_words()]
    column_kinds = ("outcome", "budget", "deviation", "current_year", "prior_year")
    phrases += [word for kind in column_kinds for word in kinds[kind]]
    return _HEADER_WORDS | {word for phrase in phrases for word in phrase.split()}


def is_header_text(text: str) -> bool:
    """Whether every word of a line is a column word (`Innevarande  Föregående`, `Utfall  Budget`, `år  år`)."""
    words = fold(text).split()
    return bool(words) and all(word in _header_vocabulary() for word in words)


def _is_header_fragment(phrase: str) -> bool:
    return all(_DATE_FRAGMENT.match(token) or fold(token) in _header_vocabulary() for token in phrase.split())


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
        phrases = list(_ALIGNED_CELL.finditer(line.text))
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
    cut = [i for i in block for m in _ALIGNED_CELL.finditer(lines[i].text) if _CUT_DATE.search(m.group())]
    if len(block) < 2 or not cut:
        return list(lines)
    merged = ""
    for column in sorted(columns, key=lambda c: c.start):
        text = column.text
        years = _years_in(text)
        if len(years) == 1:  # the column as its year (the period's end), in the words it was headed with
            words = _YEAR.sub(" ", text).split()
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


def read_table(
    lines: Sequence[TextLine], note_titles: Mapping[int, str] | None = None, default_unit: int = 1
) -> tuple[TableHeader | None, list[TableRow], int]:
    """The first table in `lines`: its header, its rows (labels unwrapped) and unit."""
    note_titles = note_titles or {}
    header: TableHeader | None = None
    unit: int | None = None
    rows: list[TableRow] = []
    pending_text: TableRow | None = None
    around: TableRow | None = None
    ran_on: set[int] = set()  # lines of amounts alone taken into the row above
    lines = join_wrapped_header(lines)
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        if header is None:
            unit = unit or declared_unit(text) if len(text) < 60 else unit
            header = read_header(line)
            if header is not None:
                unit = header.unit or unit
                header = with_kinds_from_line_above(header, _previous_non_empty(lines, index))
            continue
        if read_header(line) is not None and not rows and _years_in(text):
            continue  # second line of a two-line header (2024-01-01 / 2024-12-31)
        if (
            _THOUSANDS_GROUP.fullmatch(text)
            and rows
            and rows[-1].has_values
            and rows[-1].line.line_no == _previous_line_no(lines, index)
            and re.search(r"(?<!\d)\d{1,3}$", rows[-1].line.text.rstrip())
        ):
            # a line broken inside an amount (`… 819` over `571`): which digits belong where is not printed
            rows[-1].values = None
            rows[-1].problem = f"an amount ran onto the next line ('{text}'): left out"
            continue
        if index in ran_on:
            continue
        row = read_row(line, header, note_titles)
        if row.label and (row.problem or (row.values is not None and None in row.values)):
            following = _run_on_line(lines, index)
            if following is not None and _LEADING_GROUP.match(following.text.strip()) and text[-1].isdigit():
                # `… 3 125 900` / `947 835`: the line may have broken inside an amount, at its thousands space
                row.values = None
                row.problem = (
                    f"its amounts go on in the next line ('{following.text.strip()}'): "
                    "which digits belong where is not printed"
                )
                ran_on.add(index + 1)
            elif following is not None:
                joined = read_row(
                    replace(line, text=f"{line.text.rstrip()}   {following.text.strip()}"), header, note_titles
                )
                if joined.values is not None and None not in joined.values and not joined.problem:
                    row = joined
                    ran_on.add(index + 1)
        if not row.label and not row.has_values and not row.problem:
            continue
        if _PAGE_FURNITURE.match(fold(row.label)):
            continue
        starts_lower = row.label[:1].islower()
        if (
            around is not None
            and rows
            and rows[-1] is around
            and row.label
            and not row.has_values
            and not row.problem
            and around.line.line_no == _previous_line_no(lines, index)
            and not _AMOUNTS_ONLY.fullmatch(_next_non_empty_text(lines, index))
        ):
            around.label = f"{around.label} {row.label}"  # the label's last part, under its amounts
            around = None
            continue
        around = None
        if (
            starts_lower
            and not row.has_values
            and not row.problem
            and rows
            and rows[-1].has_values
            and rows[-1].line.line_no == _previous_line_no(lines, index)
        ):
            rows[-1].label = f"{rows[-1].label} {row.label}"
            continue
        goes_on = bool(rows) and pending_text is rows[-1] and _label_goes_on(pending_text.label, row.label)
        if goes_on and pending_text is not None and not row.has_values and not row.problem and row.label:
            pending_text.label = f"{pending_text.label} {row.label}"  # `SUMMA EGET KAPITAL,` / `AVSÄTTNINGAR OCH`
            continue
        if (starts_lower or goes_on or not row.label.strip()) and (row.has_values or row.problem) and pending_text:
            # a wrapped label's next part, or its amounts alone on a line (a cell's label wrapped around them)
            if not row.label.strip():
                around = row  # a label wrapped around its amounts: its last part may follow, whatever its case
            row.label = f"{pending_text.label} {row.label}".strip()
            rows.remove(pending_text)
        elif not row.label.strip() and row.has_values:
            row.values, row.problem = None, "amounts without a label: which line they belong to is unknown"
        rows.append(row)
        pending_text = row if not row.has_values and not row.problem else None
    if header is not None and unit is None:
        unit = _unit_stated_after(rows)
    return header, rows, unit or default_unit


_OPEN_ENDS = frozenset({"och", "samt", "for", "av", "vid", "till", "i", "fran", "per"})


def _label_goes_on(label: str, following: str) -> bool:
    """A label without amounts that cannot end there, completed by the next line whatever its case: one ending in
    a comma or a word that joins (`SUMMA EGET KAPITAL,` / `AVSÄTTNINGAR OCH` / `SKULDER`, `Summa eget kapital vid`
    / `årets slut`), or a total in capitals going on in capitals (`SUMMA KORTFRISTIGA` / `SKULDER  110,6`): every
    total carries its amounts. A total in ordinary case alone on its line (`Summa tillgångar` printed twice)
    stays a line of its own."""
    words = fold(label).split()
    if not words or not following:
        return False
    if label.rstrip().endswith(",") or words[-1] in _OPEN_ENDS:
        return True
    return is_total_label(label) and label.isupper() and following.isupper()


def _run_on_line(lines: Sequence[TextLine], index: int) -> TextLine | None:
    """The line right under `index` when it holds amounts alone: the row's last amounts, where a typed line
    wrapped at the margin (`Summa eget kapital, avsättningar och skulder  6 036 648` / `2 775 748`). The row
    is read again with them; it takes them only when it then has every column's amount and nothing left over."""
    if index + 1 >= len(lines):
        return None
    following = lines[index + 1]
    text = following.text.strip()
    if not text or following.line_no != lines[index].line_no + 1 or not _AMOUNTS_ONLY.fullmatch(text):
        return None
    return following


def _unit_stated_after(rows: list[TableRow]) -> int | None:
    """`Beloppen står i tkr` printed right under the table: the first line after its last amounts."""
    last_values = max((i for i, row in enumerate(rows) if row.has_values), default=None)
    if last_values is None:
        return None
    for row in rows[last_values + 1 :]:
        unit = stated_unit(row.line.text.strip())
        if unit is not None or not row.problem:
            return unit  # the first line under the amounts; a line of unreadable amounts is passed over
    return None


def _next_non_empty_text(lines: Sequence[TextLine], index: int) -> str:
    return next((line.text.strip() for line in lines[index + 1 :] if line.text.strip()), "")


def _previous_non_empty(lines: Sequence[TextLine], index: int) -> TextLine | None:
    return next((line for line in reversed(lines[:index]) if line.text.strip()), None)


def _previous_line_no(lines: Sequence[TextLine], index: int) -> int:
    for previous in reversed(lines[:index]):
        if previous.text.strip():
            return previous.line_no
    return -1


def with_stacked_headers(lines: Sequence[TextLine]) -> list[TextLine]:
    """Space-aligned headers whose cells wrap over two lines (`Utfall 2023` printed over the `kr` of its column,
    the other columns' `Utfall 2024 kr` on the lower line) as one header line: each upper cell joins the lower
    cell it stands over. The upper line is then blank, so neither is read twice."""
    out = list(lines)
    merged_at: set[int] = set()
    for index in range(1, len(lines)):
        upper = index - 1
        between = out[upper].text
        if upper > 0 and (_SEPARATOR_ROW.match(between) or (not between.strip() and is_pipe_row(lines[index].text))):
            upper -= 1  # a markdown table's `|---|` (or the blank left of it) under its first header row
        above, below = out[upper], lines[index]
        if _SEPARATOR_ROW.match(below.text):
            continue
        merged = (None if upper in merged_at else _stacked_cells(above.text, below.text)) or _stacked(
            above.text, below.text
        )  # a merged delimited header takes no further row; space-aligned fragments may stack three deep
        if merged is not None:
            out[upper] = replace(above, text="")
            out[index] = replace(below, text=merged)
            merged_at.add(index)
    return out


_SEPARATOR_ROW = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


def _stacked_cells(upper: str, lower: str) -> str | None:
    """Delimited headers over two rows (`|  |  | 2023-12-31 |  |` over `|  | Not | tkr | 2022-12-31 tkr |`):
    cell by cell, where no column is named by a year in both."""
    top, bottom = cells_of(upper), cells_of(lower)
    if top is None or bottom is None or len(top) > len(bottom) or not _years_in(upper):
        return None
    top = top + [""] * (len(bottom) - len(top))  # trailing empty cells are lost with the line's end
    if any(_years_in(a) and _years_in(b) for a, b in zip(top, bottom, strict=True)):
        return None
    if any(ch.isdigit() for ch in _YEAR.sub("", upper)):
        return None
    if any(_header_words(_YEAR.sub(" ", cell)) is None for cell in [*top, *bottom]):
        return None  # a row label or words of a sentence: not a header's second row
    below = read_header(TextLine(0, None, lower))
    cells = [f"{a} {b}".strip() for a, b in zip(top, bottom, strict=True)]
    text = "| " + " | ".join(cells) + " |" if upper.strip().startswith("|") else "\t".join(cells)
    header = read_header(TextLine(0, None, text))
    if header is None or (below is not None and len(header.years) <= len(below.years)):
        return None
    return text


_MIN_INDENT = 8  # an upper header line carries no row label at the left margin


def _stacked(upper: str, lower: str) -> str | None:
    """`upper`'s cells joined to the cells of `lower` they stand over, or set beside them where they stand over
    none; None unless that makes a header naming more columns (or periods) than `lower` alone."""
    if not upper.strip() or "\t" in upper + lower or "|" in upper + lower:
        return None
    if len(upper) - len(upper.lstrip()) < _MIN_INDENT or not _is_header_words_line(upper):
        return None
    below = read_header(TextLine(0, None, lower))
    if below is None and not _is_header_words_line(lower):
        return None
    cells = [(m.start(), m.end(), m.group()) for m in _ALIGNED_CELL.finditer(lower)]
    merged = list(lower)
    units_moved: list[str] = []
    tops = list(_ALIGNED_CELL.finditer(upper))
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
    header = read_header(TextLine(0, None, text))
    before = len(below.years) if below is not None else 0
    if header is None or len(header.years) < before:
        return None
    periods = sum(1 for m in _years_in(text) if m["end"]) > sum(1 for m in _years_in(lower) if m["end"])
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
    if _years_in(top.group()) and _years_in(text) and not any(m["end"] for m in _years_in(joined)):
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
    return None


def _is_header_words_line(text: str) -> bool:
    """A line of a header's words only (`Föregående`, `år`, `Utfall 2023`, `Not   SEK   SEK`): no amounts, few
    words, each a column, unit or year word."""
    plain = _YEAR.sub(" ", text)
    if any(ch.isdigit() for ch in plain) or len(plain.split()) > 6:
        return False
    words = fold(plain).split()
    return bool(words or _years_in(text)) and all(word in _header_line_words() or len(word) <= 3 for word in words)


_BALANCE_DAY_WORDS = frozenset({"ingaende", "utgaende", "balans", "ib", "ub"})  # `Ingående balans` over a date


@cache
def _header_line_words() -> frozenset[str]:
    """The header vocabulary (its relative-year words included) and the words naming a balance's day."""
    return _header_vocabulary() | _BALANCE_DAY_WORDS
