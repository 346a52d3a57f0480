"""Contributions told in sentences (`Försäkringskassan och Region X bidrog med 1 mkr vardera`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.contributions.amounts import YEAR_IN, payer_rows, proven_years, stated_totals
from finsam_pipeline.parse.contributions.payers import SENTENCE_END, payer
from finsam_pipeline.parse.tables import unit_of
from finsam_pipeline.read.extract import TextLine

_ENUMERATED = re.compile(
    r"(?P<label>[^\W\d_][^,:;.]*?)\s+(?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)\s*(?P<unit>tkr|kr|kronor)\b",
    re.IGNORECASE,
)


_ITEM_SPLIT = re.compile(r",\s+|\s+och\s+")


def _enumerations(text: str) -> list[tuple[str, str]]:
    """`… 2024 var: staten genom Försäkringskassan 3 076 000 kr, Region Värmland 1 065 000 kr, … och Åmåls
    kommun 221 500 kr.`: (lead-in, list) of every sentence that lists amounts after a colon or `var`."""
    found = []
    for sentence in SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        lead, colon, tail = sentence.partition(":")
        tail = re.split(r"\.\s", tail + " ")[0]  # the sentence ends there even where no capital follows
        if colon and len(_ENUMERATED.findall(tail)) >= 3:
            found.append((lead, tail.rstrip(" .")))
    return found


def prose_rows(
    lines: Sequence[TextLine], fiscal_year: int | None, facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions listed in a sentence (`Bidragen från medlemmarna 2024 var: Försäkringskassan 5 237 000 kr,
    …, Täby 1 471 070 kr och Norrtälje kommun 1 255 310 kr.`), when every item is one payer and one amount and
    they add up to a total the report prints."""
    text = "\n".join(line.text for line in lines)
    for lead, listing in _enumerations(text):
        stated = stated_totals([text.replace(listing, " ")])  # a total printed elsewhere, never an item
        first = _ENUMERATED.search(listing)
        source = next((line for line in lines if first and first["amount"] in line.text), None)
        years = {int(y) for y in YEAR_IN.findall(lead)}
        year = years.pop() if len(years) == 1 else fiscal_year
        items = []
        for part in _ITEM_SPLIT.split(listing):
            match = _ENUMERATED.fullmatch(part.strip())
            if match is None or payer(match["label"]).kind == "other":
                items = []
                break
            unit = unit_of(match["unit"]) or 1
            items.append(
                {
                    "label": match["label"].strip(),
                    "fiscal_year": year,
                    "amount_sek": int(re.sub(r"\D", "", match["amount"])) * unit,
                    "note_no": None,
                    "is_total": False,
                    "source_page": source.page if source else None,
                    "source_line": source.line_no if source else None,
                }
            )
        if len(items) < 2 or year is None:
            continue
        kept, left_out = proven_years(items, 1, facts, None, stated)
        messages += left_out
        rows = payer_rows(kept, payers_only=True)
        if rows:
            return rows
    return []
