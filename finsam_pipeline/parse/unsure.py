"""Amounts OCR was unsure of, loaded only where the report's own arithmetic proves them.

An amount Tesseract read with doubt (a low confidence, a letter boxed inside its neighbour) is
shown as `?`s, so the parsers leave its value out. What Tesseract read is kept beside the line
(`TextLine.as_read`). Here the statements are read a second time with those readings in place. A
fact only that second reading gives is a candidate: never loaded for what it says, only where the
report's arithmetic reproduces it from numbers read for sure (a sum, an identity, another statement,
as `confirm.py` decides). Candidates are tried one at a time beside the facts read for sure, so two
candidates never vouch for each other (a bold `1.204.167` misread the same way in three statements
stays out); a proven one joins the sure facts and may prove the next. A proof changes nothing read for
sure, passes over no line left out, and holds again with all the proven ones together
(`proven_candidates`). A candidate nothing proves stays left out, with the warning that named its line.
The revenue note's payers are completed the same way, by the note's own total (`contributions_proven`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from finsam_pipeline.parse.aligned import tabulate_aligned
from finsam_pipeline.parse.classify import Classification
from finsam_pipeline.parse.confirm import LeftOut, confirm_facts, confirmed_by_other_statements
from finsam_pipeline.parse.contributions import member_contribution_rows, unproven_ocr_notes
from finsam_pipeline.parse.contributions.notes import adds_up_to
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.side_by_side import statements_unfolded
from finsam_pipeline.parse.statements import note_lines, statement_facts, with_report_years
from finsam_pipeline.read.extract import ExtractedText, TextLine, reading_of_unsure
from finsam_pipeline.read.ocr.words import mixed_separators

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
        lines = [misgrouped_as_unsure(line) if line.page in ocr_pages else line for line in extracted.lines]
        again = lines_as_read(lines) if ocr_pages else None
        return cls(lines, statements_unfolded(again) if again is not None else None, unfolded, ocr_pages)

    def statement_facts(
        self, facts: list[dict], note_titles: Mapping[int, str], fiscal_year: int | None, left_out: set[int]
    ) -> tuple[list[dict], set[int]]:
        """The facts read for sure, dated, with the candidates the arithmetic proves; and the lines now read whole.
        `left_out`: the lines whose values the first reading left out."""
        facts = with_report_years(facts, fiscal_year)
        if self.read is None:
            return facts, set()
        as_read, _, _ = statement_facts(self.read, note_titles)
        candidates = candidate_facts(facts, with_report_years(as_read, fiscal_year), self.lines)
        unread = frozenset(left_out | self._unsure_lines())

        def confirm(trial: list[dict], left_out: LeftOut = frozenset()) -> list[dict]:
            return confirm_facts(trial, self.ocr_pages, left_out)[0]

        proven = proven_candidates(facts, candidates, confirm, unread)
        return [*facts, *proven], lines_proven_whole(self.lines, candidates, proven)

    def _unsure_lines(self, as_read: bool = False) -> set[int]:
        """Lines with a cell of `?`s in the text (with `as_read`: left in the reading too)."""
        return {
            line.line_no
            for line in self.lines
            if _UNSURE_CELL.search(line.text) and (not as_read or not line.as_read or "?" in line.as_read)
        }

    def member_contributions(
        self, rows: list[dict], notes: Sequence[dict], sections: Sequence[Section], facts: Sequence[dict],
        kind: Classification,
    ) -> tuple[list[dict], list[str], set[int]]:  # fmt: skip
        """The contributions the revenue note's sum proves (`unproven_ocr_notes`), with the years it proves only
        with a payer read unsure (`contributions_proven`); why the others were left out; and the payer lines now
        read whole."""
        kept, unproven = unproven_ocr_notes(rows, notes, self.ocr_pages)
        if self.read is None or [line.line_no for line in self.read] != [line.line_no for line in self.unfolded]:
            return kept, unproven, set()  # the sections' indexes would not hold in the lines as read
        notes_read, note_issues = note_lines(self.read, sections, facts)
        notes_read = with_report_years(notes_read, kind.fiscal_year)
        as_read = member_contribution_rows(
            tabulate_aligned(self.read), sections, facts, notes_read, kind.fiscal_year, kind.forbund_id,
            kind.forbund_name,
        )  # fmt: skip
        as_read, _ = unproven_ocr_notes(with_report_years(as_read, kind.fiscal_year), notes_read, self.ocr_pages)
        unread = {i.source_line for i in note_issues if i.check_name == "value_left_out" and i.source_line}
        gained = contributions_proven(kept, as_read, notes_read, self.lines, unread | self._unsure_lines(as_read=True))
        if not gained:
            return kept, unproven, set()
        years = {row["fiscal_year"] for row in gained}
        others = [row for row in rows if row["fiscal_year"] not in years]
        kept, unproven = unproven_ocr_notes(others, notes, self.ocr_pages)
        return [*kept, *gained], unproven, lines_proven_whole(self.lines, gained, gained)


# digits OCR set in groups no amount has, a cell of their own: `2942 000` (a space lost, one kept), `1378 000`
_MISGROUPED_CELL = re.compile(r"(?<= {2})[-−–]?\d{4,}(?: \d{3})+(?= {2,}|$)")


def misgrouped_as_unsure(line: TextLine) -> TextLine:
    """A line read by OCR with each cell whose digits stand in groups no amount has (`2942 000`) as an amount OCR
    was unsure of: `?`s in the text, as every parser already leaves it (its column unknown), and its digits read
    together (`2942000`) as the reading only the report's arithmetic may prove. Which space OCR lost or added is
    unknown; the sum that reproduces the digits read together settles it."""
    cells = list(_MISGROUPED_CELL.finditer(line.text))
    if not cells:
        return line
    reading = (line.as_read and reading_of_unsure(line.text, line.as_read)) or line.text  # other cells' readings
    text, read = list(line.text), list(reading)
    for cell in cells:
        start, end = cell.span()
        joined = cell.group().replace(" ", "")
        text[start:end] = "?" * (end - start)
        read[start:end] = joined.rjust(end - start)
    return replace(line, text="".join(text), as_read="".join(read))


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
        if mixed_separators(read.strip()):
            read = re.sub(r"[.,]", "", read).rjust(len(read))  # `4,552.000`: one mark misread, the digits read
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


_UNREAD = 10**15  # no sum of kronor reaches this: a line standing for one left out makes every sum over it fail


def proven_candidates(
    sure: Sequence[dict],
    candidates: Sequence[dict],
    confirm: Callable[..., list[dict]],
    unread_lines: frozenset[int] = frozenset(),
) -> list[dict]:
    """The candidates the arithmetic reproduces, each beside the sure facts and those proven before it:
    `confirm` gives the facts back with `confirmed_by` set where a sum, identity or other statement holds (and takes
    the lines to treat as left out).

    A proof must leave everything else as it was: the candidate keeps the amount and code it was read with,
    and every other fact comes back as it did without it (a trial that turns a sure line's sign to make the
    candidate hold proves nothing). A line left out (`unread_lines`, and every other candidate) stands in every
    trial as a line no sum can pass over: a run of lines skipping it, which a misread could make up for, proves
    nothing; an identity proves nothing in a statement and year with a line of no known code left out, for the
    same reason, unless another statement prints the same number. The proven ones are confirmed again together,
    as they will be loaded."""
    proven: list[dict] = []
    pending = list(candidates)
    while pending:
        found = None
        for candidate in pending:
            if _proves(sure, proven, candidate, [c for c in pending if c is not candidate], confirm, unread_lines):
                found = candidate
                break
        if found is None:
            break
        proven.append(found)
        pending.remove(found)
    while proven:
        kept = _confirmed(confirm([*sure, *proven]), proven)
        if len(kept) == len(proven):
            break
        proven = kept
    return proven


def _proves(
    sure: Sequence[dict],
    proven: Sequence[dict],
    candidate: dict,
    others: Sequence[dict],
    confirm: Callable[..., list[dict]],
    unread_lines: frozenset[int],
) -> bool:
    unread = _unread([*sure, *proven, candidate], others, unread_lines)
    # without the candidate its line is one left out: no sum over it may refute the sure lines beside it, which the
    # comparison below would then pass over
    before = {
        _key(f): (f["amount_sek"], f["line_code"])
        for f in confirm([*sure, *proven, *unread], frozenset({(candidate["source_line"], None)}))
    }
    tried = confirm([*sure, *proven, candidate, *unread])
    trial = {_key(f): f for f in tried}
    got = trial.get(_key(candidate))
    if got is None or not got.get("confirmed_by") or got["line_code"] != candidate["line_code"]:
        return False
    if got["amount_sek"] != candidate["amount_sek"]:
        return False
    if any(trial.get(key) is None or (trial[key]["amount_sek"], trial[key]["line_code"]) != was
           for key, was in before.items()):  # fmt: skip
        return False
    year = candidate["fiscal_year"]
    if got["confirmed_by"] == "identity" and any(
        f["statement"] == candidate["statement"] and f["fiscal_year"] == year and f["line_code"] == "other"
        for f in unread
    ):  # a line of no known code left out may be a term the misread makes up for; another statement still proves
        return any(_key(tried[i]) == _key(candidate) for i in confirmed_by_other_statements(tried))
    return True


def _unread(facts: Sequence[dict], pending: Sequence[dict], unread_lines: frozenset[int]) -> list[dict]:
    """Facts standing for what was left out, with an amount no sum or identity reaches: each other candidate with
    its code, so the identities it is a term of prove nothing; and each line left out among a statement's printed
    lines (from three above its first to the one below its last), in each of its years, coded `other`."""
    out = [{**candidate, "amount_sek": _UNREAD} for candidate in pending]
    taken = {(f["statement"], f["source_line"], f["fiscal_year"]) for f in [*facts, *pending]}
    for statement in sorted({f["statement"] for f in facts}):
        of_statement = [f for f in facts if f["statement"] == statement]
        first, last = min(f["source_line"] for f in of_statement), max(f["source_line"] for f in of_statement)
        for line in sorted(unread_lines):
            if not first - 3 <= line <= last + 1:
                continue
            for year in sorted({f["fiscal_year"] for f in of_statement}):
                if (statement, line, year) not in taken:
                    out.append(
                        {"statement": statement, "line_code": "other", "label": "(left out)", "fiscal_year": year,
                         "amount_sek": _UNREAD, "source_page": of_statement[0]["source_page"], "source_line": line}
                    )  # fmt: skip
    return out


def _confirmed(trial: Sequence[dict], proven: Sequence[dict]) -> list[dict]:
    confirmed = {(_key(f), f["amount_sek"]) for f in trial if f.get("confirmed_by")}
    return [c for c in proven if (_key(c), c["amount_sek"]) in confirmed]


def lines_proven_whole(lines: Sequence[TextLine], candidates: Sequence[dict], proven: Sequence[dict]) -> set[int]:
    """Lines whose every unsure cell was read (no `?` left in the reading) and proven, one proven candidate for
    each cell of `?`s: the warnings that left their values out no longer hold."""
    proven_lines = [fact["source_line"] for fact in proven]
    whole = set()
    for line in lines:
        if not line.as_read or "?" in line.as_read or line.line_no not in proven_lines:
            continue
        if any(c["source_line"] == line.line_no and c not in proven for c in candidates):
            continue
        if len(_UNSURE_CELL.findall(line.text)) == proven_lines.count(line.line_no):
            whole.add(line.line_no)
    return whole


_UNSURE_CELL = re.compile(r"\?+(?: \?+)*")


def contributions_proven(
    sure: Sequence[dict],
    as_read: Sequence[dict],
    notes_as_read: Sequence[dict],
    lines: Sequence[TextLine],
    left_out: set[int] = frozenset(),
) -> list[dict]:
    """The years of member contributions the reading of unsure amounts completes (none of their payers read for
    sure, or only those the law vouches for, as the state's half), where one payer of the revenue note was read
    unsure and the note's total, read for sure, is what its payers add up to: the sum
    proves that payer as it proves the others (`Älvkarleby kommun  ????` above `Summa  25 400`). Every line of
    the note must be a payer read, none left out (`left_out`: a payer missing from the sum would let a misread
    one make up for it). Two payers read unsure in one year prove nothing: their sum holds whichever way one
    misreading offsets the other."""
    read_lines = {line.line_no for line in lines if line.as_read}
    gained: list[dict] = []
    for year in sorted({row["fiscal_year"] for row in as_read}):
        rows = [row for row in as_read if row["fiscal_year"] == year]
        kept = {(row["source_line"], row["amount_sek"]) for row in sure if row["fiscal_year"] == year}
        if not kept < {(row["source_line"], row["amount_sek"]) for row in rows}:
            continue  # read whole for sure, or read otherwise: only a year missing payers is completed
        notes = {row.get("note_no") for row in rows}
        if None in notes or len(notes) != 1 or sum(row["source_line"] in read_lines for row in rows) != 1:
            continue
        note = notes.pop()
        of_note = [line for line in notes_as_read if (line["note_no"], line["fiscal_year"]) == (note, year)]
        totals = [line for line in of_note if line["is_total"]]
        payer_lines = {line["source_line"] for line in of_note if not line["is_total"]}
        if not totals or payer_lines != {row["source_line"] for row in rows}:
            continue
        span = range(min(payer_lines), max(line["source_line"] for line in totals) + 1)
        if any(line in span for line in left_out):
            continue
        found = sum(row["amount_sek"] for row in rows)
        if any(
            line["source_line"] not in read_lines and adds_up_to(found, line["amount_sek"])
            for line in totals
        ):
            gained += rows
    return gained
