"""OCR'd words laid out as a text page, so the OCR text goes through the same parsers.

The words are laid out by their positions exactly as a text page's glyphs are
(`layout.layout_text`), so table columns stay apart by runs of spaces. Numbers are never
guessed here: Tesseract often joins a thousands group to the next (`1 469 789` read as
`1469 789`); such a word is split again only where its letters' boxes show the gap and the
groups come out as thousands groups. An amount with any group Tesseract stayed unsure of
becomes `?`s, all its groups, so the parsers leave its value out and a `value_left_out`
warning names the line. A lone zero read as `[0]` is a zero. A word of bars is a table's
vertical rule, not text (`10 634 |` is the amount it borders), unless it stands close before a
number, where it may be a digit read as a bar; a cell misread beside an amount is masked.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from finsam_pipeline.read.layout import layout_text
from finsam_pipeline.read.ocr.words import (
    BRACKETED_ZERO,
    NUMBER_MIN_CONFIDENCE,
    NUMBERISH,
    UNSURE,
    Word,
    amount_clusters,
    mixed_separators,
    unit,
    unsure,
)

THOUSANDS_GAP = 0.25  # a gap inside a number word this wide (share of its height) is a lost space
CELL_GAP = 2.0  # a gap between number words this many times the page's thousands gap parts two amounts
# an unsure amount standing in a table cell (after a run of spaces): its value is left out
UNSURE_AMOUNT_CELL = re.compile(r"(?:^|(?<=\S) {2,})(\?+(?: \?+)*)(?= {2,}|$)")

_DIGITS = re.compile(r"^[-−–]?\d{4,}$")
_THOUSANDS = re.compile(r"^[-−–]?\d{1,3}( \d{3})+$")
_TRAILING_MARKS = ",.;:"
_SIGN_FIRST = re.compile(r"^[-−–+(]")
_GROUP = re.compile(r"^(?:\d{3}|\?{3})$")
_RULE = re.compile(r"^[|¦‖]+$")  # a word of bars only: a table's vertical rule, not text
_NO_READING_FIELDS = {"text": "0", "confidence": 0.0, "letters": ()}  # a bar that may be a digit: none was read
_NO_READING = tuple(_NO_READING_FIELDS.values())


def _zero_read(word: Word) -> Word:
    """A lone zero in brackets (`[0]`, `(0)`) is a zero whichever sign they meant, however unsure Tesseract was
    of the brackets (it reads a lone `0` so, with a low confidence)."""
    if not BRACKETED_ZERO.match(word.text) or word.text == "0":
        return word
    return replace(word, text="0", letters=(), confidence=max(word.confidence, NUMBER_MIN_CONFIDENCE))


_MARK_BEFORE_DIGITS = re.compile(r"^(?P<mark>[^\w\s]{1,3})\d")
_SIGNS = frozenset("+-−–(*")  # what may stand before an amount's digits (`*`: a footnote's mark, read as none)


def _marked_number_doubted(word: Word) -> Word:
    """A number with a mark glued before its digits that no amount starts with (`"304`, `=501`, `:2`) is unsure,
    however sure Tesseract was of it: the mark is a speck or a misread digit or sign. It had cost its row as
    text among amounts; masked, only its own column is unknown, and its reading (the mark blanked,
    `parse.unsure`) is left for the report's arithmetic to prove. So is an amount whose thousands a comma sets off
    before a dot (`4,552.000`): one of them is misread."""
    match = _MARK_BEFORE_DIGITS.match(word.text)
    if not mixed_separators(word.text) and (match is None or set(match["mark"]) <= _SIGNS):
        return word
    return replace(word, confidence=0.0)


def _untrusted_numbers_hidden(words: list[Word], letter: float) -> list[Word]:
    """An amount with any group Tesseract was unsure of becomes `?`s, all its groups: `2 038 080` with an
    unsure `038` must not be loaded as 80. Its value is then left out with a warning."""
    out = list(words)
    for start, end in amount_clusters(out, letter):
        if any(unsure(w) for w in out[start:end]):
            out[start:end] = [replace(w, text=UNSURE * len(w.text), letters=()) for w in out[start:end]]
    return out


def _as_read(hidden: Sequence[Word], shown: Sequence[Word]) -> list[Word]:
    """The words with each amount `_untrusted_numbers_hidden` masked as Tesseract read it; a digit nothing read
    (a rule's bar before a number, `_rules_taken_out`) stays unknown."""
    return [
        word if hidden_word.text != word.text and _read_at_all(word) else hidden_word
        for hidden_word, word in zip(hidden, shown, strict=True)
    ]


def _read_at_all(word: Word) -> bool:
    return (word.text, word.confidence, word.letters) != _NO_READING


def _split_thousands(word: Word) -> list[Word]:
    """`1469` whose letter boxes show a gap after the `1` is `1 469`: split where the groups are thousands groups."""
    if not _DIGITS.match(word.text) or len(word.letters) != len(word.text):
        return [word]
    height = max(1, word.bottom - word.top)
    cuts = [
        index
        for index in range(1, len(word.text))
        if word.letters[index][0] - word.letters[index - 1][1] > THOUSANDS_GAP * height
    ]
    if not cuts:
        return [word]
    bounds = [0, *cuts, len(word.text)]
    groups = [word.text[a:b] for a, b in pairwise(bounds)]
    if not _THOUSANDS.match(" ".join(groups)):
        return [word]
    return [
        replace(
            word,
            text=word.text[a:b],
            left=word.letters[a][0] if a else word.left,
            right=word.letters[b - 1][1] if b < len(word.text) else word.right,
            letters=word.letters[a:b],
        )
        for a, b in pairwise(bounds)
    ]


def layout_words(words: Sequence[Word]) -> str:
    """The page's text, unsure amounts as `?`s; see `layout_pair`."""
    return layout_pair(words)[0]


def layout_pair(words: Sequence[Word]) -> tuple[str, str]:
    """The page's text, and the same page with every unsure amount as Tesseract read it (`1.204.167` where
    the text has `?????????`): laid out from the same boxes, line for line, so the parser can try a reading
    the report's arithmetic may prove. Nothing else differs, and the text alone is what the parsers trust."""
    if not words:
        return "", ""
    letter = unit(words)
    words = _rules_taken_out(words, letter) or list(words)
    split = [part for word in sorted(words, key=lambda w: (w.line, w.left)) for part in _split_thousands(word)]
    read = [_marked_number_doubted(_zero_read(word)) for word in _specks_dropped(split, letter)]
    shown = _doubtful_cells_hidden(read, letter)
    ordered = _untrusted_numbers_hidden(shown, letter)
    cells = _amount_cell_starts(ordered)
    text = _laid_out(ordered, letter, cells)
    as_read = _as_read(ordered, shown)
    return text, _laid_out(as_read, letter, cells) if as_read != ordered else text


def _laid_out(ordered: Sequence[Word], letter: float, cells: set[int]) -> str:
    """Words as glyph boxes for `layout_text`: a word's width shared by its letters, its line's height for all.

    Tesseract's word boxes may touch (`Belopp` `i`); each word is kept clear of the next in its
    line by a third of a letter, so separate words never run together. A word ending in a comma, full stop,
    colon or semicolon reaches half a letter further: the mark's ink is narrow, its place is not, and in a
    typewriter font `Axelsson,  ordförande` would otherwise read as two cells.
    """
    glyphs = []
    run_starts = set()
    for index, word in enumerate(ordered):
        if index in cells:
            run_starts.add(len(glyphs))
        right = word.right
        mark = 0.0  # how much further than its ink a closing mark reaches (`Axelsson,`)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is not None and following.line == word.line:
            right = min(right, following.left - letter / 3)
            if word.text[-1] in _TRAILING_MARKS:
                mark = max(0.0, min(letter / 2, following.left - letter / 3 - right))
        right = max(right, word.left + (word.right - word.left) / 2)
        step = (right - word.left) / len(word.text)
        bottom, top = -word.line_bottom, -word.line_top  # PDF space: y grows upwards
        for position, char in enumerate(word.text):
            left = word.left + position * step
            last = position == len(word.text) - 1
            glyphs.append((char, left, bottom, left + step + (mark if last else 0.0), top))
    return layout_text(glyphs, run_starts=frozenset(run_starts))


def _rules_taken_out(words: list[Word], letter: float) -> list[Word]:
    """A word of bars is a table's vertical rule and left out (`10 634 |`, a ruled note's right border), unless it
    stands close before a number, or between two: then it may be a digit Tesseract read as a bar (`| 234` for
    `1 234`) and becomes an unsure digit, so that amount is masked whole, never read as 234."""
    out = []
    for row in _rows(words):
        for position, index in enumerate(row):
            word = words[index]
            if not _RULE.match(word.text):
                out.append(word)
                continue
            before = words[row[position - 1]] if position else None
            after = words[row[position + 1]] if position + 1 < len(row) else None
            near_before = before is not None and word.left - before.right <= 2 * letter
            near_after = after is not None and after.left - word.right <= 2 * letter
            number_before = near_before and NUMBERISH.match(before.text)
            number_after = near_after and NUMBERISH.match(after.text)
            if number_after or (number_before and after is not None):
                out.append(replace(word, **_NO_READING_FIELDS))  # a digit of no known value
    return out


_SPECK = re.compile(r"^[.,'`´:;]+$")  # a glyph of punctuation alone: a speck's shape, no content


def _specks_dropped(words: list[Word], letter: float) -> list[Word]:
    """A lone mark of punctuation is a speck where it stands apart after an amount in its row (`(88.222)  .`) or
    where Tesseract saw it alone on a line of its own, which the layout may merge into the row beside it
    (`4 392 944  .  4 192 052`): it had ended a statement's table there, every row below it lost without a word,
    or cost a row its amounts. A mark a thousands gap after an open amount (`4 192 .`) may be a faint last group:
    that amount is made unsure instead (its reading kept for the arithmetic to prove)."""
    out = list(words)
    dropped: set[int] = set()
    for row in _rows(out):
        if all(_SPECK.match(out[at].text) for at in row):
            dropped.update(row)
        for before, at in pairwise(row):
            speck, number = out[at], out[before]
            gap = speck.left - number.right
            if not (_SPECK.match(speck.text) and NUMBERISH.match(number.text) and gap > letter / 2):
                continue
            dropped.add(at)
            if not number.text.endswith(")") and gap <= letter:
                out[before] = replace(number, confidence=0.0)
    return [word for index, word in enumerate(out) if index not in dropped]


def _doubtful_cells_hidden(words: list[Word], letter: float) -> list[Word]:
    """A cell right of an amount in its row that Tesseract could read neither as an amount nor for sure is an
    amount it misread (`792  TITTA` for `792  777`; `155,` or `456 000.` with a speck after it): shown as `?`s,
    so that column is unknown and the row's other amounts stand, where the row had been lost as text among
    amounts. A word with a lower-case letter is text, however unsure, unless it has two glyphs only: a word
    or a unit stands a space from its amount, and two glyphs a cell apart that Tesseract barely read (`Rn`,
    `Sj`, `äl` at confidence 6 to 38) are a misread amount. An amount that stands in prose (one space from the
    word before it) keeps its full stop."""
    out = list(words)
    for row in _rows(out):
        after_amount = False
        cell_start: int | None = None  # where the amount the current word belongs to starts in the row
        cell_after_amount = False  # whether that amount stands a cell's gap right of a number: a table's cell
        for position, index in enumerate(row):
            word = out[index]
            previous = out[row[position - 1]] if position else None
            apart = previous is None or word.left - previous.right > 2 * letter
            number = bool(NUMBERISH.match(word.text))
            if number and (apart or cell_start is None or not NUMBERISH.match(previous.text)):
                cell_start = position
                cell_after_amount = previous is not None and apart and bool(NUMBERISH.match(previous.text))
            misread = after_amount and apart and not number and word.confidence < NUMBER_MIN_CONFIDENCE
            misread = misread and len(word.text) >= 2  # one glyph (`]`, `I`, `!`) may be a speck or a rule
            if misread and (len(word.text) == 2 or not any(char.islower() for char in word.text)):
                out[index] = replace(word, text=UNSURE * len(word.text), letters=())
            marked = number and word.text[-1] in _TRAILING_MARKS and position == len(row) - 1
            if marked and cell_after_amount:
                for masked in row[cell_start : position + 1]:
                    text = out[masked].text.strip(_TRAILING_MARKS)
                    out[masked] = replace(out[masked], text=UNSURE * max(1, len(text)), letters=())
            after_amount = after_amount or number
    return out


def _rows(words: Sequence[Word]) -> list[list[int]]:
    """Indexes of the words in each row of the page, left to right. Rows are found by the words' boxes
    (`merge.on_baselines`), not Tesseract's lines: sparse text makes each cell a line of its own."""

    def centre(index: int) -> float:
        return (words[index].line_top + words[index].line_bottom) / 2

    rows: list[list[int]] = []
    for index in sorted(range(len(words)), key=centre):
        tolerance = 0.25 * (words[index].line_bottom - words[index].line_top)
        if rows and centre(index) - centre(rows[-1][0]) <= tolerance:
            rows[-1].append(index)
        else:
            rows.append([index])
    return [sorted(row, key=lambda i: words[i].left) for row in rows]


def _amount_cell_starts(words: Sequence[Word]) -> set[int]:
    """Indexes of number words that start an amount of their own though they stand close to the number left
    of them in their row: a signed one (`-8 282 457 -8 184 108`: no amount has a sign inside), or one further
    off than the page's thousands groups stand apart. Narrow table columns set amounts closer than one and a
    half characters, where a text layer would still show its cells; OCR does not."""

    def number(word: Word) -> bool:
        return bool(NUMBERISH.match(word.text)) or word.text.strip(UNSURE) == ""

    neighbours = [  # (left word, right word): numbers side by side in one row
        (a, b)
        for row in _rows(words)
        for a, b in pairwise(row)
        if number(words[a]) and number(words[b]) and words[a].right <= words[b].left
    ]
    groups = [
        words[b].left - words[a].right
        for a, b in neighbours
        if _GROUP.match(words[b].text) and len(words[a].text.lstrip("-−–+(")) <= 3
    ]
    thousands = statistics.median(groups) if len(groups) >= 3 else None
    return {
        b
        for a, b in neighbours
        if _SIGN_FIRST.match(words[b].text)
        or (thousands is not None and words[b].left - words[a].right > CELL_GAP * max(thousands, 1))
    }
