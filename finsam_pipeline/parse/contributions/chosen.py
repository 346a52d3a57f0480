"""One reading of the member contributions per year, chosen among the revenue note, the share
tables, the financing lists and the prose.
"""

from __future__ import annotations

from collections.abc import Sequence

from finsam_pipeline.parse.contributions.amounts import revenue_note_numbers
from finsam_pipeline.parse.contributions.lists import financing_text_rows
from finsam_pipeline.parse.contributions.notes import contribution_rows
from finsam_pipeline.parse.contributions.payers import (
    name_sole_kommun,
    payer,
    sole_member_kommun,
)
from finsam_pipeline.parse.contributions.prose import prose_rows
from finsam_pipeline.parse.contributions.shares import share_note_rows
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
    """`member_contributions` of one document: the revenue note, else the note read by its share column, the
    financing text, a sentence listing the payers; `Kommunen` named. Why a year was left out goes to
    `messages`."""
    messages = [] if messages is None else messages
    rows = contribution_rows(notes, revenue_note_numbers(facts, sections), facts=facts)
    if not any(r["contributor_type"] != "other" for r in rows):  # the note names no payer: the list may
        rows = share_note_rows(lines, sections, facts, messages) or rows
    if not any(r["contributor_type"] != "other" for r in rows):
        rows = financing_text_rows(lines, fiscal_year, facts=facts) or rows
    if not any(r["contributor_type"] != "other" for r in rows):
        rows = prose_rows(lines, fiscal_year, facts, messages) or rows
    if any(r["kommun_code"] is None and payer(r["contributor"]).unnamed_kommun for r in rows):
        rows = name_sole_kommun(rows, sole_member_kommun(lines, forbund_id, fiscal_year, forbund_name))
    return rows
