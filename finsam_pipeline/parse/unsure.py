"""Amounts OCR was unsure of, loaded only where the report's own arithmetic proves them.

An amount Tesseract read with doubt (a low confidence, a letter boxed inside its neighbour) is
shown as `?`s, so the parsers leave its value out. What Tesseract read is kept beside the line
(`TextLine.as_read`). Here the statements are read a second time with those readings in place. A
fact only that second reading gives is a candidate: never loaded for what it says, only where the
report's arithmetic reproduces it from numbers read for sure (a sum, an identity, another statement,
as `confirm.py` decides). Candidates are tried one at a time beside the facts read for sure, so two
candidates never vouch for each other (a bold `1.204.167` misread the same way in three statements
stays out); a proven one joins the sure facts and may prove the next. A candidate nothing proves stays
left out, with the warning that named its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from finsam_pipeline.parse.aligned import tabulate_aligned
from finsam_pipeline.parse.classify import Classification
from finsam_pipeline.parse.confirm import confirm_facts
from finsam_pipeline.parse.contributions import member_contribution_rows, unproven_ocr_notes
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.side_by_side import statements_unfolded
from finsam_pipeline.parse.statements import note_lines, statement_facts, with_report_years
from finsam_pipeline.read.extract import ExtractedText, TextLine, reading_of_unsure

Key = tuple[str, int, int]  # statement, source line, fiscal year


@dataclass(frozen=True)
class UnsureAmounts:
    """A report read a second time with what OCR read where it shows `?`s, and what that reading proves."""

    lines: Sequence[TextLine]  # the extracted lines, `as_read` beside the text
    read: Sequence[TextLine] | None  # the lines as read (statements unfolded); None where nothing was unsure
    unfolded: Sequence[TextLine]  # the lines the parsers read for sure (statements unfolded)
    ocr_pages: frozenset[int]

    @classmethod
    def of(cls, extracted: ExtractedText, unfolded: Sequence[TextLine], ocr_pages: frozenset[int]) -> UnsureAmounts:
        again = lines_as_read(extracted.lines) if ocr_pages else None
        return cls(extracted.lines, statements_unfolded(again) if again is not None else None, unfolded, ocr_pages)

    def statement_facts(
        self, facts: list[dict], note_titles: Mapping[int, str], fiscal_year: int | None
    ) -> tuple[list[dict], set[int]]:
        """The facts read for sure with the candidates the arithmetic proves, and the lines now read whole."""
        if self.read is None:
            return facts, set()
        as_read, _, _ = statement_facts(self.read, note_titles)
        candidates = candidate_facts(facts, with_report_years(as_read, fiscal_year), self.lines)
        proven = proven_candidates(facts, candidates, lambda trial: confirm_facts(trial, self.ocr_pages)[0])
        return [*facts, *proven], lines_proven_whole(self.lines, candidates, proven)

    def member_contributions(
        self, rows: list[dict], notes: Sequence[dict], sections: Sequence[Section], facts: Sequence[dict],
        kind: Classification,
    ) -> tuple[list[dict], list[str]]:  # fmt: skip
        """The contributions the revenue note's sum proves (`unproven_ocr_notes`), with the years it proves only
        with a payer read unsure (`contributions_proven`); and why the others were left out."""
        kept, unproven = unproven_ocr_notes(rows, notes, self.ocr_pages)
        if self.read is None or [line.line_no for line in self.read] != [line.line_no for line in self.unfolded]:
            return kept, unproven  # the sections' indexes would not hold in the lines as read
        notes_read, _ = note_lines(self.read, sections, facts)
        as_read = member_contribution_rows(
            tabulate_aligned(self.read), sections, facts, notes_read, kind.fiscal_year, kind.forbund_id,
            kind.forbund_name,
        )  # fmt: skip
        as_read, _ = unproven_ocr_notes(with_report_years(as_read, kind.fiscal_year), notes_read, self.ocr_pages)
        gained = contributions_proven(kept, as_read, notes_read, self.lines)
        if not gained:
            return kept, unproven
        years = {row["fiscal_year"] for row in gained}
        others = [row for row in rows if row["fiscal_year"] not in years]
        kept, unproven = unproven_ocr_notes(others, notes, self.ocr_pages)
        return [*kept, *gained], unproven


def lines_as_read(lines: Sequence[TextLine]) -> list[TextLine] | None:
    """The lines with every unsure amount as OCR read it; None where no line has such a reading."""
    if not any(line.as_read for line in lines):
        return None
    return [
        replace(line, text=_specks_cleared(line.text, line.as_read), as_read=None)
        if line.as_read and reading_of_unsure(line.text, line.as_read)
        else line
        for line in lines
    ]


_UNSURE_RUN = re.compile(r"\?+")
_NOISE_BEFORE = re.compile(r"^[^\d(+\-−–]+")  # `"1.204.167`: a speck read before the digits
_NOISE_AFTER = re.compile(r"[^\d)]+$")  # `3.434.117.`, `0:`: a speck read after them


def _specks_cleared(text: str, as_read: str) -> str:
    """The reading with what OCR read of specks around each unsure amount blanked, column for column."""
    out = list(as_read)
    for run in _UNSURE_RUN.finditer(text):
        read = as_read[run.start() : run.end()]
        read = _NOISE_BEFORE.sub(lambda m: " " * len(m.group()), read)
        read = _NOISE_AFTER.sub(lambda m: " " * len(m.group()), read)
        out[run.start() : run.end()] = read
    return "".join(out)


def _key(fact: dict) -> Key:
    return fact["statement"], fact["source_line"], fact["fiscal_year"]


def candidate_facts(sure: Sequence[dict], as_read: Sequence[dict], lines: Sequence[TextLine]) -> list[dict]:
    """Facts only the reading of unsure amounts gives, on lines that have such a reading. A statement whose
    second reading gives any fact the first read for sure another amount or code is not read so at all: the
    readings changed more than the unsure cells (a unit, a column)."""
    read_lines = {line.line_no for line in lines if line.as_read}
    by_key = {_key(fact): fact for fact in sure}
    changed = {
        fact["statement"]
        for fact in as_read
        if _key(fact) in by_key
        and (by_key[_key(fact)]["amount_sek"], by_key[_key(fact)]["line_code"])
        != (fact["amount_sek"], fact["line_code"])
    }
    return [
        fact
        for fact in as_read
        if _key(fact) not in by_key and fact["source_line"] in read_lines and fact["statement"] not in changed
    ]


def proven_candidates(
    sure: Sequence[dict], candidates: Sequence[dict], confirm: Callable[[list[dict]], list[dict]]
) -> list[dict]:
    """The candidates the arithmetic reproduces, each beside the sure facts and those proven before it:
    `confirm` gives the facts back with `confirmed_by` set where a sum, identity or other statement holds."""
    proven: list[dict] = []
    pending = list(candidates)
    while pending:
        found = None
        for candidate in pending:
            trial = confirm([*sure, *proven, candidate])
            if any(_key(fact) == _key(candidate) and fact.get("confirmed_by") for fact in trial):
                found = candidate
                break
        if found is None:
            return proven
        proven.append(found)
        pending.remove(found)
    return proven


def lines_proven_whole(lines: Sequence[TextLine], candidates: Sequence[dict], proven: Sequence[dict]) -> set[int]:
    """Lines whose every unsure amount was read (no `?` left in the reading) and whose every candidate was
    proven: the warnings that left their values out no longer hold."""
    proven_keys = {_key(fact) for fact in proven}
    read_whole = {line.line_no for line in lines if line.as_read and "?" not in line.as_read}
    return {
        line
        for line in {fact["source_line"] for fact in candidates} & read_whole
        if all(_key(fact) in proven_keys for fact in candidates if fact["source_line"] == line)
    }


def contributions_proven(
    sure: Sequence[dict], as_read: Sequence[dict], notes_as_read: Sequence[dict], lines: Sequence[TextLine]
) -> list[dict]:
    """The years of member contributions only the reading of unsure amounts gives, where one payer of the
    revenue note was read unsure and the note's total, read for sure, is what its payers add up to: the sum
    proves that payer as it proves the others (`Älvkarleby kommun  ????` above `Summa  25 400`). Two payers read
    unsure in one year prove nothing: their sum holds whichever way one misreading offsets the other."""
    read_lines = {line.line_no for line in lines if line.as_read}
    sure_years = {row["fiscal_year"] for row in sure}
    gained: list[dict] = []
    for year in sorted({row["fiscal_year"] for row in as_read} - sure_years):
        rows = [row for row in as_read if row["fiscal_year"] == year]
        keys = {row.get("note_no") for row in rows}
        if None in keys or len(keys) != 1 or sum(row["source_line"] in read_lines for row in rows) != 1:
            continue
        totals = [
            line
            for line in notes_as_read
            if (line["note_no"], line["fiscal_year"]) == (keys.pop(), year) and line["is_total"]
        ]
        found = sum(row["amount_sek"] for row in rows)
        if any(line["source_line"] not in read_lines and found in (line["amount_sek"], line["amount_sek"] * 1000)
               for line in totals):
            gained += rows
    return gained
