"""Who paid what: `member_contributions` from the revenue note.

The note the income statement points at for its revenue (or, failing a note number,
the note titled like revenue or member fees) lists one line per payer. Payer types
and municipality names come from `assets/reference/contributor_types.csv`,
`kommuner.csv` and `kommun_aliases.csv`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.sections import Section
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
