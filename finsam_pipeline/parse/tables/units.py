"""The unit a table is printed in (kr, tkr, Mkr), declared in a header, stated in a sentence, or
running down a section.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache, lru_cache

from finsam_pipeline.parse.tables.cells import MIN_WRAPPED_LINE, SUM_GOES_ON, cells_of, is_table_row
from finsam_pipeline.parse.vocabulary import unit_phrase_words, unit_words
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold


@lru_cache(maxsize=100_000)
def unit_of(text: str) -> int | None:
    """The unit a text names (`tkr`, `(Mkr)`, `Belopp i tusental kronor`), longest phrase first."""
    folded = f" {fold(text)} "
    for phrase, factor in unit_words():
        if f" {phrase} " in folded:
            return factor
    return None


_QUANTITY = r"(?<![\w,.])(?!(?:19|20)\d{2}\b)\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:[.,]\d+)?\s*"


@lru_cache(maxsize=100_000)
def declared_unit(text: str) -> int | None:
    """The unit a caption declares; an amount given in a unit (`med 1 280 tkr`) declares none.

    Prose wrapped above a table in a PDF reads like a caption; `50 tkr` there is a sum of
    money, not the table's unit, while `Belopp i tkr`, `(tkr)` or `Budget 2025 tkr` are.
    Cached: every table reader asks it of the lines above its header.
    """
    folded = f" {fold(text)} "
    for amount_in_unit in _amounts_in_units():
        folded = amount_in_unit.sub(" ", folded)
    return unit_of(folded)


@cache
def _amounts_in_units() -> tuple[re.Pattern[str], ...]:
    """For each unit phrase in turn, an amount given in it (`1 280 tkr`), on folded text."""
    return tuple(re.compile(_QUANTITY + re.escape(phrase) + r"(?= )") for phrase, _ in unit_words())


@lru_cache(maxsize=100_000)
def stated_unit(text: str) -> int | None:
    """The unit of a line that says nothing but the unit (`Alla belopp i tkr`, `(tkr)`, `Belopp i kronor`), or of a
    sentence about the amounts that names no amount (`Samtliga belopp i de finansiella rapporterna anges i
    tusentals kronor (tkr) om inte annat anges.`)."""
    if _unit_sentence(text) and len(text) <= 240:
        return declared_unit(text)
    for sentence in _LATER_SENTENCE.split(text)[1:]:  # `… redovisning. Belopp anges i kronor om inget annat anges.`
        if _unit_sentence(sentence) and len(sentence) <= 240 and _of_every_amount(sentence):
            return declared_unit(sentence)
    if len(text) > 80:
        return None
    unit = unit_of(text)
    if unit is None:
        return None
    folded = f" {fold(text)} "
    for phrase, _ in unit_words():
        folded = folded.replace(f" {phrase} ", " ")
    return unit if all(word in unit_phrase_words() for word in folded.split()) else None


_EVERY_AMOUNT = re.compile(r"\b(?:samtliga|alla)\b.*\bbelopp|\bannat anges\b")
_SCOPED = re.compile(r"\b(?:bilaga\w*|tabell\w*|diagram\w*|insats\w*)\b")


def _of_every_amount(sentence: str) -> bool:
    """A sentence inside a paragraph declares the report's unit only where it speaks of every amount (`Samtliga
    belopp …`, `… om inget annat anges`) and of no one part (`Beloppen som beviljats till insatserna anges i
    kronor i bilagan` is the appendix's)."""
    folded = fold(sentence)
    return bool(_EVERY_AMOUNT.search(folded)) and not _SCOPED.search(folded)


_LATER_SENTENCE = re.compile(r"(?<=[a-zåäö)][.!?])\s+(?=[A-ZÅÄÖ])")


@lru_cache(maxsize=100_000)
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


_RIGHT_UNDER = 2  # a unit line with at most one blank line above it is the line right under a table


def running_units(lines: Sequence[TextLine], furniture: Collection[int] = ()) -> list[int | None]:
    """The unit in force at each line: set by a line that states only a unit, until another does.

    `Alla belopp i tkr` at the top of the financial part applies to every table after it
    that states no unit of its own; a unit line right under a table is that table's own. Page
    furniture (`furniture`: running headers, page numbers) is no table the line could be under.
    """
    units: list[int | None] = []
    current: int | None = None
    previous, previous_index = "", -_RIGHT_UNDER
    for index, line in enumerate(lines):
        if index in furniture:
            units.append(current)
            continue
        text = line.text.strip()
        stated = stated_unit(text) if text else None
        if stated is None and text and not text.endswith(".") and _unit_sentence(text):
            following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
            if following:
                stated = stated_unit(f"{text} {following}")  # a sentence about the amounts wrapped before its unit
        if stated is not None:
            wrapped_sum = len(previous) >= MIN_WRAPPED_LINE and SUM_GOES_ON.search(previous)
            if wrapped_sum and not is_table_row(previous):
                stated = None  # a sentence a PDF wrapped before its unit (`… uppgick till 6 336` / `tkr.`): a sum
        if stated is not None and not (index - previous_index <= _RIGHT_UNDER and is_table_row(previous)):
            current = stated  # a unit line right under a table (`Beloppen står i tkr`) belongs to that table
        units.append(current)
        if text:
            previous, previous_index = text, index
    return units


def section_unit(lines: Sequence[TextLine], start: int, units: Sequence[int | None], unstated: int = 1) -> int:
    """The unit a table under the heading at `start` has when it states none: the heading's, else the running one,
    else `unstated` (kronor; 0 to tell a caller that nothing states one)."""
    return unit_of(lines[start].text) or units[start] or unstated
