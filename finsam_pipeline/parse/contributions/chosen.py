"""One reading of the member contributions per year, chosen among the revenue note, the share
tables, the financing lists and the prose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from finsam_pipeline.parse.contributions.amounts import MAX_SEK, revenue_note_numbers
from finsam_pipeline.parse.contributions.lists import financing_text_rows, payer_list_rows
from finsam_pipeline.parse.contributions.notes import contribution_rows
from finsam_pipeline.parse.contributions.payers import (
    name_sole_kommun,
    payer,
    shared_names_settled,
    sole_member_kommun,
)
from finsam_pipeline.parse.contributions.prose import payer_sentence_rows, prose_rows
from finsam_pipeline.parse.contributions.shares import share_note_rows, share_table_rows
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.read.extract import TextLine


def member_contribution_rows(
    lines: Sequence[TextLine],
    sections: Sequence[Section],
    facts: Sequence[dict],
    notes: Sequence[dict],
    fiscal_year: int | None,
    forbund_id: str | None = None,
    forbund_name: str | None = None,
    messages: list[str] | None = None,
) -> list[dict]:
    """`member_contributions` of one document, from the first reading that names payers: the revenue note; the
    note read by its share column; the financing text; a sentence listing the payers; one sentence per payer;
    payers listed one a line; a share table outside the notes. `Kommunen` is named where the registry or the
    report settles it. Why a year was left out goes to `messages`."""
    messages = [] if messages is None else messages
    readings: tuple[Callable[[], list[dict]], ...] = (
        lambda: contribution_rows(notes, revenue_note_numbers(facts, sections, notes), facts=facts),
        lambda: share_note_rows(lines, sections, facts, messages),
        lambda: financing_text_rows(lines, fiscal_year, facts=facts),
        lambda: prose_rows(lines, fiscal_year, facts, messages),
        lambda: payer_sentence_rows(lines, fiscal_year, facts, messages),
        lambda: payer_list_rows(lines, fiscal_year, facts, messages),
        lambda: share_table_rows(lines, fiscal_year, facts, messages),
    )
    rows: list[dict] = []
    for reading in readings:
        rows = reading() or rows  # a note that names no payer is kept unless another reading names them
        if any(r["contributor_type"] != "other" for r in rows):
            break
    if any(r["kommun_code"] is None and payer(r["contributor"]).unnamed_kommun for r in rows):
        rows = name_sole_kommun(rows, sole_member_kommun(lines, forbund_id, fiscal_year, forbund_name))
    implausible = sorted({r["fiscal_year"] for r in rows if abs(r["amount_sek"]) >= MAX_SEK})
    messages += [
        f"member contributions {year}: a payer's amount passes a billion kronor, which no förbund has: the year's "
        "payers are left out"
        for year in implausible
    ]
    rows = [r for r in rows if r["fiscal_year"] not in implausible]
    return shared_names_settled(rows, lines, forbund_id, fiscal_year)
