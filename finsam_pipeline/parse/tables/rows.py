"""A table row read under its header: label, note and the amount in each column, from delimited,
space-aligned and OCR text; totals that settle an ambiguous row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from fractions import Fraction

from finsam_pipeline.parse.dates import ENDS_IN_A_DATE_OR_PAGE
from finsam_pipeline.parse.numbers import (
    AmbiguousAmounts,
    NumberParseError,
    UnreadableAmount,
    candidate_readings,
    masked,
    parse_decimal_amount,
    plain_thousands,
    split_amounts,
)
from finsam_pipeline.parse.tables.cells import (
    ALIGNED_CELL,
    DAMAGED_NUMBER,
    DATE_OR_YEARS,
    NOTE_TOKEN,
    cells_of,
    is_pipe_row,
    split_label,
)
from finsam_pipeline.parse.tables.header import TableHeader
from finsam_pipeline.parse.tables.header_lines import THOUSANDS_GROUP
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold


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


def words_match(label: str, title: str) -> bool:
    """A statement label and a note title speak of the same thing (OCR-tolerant)."""
    label_words = [w for w in fold(label).split() if len(w) >= 4]
    title_words = [w for w in fold(title).split() if len(w) >= 4]
    if not label_words or not title_words:
        return False

    def near(word: str, others: list[str]) -> bool:
        return any(word in o or SequenceMatcher(None, word, o).ratio() >= 0.8 for o in others)

    return all(near(w, label_words) for w in title_words) or all(near(w, title_words) for w in label_words)


_RULE_BETWEEN = re.compile(r"(?<=\d) \| (?=[-–(]?\d)")


_NOTE_AFTER_LABEL = re.compile(r"(?i)(?<=[^\W\d_])(?P<word>,?\s*\(?not\.?)\s+(?P<note>\d{1,2})(?=\)?\s+[-−–(]?\d)")


_A_WORD = re.compile(r"\(?[^\W\d_]{2,}[),.:]?")  # a word of two letters or more, no digit: `år`, `(SFS`; not `l`, `3S5`
_NUMBER_LEFT_IN_LABEL = re.compile(r"^[-−–(\[|]?\d[\d.,:;'’]*[)\]|]?$")  # `-7.74`, `401259]` (OCR's `–401 259`)
# `:2 804 514`: a speck OCR read before an amount's first digits parts them from the rest of its cell
_HEAD_LEFT_IN_LABEL = re.compile(r"(?:^|\s)(?P<head>[^\w\s]{1,2}\d{1,3}) (?=\d{3}(?:\s|$))")
_NOTE_WORD_AT_END = re.compile(r"(?i),?\s*\(?not\.?\s*\)?\s*$")


def read_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    """One body line as a row: its label, the note it points at and its amount in each of the header's columns."""
    line = replace(line, text=plain_thousands(line.text))  # same length: aligned columns stay where they were
    note = _NOTE_AFTER_LABEL.search(line.text)
    if note is not None:  # `Bidrag från medlemmarna, not 2  30 444  30 212`: the word `not` says what the 2 is
        start, end = note.span("note")
        line = replace(line, text=line.text[:start] + " " * (end - start) + line.text[end:])
    row = _read_row(line, header, note_titles)
    if note is not None and row.note is None:
        row.label = _NOTE_WORD_AT_END.sub("", row.label)
        row.note = int(note["note"])
    return row


def _read_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    if ENDS_IN_A_DATE_OR_PAGE.search(line.text.strip()):  # `Uppsala den 13 mars 2025`: not 2 025 tkr
        return TableRow(label=line.text.strip(), line=line)
    if "\t" not in line.text and not is_pipe_row(line.text):
        line = replace(line, text=_RULE_BETWEEN.sub("   ", line.text))  # a table's rule OCR read as `|`
    cells = cells_of(line.text)
    if cells is not None and header.delimited_value_cells:
        return _delimited_row(line, cells, header)
    stripped = line.text.strip()
    if header.delimited_value_cells and "|" in stripped and stripped.startswith("|") != stripped.endswith("|"):
        # `| Kassaflöde … |  | **639` over `396** | -724 018 |`: a pipe row a page or a line broke in two
        label = stripped.strip("|").split("|")[0].strip()
        return TableRow(label=label, line=line, problem="a delimited row broken over two lines")
    if re.search(r"\S {2,}(?:[-+–(]?\d|[-–—](?= {2,}|$))", line.text.strip()):  # an amount or a dash cell
        row = _aligned_row(line, header, note_titles)
    else:
        row = _ocr_row(line, header, note_titles)
    words = row.label.split()
    damaged = next(  # words after a broken amount are amounts too: `3-5 år` and `(2018:597) om` are the label's
        (
            word
            for position, word in enumerate(words)
            if DAMAGED_NUMBER.search(word)
            and not DATE_OR_YEARS.match(word)
            and not any(_A_WORD.fullmatch(later) for later in words[position + 1 :])
        ),
        None,
    )
    if damaged is None and words and _a_note_with_a_speck(line, words[-1], header, note_titles):
        row.label, row.note = split_label(row.label[: row.label.rindex(words[-1])])[0], int(words[-1][:-1])
        return row  # `Verksamhetens intäkter  2.  5 200  4 972`: under `Not`, a note a speck follows
    if damaged is None and words and _NUMBER_LEFT_IN_LABEL.match(words[-1]) and not DATE_OR_YEARS.match(words[-1]):
        damaged = words[-1]  # `Årets resultat -7.74  334`: a number no amount reads as ends the label (OCR)
    head = _HEAD_LEFT_IN_LABEL.search(line.text)
    if damaged is None and words and head is not None and head["head"] == words[-1]:
        damaged = words[-1]  # `Ingående eget kapital  :2 804 514`: not 804 514
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
        row.note = int(note) if NOTE_TOKEN.match(note) else None
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
    spans = [(m.group(), m.start(), m.end()) for m in ALIGNED_CELL.finditer(line.text)]
    label_parts: list[str] = []
    amounts: list[tuple[str, int]] = []
    for position, (text, _start, end) in enumerate(spans):
        label_text, tail = split_label(text)
        if label_text and not amounts:
            label_parts.append(label_text)
            if tail:
                amounts += _unambiguous_cells(tail, end)
        elif not label_text:
            amounts += _unambiguous_cells(text, end)
        elif position == len(spans) - 1 and _A_TRACE.fullmatch(text):
            amounts.append(("?" * len(text), end))  # `531  Rn`: a misread the row's last amount may end in
        elif _A_GLYPH_BEFORE_AN_AMOUNT.fullmatch(text):
            amounts.append(("?" * len(text), end))  # `i 141 769`: OCR's `1 141 769`, a digit read as a letter
        else:
            return TableRow(label=" ".join(label_parts), line=line, problem=f"text among amounts: {text!r}")
    row = TableRow(label=" ".join(label_parts), line=line)
    if not amounts:
        return row
    if header.has_note and amounts and NOTE_TOKEN.match(amounts[0][0]):
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
    elif len(amounts) == len(header.years) + 1 and NOTE_TOKEN.match(amounts[0][0]):
        # `4   338 155   640 693` under a header whose `Not` was not read: a note and two amounts, or an amount
        # whose first digit group stands off? A known note settles it; otherwise nothing tells them apart.
        if int(amounts[0][0]) not in note_titles:
            row.problem = f"{amounts[0][0]!r} before the amounts may be a note number or an amount's first digits"
            return row
        row.note = int(amounts[0][0])
        amounts = amounts[1:]
    if _a_mark_before_the_columns(amounts, header):
        amounts = amounts[1:]  # `Arbetsförmedlingen  -   1 098 236   1 048 013`: a mark beside the label, no cell
    amounts = _misread_tail_joined(amounts, header)
    values: list[int | None] = [None] * len(header.years)
    label_end = spans[0][2] if label_parts else 0
    if header.masked_right_edges:
        return _beside_a_masked_column(row, amounts, header)
    try:
        if len(amounts) == len(header.years):
            _masked_cells_in_their_columns(amounts, header.year_right_edges)
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
        elif len(rejoined := _masked_tails_rejoined(amounts)) == len(header.years):
            _masked_cells_in_their_columns(rejoined, header.year_right_edges)
            values = [_cell_value(row, column, text) for column, (text, _) in enumerate(rejoined)]
        else:
            # cells stay two spaces apart, so a dash cell (`–   22788000`) is an empty cell, not the next one's sign
            values = split_amounts("  ".join(text for text, _ in amounts), len(header.years))
    except NumberParseError as exc:
        row.problem = str(exc)
        return row
    row.values = tuple(values) if any(v is not None for v in values) else None
    return row


def _a_mark_before_the_columns(amounts: Sequence[tuple[str, int]], header: TableHeader) -> bool:
    """Whether the row's first cell is a lone dash standing left of every year column, or a cell OCR could not read
    under a column the header names with words and no year (`Fördelning`, a share), and the cells after it fill
    the columns one each, each ending under its own: a speck or a `no note` mark beside the label, or a column no
    year is read from, not a year's cell (a dash under a year column stays that year's nothing). A masked cell
    under no header of its own may be a year's amount's first digits, set apart where OCR lost one between
    (`?  345 678` for `12 345 678`): the row stays left out, unless the amount after it opens with its sign or
    bracket, which no digits of it stand before (`Årets resultat   ?   -1 842,0   2908,0`)."""
    edges, lefts = header.year_right_edges, header.year_left_edges
    if len(amounts) != len(header.years) + 1 or len(edges) != len(header.years) or not lefts:
        return False
    first, end = amounts[0]
    if end >= min(lefts) or header.masked_right_edges:
        return False
    headed = any(char.isalpha() for char in header.line.text[end - len(first) : end])
    signed = bool(_SIGN_FIRST.match(amounts[1][0]))  # `?   -1 842,0`: no digits stand before an amount's sign
    if not (_DASH.fullmatch(first) or (masked(first) and (headed or signed))):
        return False
    return [_nearest(end, edges) for _, end in amounts[1:]] == list(range(len(edges)))


_A_TRACE = re.compile(r"[^\W\d_]{1,2}")  # two letters at most after the last amount: no word a table prints there
# one letter a space before an amount's digits, among amounts: a digit OCR read as a letter (`i 141 769`); the cell is
# unknown, the row's other amounts stand where each stands under its own column
_A_GLYPH_BEFORE_AN_AMOUNT = re.compile(r"[^\W\d_] \d{1,3}(?: \d{3})*")


_SIGN_FIRST = re.compile(r"^[-−–+(]")


def _misread_tail_joined(amounts: Sequence[tuple[str, int]], header: TableHeader) -> list[tuple[str, int]]:
    """A cell OCR could not read (or a trace of two letters at most) standing right of the last year column, one
    cell more than the columns, right after an amount: a misread of that amount's last digits as much as a speck
    (`5419   531  Rn`, printed `5317`). The two are one unknown cell, so that column is unknown and the others
    stand where each stands under its own column (`_masked_cells_in_their_columns`); read as two cells the row
    had been lost, and `531` alone would have been wrong."""
    edges = header.year_right_edges
    if len(amounts) != len(header.years) + 1 or len(edges) != len(header.years) or len(amounts) < 2:
        return list(amounts)
    if header.masked_right_edges:
        return list(amounts)  # a column the header could not read: the cells fill the columns in order there
    (before, before_end), (last, end) = amounts[-2], amounts[-1]
    if not masked(last) or masked(before) or end <= edges[-1] or _nearest(before_end, edges) != len(edges) - 1:
        return list(amounts)  # the amount it may end must stand under the last column, the cells before it fill
    return [*amounts[:-2], (f"{'?' * len(before)} {last}", end)]


def _masked_cells_in_their_columns(cells: Sequence[tuple[str, int]], edges: Sequence[int]) -> None:
    """Cells with a masked one among them are read in order only where each stands under its own column: a
    speck or a rule OCR read beside a lone amount (`155  ]`), masked, had put 155 in the year before's column.
    Raises AmbiguousAmounts where a cell ends nearer another column's edge, or the edges are unknown."""
    if not any(
        masked(text) or _PARTLY_MASKED.fullmatch(text) or (_MISGROUPED.fullmatch(text) and not _one_amount(text))
        for text, _ in cells
    ):
        return
    if len(edges) != len(cells) or any(_nearest(end, edges) != column for column, (_, end) in enumerate(cells)):
        raise AmbiguousAmounts("a cell OCR could not read stands where the columns do not say which year is which")


def _beside_a_masked_column(row: TableRow, amounts: Sequence[tuple[str, int]], header: TableHeader) -> TableRow:
    """A row under a header with a column OCR could not read (`2024   ????`): its amounts fill the columns in
    order, the unread one's left out; a row with another number of amounts is left out. Read under the year
    columns alone, `1 156   318` had been taken for one amount, 1 156 318."""
    known, masked = header.year_right_edges, header.masked_right_edges
    edges = sorted([*((edge, True) for edge in known), *((edge, False) for edge in masked)])
    if len(amounts) != len(edges):
        row.problem = "a column's header could not be read: which amount stands in which year is unknown"
        return row
    values: list = []
    try:
        for (text, _), (_, known) in zip(amounts, edges, strict=True):
            if known:
                values.append(_cell_value(row, len(values), text))
    except NumberParseError as exc:
        row.problem = str(exc)
        return row
    row.values = tuple(values) if any(v is not None for v in values) else None
    return row


def _masked_tails_rejoined(amounts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """A lone thousands group right after a masked cell is that amount's tail, set apart where OCR lost the digits
    between (`3 026 000    ?    000`: the `942` of `2 942 000` unread): one masked cell again, which the caller
    reads only where every cell then stands under its own column (`_masked_cells_in_their_columns`)."""
    out: list[tuple[str, int]] = []
    for text, end in amounts:
        if out and THOUSANDS_GROUP.fullmatch(text) and masked(out[-1][0]):
            out[-1] = (f"{out[-1][0]} ???", end)
        else:
            out.append((text, end))
    return out


_STARTS_AN_AMOUNT = re.compile(r"^(?:[-−–(]\d|\d{4,})")  # a sign, or more digits than a thousands group holds


def _unambiguous_cells(text: str, end: int) -> list[tuple[str, int]]:
    """A cell of amounts set a single space apart where nothing can join them (`2 -21527738 -22255198`: a sign, or
    four digits, starts an amount, never a thousands group), as cells with the positions they end at; any
    other cell as it stands (`1 232 085 2 003 147` is for the thousands groups to part, or not)."""
    tokens = list(re.finditer(r"\S+", text))
    pieces: list[list[re.Match[str]]] = []
    for token in tokens:
        if pieces and not _STARTS_AN_AMOUNT.match(token.group()):
            pieces[-1].append(token)
        else:
            pieces.append([token])
    if len(pieces) < 2 or not all(_STARTS_AN_AMOUNT.match(piece[0].group()) for piece in pieces[1:]):
        return [(text, end)]
    start = end - len(text)
    return [(text[piece[0].start() : piece[-1].end()], start + piece[-1].end()) for piece in pieces]


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
    """One column's amount; a masked cell, or digits no grouping reads (`2942 000`: OCR lost a space and kept
    one), leave that column unknown and are remembered on the row. The row's other columns stand: the cell is
    read only where it stands under its own column (`_masked_cells_in_their_columns`)."""
    try:
        return parse_decimal_amount(text)
    except UnreadableAmount:
        row.unreadable_columns = (*row.unreadable_columns, column)
        return None
    except NumberParseError:
        if not (_MISGROUPED.fullmatch(text) or _PARTLY_MASKED.fullmatch(text)):
            raise
        row.unreadable_columns = (*row.unreadable_columns, column)
        return None


_MISGROUPED = re.compile(r"[-−–(]?\d+(?: \d+)+\)?")  # digits in groups, but not in thousands groups
# an amount OCR could not read all of (`?????? 000`: its leading groups unsure, its last read): unknown, like `???`
_PARTLY_MASKED = re.compile(r"[-−–(]?(?=[\d ]*\?)[\d?]+(?: [\d?]+)+\)?")


def _nearest(position: int, edges: Sequence[int]) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - position))


_SHARE_AT_END = re.compile(r"\s+\d{1,3}(?:[,.]\d+)?\s?%$")  # `Bidrag Haninge kommun 13,8 %`: its share cell


_NOTE_AND_A_SPECK = re.compile(r"\d{1,2}[.,:;'’]")
_THOUSANDS_GROUPS = re.compile(r"\d{3}(?: \d{3})*")  # `200 000`: the rest of an amount after its first digits


def _a_note_with_a_speck(line: TextLine, word: str, header: TableHeader, note_titles: Mapping[int, str]) -> bool:
    """Whether `word`, the label's last, is a note number OCR read with a speck after it (`2.`): a note the report
    has, standing under the header's `Not`, nearer it than any year column, and no amount's first digits (`1.
    200 000`, OCR's `1 200 000`: the digits and the cell after them read as one amount, so which it is is
    unknown and the line stays left out)."""
    if not header.has_note or header.note_right_edge is None or not _NOTE_AND_A_SPECK.fullmatch(word):
        return False
    if int(word[:-1]) not in note_titles:
        return False
    at = line.text.rfind(word)
    after = line.text[at + len(word) :].split("  ")[0].strip()  # the cell right after it
    if _THOUSANDS_GROUPS.fullmatch(after):
        return False
    end = at + len(word) - 1  # the digits' end, the speck after them
    note_edge = header.note_right_edge
    return abs(end - note_edge) <= 3 and all(abs(end - edge) > abs(end - note_edge) for edge in header.year_right_edges)


def _ocr_row(line: TextLine, header: TableHeader, note_titles: Mapping[int, str]) -> TableRow:
    label, tail = split_label(line.text)
    if tail:
        label = _SHARE_AT_END.sub("", label)
    row = TableRow(label=label, line=line)
    if not tail:
        return row
    columns = len(header.years)
    tokens = tail.split()
    readings: list[tuple[int | None, list[int | None]]] = []
    errors: list[str] = []
    note_options: list[int | None] = [None]
    if header.has_note and len(tokens) > 1 and NOTE_TOKEN.match(tokens[0]) and int(tokens[0]) in note_titles:
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
