"""Who paid what: `member_contributions` from the revenue note.

The note the income statement points at for its revenue (or, failing a note number,
the note titled like revenue or member fees) lists one line per payer. Payer types
and municipality names come from `assets/reference/contributor_types.csv`,
`kommuner.csv` and `kommun_aliases.csv`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.extract import TextLine
from finsam_pipeline.parse.numbers import NumberParseError, parse_amount
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.tables import cells_of
from finsam_pipeline.textnorm import fold
from finsam_pipeline.vocabulary import contributor_patterns, kommun_names

REVENUE_NOTE_CODES = ("revenue_total", "member_contributions")
_REVENUE_NOTE_TITLES = ("verksamhetens intakter", "medlemsavgifter", "bidrag fran medlemmar", "driftbidrag", "intakter")


def contributor_type(contributor: str) -> str:
    folded = fold(contributor)
    for kind, pattern in contributor_patterns():
        if re.search(pattern, folded):
            return kind
    return "other"


def kommun_code(contributor: str) -> str | None:
    """The official code of the one municipality a contributor names, else None."""
    folded = f" {fold(contributor)} "
    found = {code for name, code in kommun_names().items() if f" {name} " in folded}
    return found.pop() if len(found) == 1 else None


def revenue_note_numbers(facts: Sequence[dict], sections: Sequence[Section]) -> list[int]:
    referenced = sorted({f["note_no"] for f in facts if f["line_code"] in REVENUE_NOTE_CODES and f["note_no"]})
    if referenced:
        return referenced
    titled = [s.note_no for s in sections if s.name == "note" and fold(s.title).startswith(_REVENUE_NOTE_TITLES)]
    return [n for n in titled if n is not None][:1]


def financing_text_rows(lines: Sequence[TextLine], year: int | None) -> list[dict]:
    """`Arbetsförmedlingen<TAB>2 007 000` lines under a `Finansiering` heading, used when no note lists payers."""
    out: list[dict] = []
    inside = False
    for line in lines:
        text = line.text.strip()
        if fold(text) == "finansiering":
            inside = True
            continue
        if not inside or not text:
            continue
        cells = cells_of(line.text)
        if cells is None or len(cells) != 2:
            if out or len(text) < 60:
                if out:
                    break
                continue
            continue
        try:
            amount = parse_amount(cells[1])
        except NumberParseError:
            continue
        kind = contributor_type(cells[0])
        if amount is None or kind == "other":
            continue
        out.append(
            {
                "fiscal_year": year,
                "contributor": cells[0],
                "contributor_type": kind,
                "kommun_code": kommun_code(cells[0]) if kind == "municipality" else None,
                "amount_sek": amount,
                "note_no": None,
                "source_page": line.page,
                "source_line": line.line_no,
            }
        )
    return out


def contribution_rows(notes: Sequence[dict], note_numbers: Sequence[int]) -> list[dict]:
    out = []
    seen: set[tuple[str, int]] = set()
    for line in notes:
        if line["note_no"] not in note_numbers or line["is_total"]:
            continue
        key = (fold(line["label"]), line["fiscal_year"])
        if key in seen:
            continue  # the same payer and year printed twice is one payment
        seen.add(key)
        kind = contributor_type(line["label"])
        out.append(
            {
                "fiscal_year": line["fiscal_year"],
                "contributor": line["label"],
                "contributor_type": kind,
                "kommun_code": kommun_code(line["label"]) if kind == "municipality" else None,
                "amount_sek": line["amount_sek"],
                "note_no": line["note_no"],
                "source_page": line["source_page"],
                "source_line": line["source_line"],
            }
        )
    return out
