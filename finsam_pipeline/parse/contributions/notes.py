"""The revenue note's table of payers, read and proven: its unit from the note's own evidence,
and an OCR note whose payers miss its printed total left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from finsam_pipeline.parse.contributions.amounts import (
    MAX_SEK,
    REVENUE_NOTE_CODES,
    payer_rows,
    revenue_note_numbers,
    scale_evidence,
)
from finsam_pipeline.parse.contributions.payers import name_sole_kommun
from finsam_pipeline.parse.sections import Section


def _note_scale(lines: Sequence[dict], facts: Sequence[dict], note_no: int) -> int | None:
    """1, unless the note's sum meets the statement line that points at it only in tkr. None where that line
    exists and no unit makes the note meet it: the note's amounts cannot fit the report, so none is loaded.
    A note a thousandfold above its line is not divided either: an over-scaled note and a statement left in
    unscaled tkr look alike."""
    verdicts: set[int | None] = set()
    for year in {line["fiscal_year"] for line in lines}:
        of_year = [line for line in lines if line["fiscal_year"] == year]
        parts = [line["amount_sek"] for line in of_year if not line["is_total"]]
        sums = [sum(parts), *(line["amount_sek"] for line in of_year if line["is_total"])]
        of_statement = [f for f in facts if f["fiscal_year"] == year and abs(f["amount_sek"]) < MAX_SEK]
        # the line pointing at the note, whatever its label (a statement over a billion kronor is no evidence):
        # where it exists and no unit meets it, the note cannot fit the report
        pointing = [
            f["amount_sek"]
            for f in of_statement
            if f["note_no"] == note_no
            and (f["line_code"] in REVENUE_NOTE_CODES or (f["statement"] == "income" and f["line_code"] == "other"))
        ]
        if pointing:
            verdicts.add(scale_evidence(sums, pointing, len(parts)))
            continue
        # no line points at it: the year's revenue lines may show the note's unit, but the note may also hold
        # less than they do (other revenue beside the members' money), so they never reject it
        revenue = [f["amount_sek"] for f in of_statement if f["line_code"] in REVENUE_NOTE_CODES]
        if revenue:
            verdicts.add(scale_evidence(sums, revenue, len(parts)) or 1)
    if not verdicts or 1 in verdicts:
        return 1
    known = {v for v in verdicts if v is not None}
    return known.pop() if len(known) == 1 else None


def contribution_rows(
    notes: Sequence[dict], note_numbers: Sequence[int], *, facts: Sequence[dict] = (), sole_kommun: str | None = None
) -> list[dict]:
    """One row per line of the revenue note(s), totals left out; amounts as the table reader scaled them, in the
    unit that makes the note meet its statement line. A note no unit reconciles with that line is left out."""
    chosen = [line for line in notes if line["note_no"] in note_numbers]
    scale = {n: _note_scale([line for line in chosen if line["note_no"] == n], facts, n) for n in set(note_numbers)}
    items = [
        {**line, "amount_sek": line["amount_sek"] * factor}
        for line in chosen
        if (factor := scale[line["note_no"]]) is not None
    ]
    return name_sole_kommun(payer_rows(items, payers_only=False), sole_kommun)


def unproven_ocr_notes(
    rows: list[dict], notes: Sequence[dict], ocr_pages: frozenset[int]
) -> tuple[list[dict], list[str]]:
    """Contributions read by OCR from a note that prints a total they do not add up to (a line unread, a digit
    misread: `220` for `225`) are left out: on a scan only the note's own sum proves its lines, and the law the
    state's half."""
    doubtful: dict[tuple, str] = {}
    for key in {(row.get("note_no"), row["fiscal_year"]) for row in rows if row.get("source_page") in ocr_pages}:
        of_key = [row for row in rows if (row.get("note_no"), row["fiscal_year"]) == key]
        totals = [
            line["amount_sek"] for line in notes if (line["note_no"], line["fiscal_year"]) == key and line["is_total"]
        ]
        found = sum(row["amount_sek"] for row in of_key)
        if totals and not any(adds_up_to(found, total) for total in totals):
            doubtful[key] = (
                f"member contributions {key[1]}: note {key[0]}, read by OCR, prints a total its payers do not add up "
                f"to ({found} against {', '.join(map(str, totals))}): left out"
            )
    kept = [row for row in rows if (row.get("note_no"), row["fiscal_year"]) not in doubtful or _half_of(row, notes)]
    return kept, list(doubtful.values())


def adds_up_to(found: int, total: int) -> bool:
    """Whether payers read in kronor add up to a note's total, printed in kronor or in tkr."""
    return found in (total, total * 1000)


def _half_of(row: dict, notes: Sequence[dict]) -> bool:
    """The state's line proven by the law alone: the state pays half of what the members pay (lag 2003:1210)."""
    totals = [
        line["amount_sek"]
        for line in notes
        if (line["note_no"], line["fiscal_year"]) == (row.get("note_no"), row["fiscal_year"]) and line["is_total"]
    ]
    return row["contributor_type"] == "state" and any(adds_up_to(row["amount_sek"] * 2, t) for t in totals)


def unreconciled_revenue_notes(notes: Sequence[dict], sections: Sequence[Section], facts: Sequence[dict]) -> list[int]:
    """The revenue notes whose sums meet the statement line pointing at them in no unit: their rows are left out
    (`contribution_rows`), and the caller flags them."""
    numbers = revenue_note_numbers(facts, sections, notes)
    return [n for n in numbers if _note_scale([line for line in notes if line["note_no"] == n], facts, n) is None]
