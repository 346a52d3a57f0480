"""Payer rows and their amounts: a payer's row from a label and an amount, the scale evidence that
tells kronor from tkr, the years a table proves, totals stated in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from finsam_pipeline.parse.contributions.payers import MEMBER_KINDS, kind_words, payer
from finsam_pipeline.parse.numbers import MAX_DIGITS
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.tables import is_total_label, unit_of
from finsam_pipeline.parse.vocabulary import (
    contribution_words,
)
from finsam_pipeline.read.textnorm import fold

REVENUE_NOTE_CODES = ("revenue_total", "member_contributions")


_SCALES = (1_000,)  # a table printed in tkr and read as kronor is short by exactly this factor


MAX_SEK = 10**MAX_DIGITS  # a förbund's amounts stay below this; a scale that passes it is wrong


UNIT_SUFFIX = re.compile(r"\s*(?:\b(?P<word>tkr|mkr|kr|kronor|sek)\.?|:-)\s*$", re.IGNORECASE)


# `451,8`, `1 300 000`, `2.920.000`
AMOUNT_PATTERN = r"(?P<amount>\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+)(?:,(?P<decimals>\d{1,2}))?"
AMOUNT_IN_UNIT = re.compile(
    r"(?<![\d,.])" + AMOUNT_PATTERN + r"\s*(?P<unit>tkr|mkr|kr|kronor|miljoner kronor)\b", re.IGNORECASE
)


def kronor_of(match: re.Match[str], prefix: str = "") -> int | None:
    """A matched amount and unit (`AMOUNT_PATTERN` and a `unit` group, their names after `prefix`) in whole kronor,
    or None where its decimals are finer than a krona."""
    unit = unit_of(match[f"{prefix}unit"]) or 1
    decimals = match[f"{prefix}decimals"] or ""
    value = int(re.sub(r"\D", "", match[f"{prefix}amount"]) + decimals) * unit
    scale = 10 ** len(decimals)
    return value // scale if value % scale == 0 else None


HEADING_UNIT = re.compile(r"[\s,(]*(?:belopp i\s+)?(?:tkr|mkr|kr|kronor)\)?\s*$", re.IGNORECASE)


YEAR_CELL = re.compile(r"^(?:19|20)\d{2}$")


BULLET = re.compile(r"^[\s•·*–-]+(?=\D)")


MAX_LINES_BEFORE_ROWS = 15


MAX_LABEL = 80


def payer_rows(items: Sequence[dict], *, payers_only: bool) -> list[dict]:
    """Contract rows from candidate lines (label, fiscal_year, amount_sek, note_no, source_*)."""
    out: list[dict] = []
    seen: set[tuple[str, int | None]] = set()
    for item in _without_broken_down(items):
        if is_total_label(item["label"]) or item["amount_sek"] is None:
            continue
        key = (fold(item["label"]), item["fiscal_year"])
        if key in seen:
            continue  # the same payer and year printed twice is one payment
        found = payer(item["label"])
        if payers_only and found.kind == "other":
            continue
        seen.add(key)
        out.append(
            {
                "fiscal_year": item["fiscal_year"],
                "contributor": item["label"],
                "contributor_type": found.kind,
                "kommun_code": found.kommun_code,
                "amount_sek": item["amount_sek"],
                "note_no": item["note_no"],
                "source_page": item["source_page"],
                "source_line": item["source_line"],
            }
        )
    return out


def _without_broken_down(items: Sequence[dict]) -> list[dict]:
    """`Medlemsavgifter` followed by `varav Försäkringskassan …` lines: the parts are the payers.

    When the `varav` lines name payers, the line they break down is dropped (and parts
    that name no payer with it); when they name none, they are parts of a payer's line
    and are dropped instead. Either way no krona is counted twice.
    """
    prefixes = kind_words("breakdown_prefix")
    drop: set[int] = set()
    by_block: dict[tuple, list[int]] = {}
    for position, item in enumerate(items):
        by_block.setdefault((item["note_no"], item["fiscal_year"]), []).append(position)
    for positions in by_block.values():
        ordered = sorted(positions, key=lambda p: items[p]["source_line"] or 0)
        parent: int | None = None
        parts: list[int] = []
        for position in [*ordered, None]:
            is_part = position is not None and (fold(items[position]["label"]).split() or [""])[0] in prefixes
            if is_part:
                parts.append(position)
                continue
            if parent is not None and parts:
                named = [p for p in parts if payer(items[p]["label"]).kind != "other"]
                drop |= {parent, *(set(parts) - set(named))} if named else set(parts)
            parent, parts = position, []
    return [item for position, item in enumerate(items) if position not in drop]


def scale_evidence(sums: Iterable[int], targets: Iterable[int], rows: int) -> int | None:
    """The factor by which a table's sums meet totals stated elsewhere, if one does; 1 is tried first."""
    sums, targets = [abs(s) for s in sums if s], [abs(t) for t in targets if t]
    for factor in (1, *_SCALES):
        tolerance = (factor // 2) * (rows + 1) if factor > 1 else rows + 1  # rounding to whole tkr
        if any(abs(s * factor - t) <= tolerance and s * factor < MAX_SEK for s in sums for t in targets):
            return factor
    return None


def revenue_note_numbers(
    facts: Sequence[dict], sections: Sequence[Section], notes: Sequence[dict] = ()
) -> list[int]:
    """The notes that list the members' payments: the ones the revenue lines point at; else one whose title
    says so; else one whose lines are payers adding up to a revenue line of the statement (`notes`)."""
    referenced = sorted({f["note_no"] for f in facts if f["line_code"] in REVENUE_NOTE_CODES and f["note_no"]})
    if referenced:
        return referenced
    titles = tuple(contribution_words()["revenue_note_title"])
    titled = [s.note_no for s in sections if s.name == "note" and fold(s.title).startswith(titles)]
    titled = [n for n in titled if n is not None][:1]
    return titled or payer_note_numbers(notes, facts)[:1]


def payer_note_numbers(notes: Sequence[dict], facts: Sequence[dict]) -> list[int]:
    """Notes read by what they hold: most of their lines name payers of at least two kinds (the state's
    agencies, a region, kommuner), and their lines add up, in some unit, to a revenue line of the
    income statement for each year they print whole. A year printing fewer lines than another (a payer OCR could
    not read) proves nothing either way. A title the vocabulary does not know costs nothing."""
    found = []
    for note_no in sorted({line["note_no"] for line in notes if line["note_no"] is not None}):
        of_note = [line for line in notes if line["note_no"] == note_no and not line["is_total"]]
        labels = {line["label"] for line in of_note}
        kinds = [payer(label).kind for label in labels]
        named = [kind for kind in kinds if kind in MEMBER_KINDS]
        if len(set(named)) < 2 or len(named) * 3 < len(labels) * 2:
            continue
        printed = Counter(line["fiscal_year"] for line in of_note)
        whole = [year for year, count in printed.items() if count == max(printed.values())]
        if whole and all(_meets_revenue(of_note, year, facts) for year in whole):
            found.append(note_no)
    return found


def _meets_revenue(of_note: Sequence[dict], year: int, facts: Sequence[dict]) -> bool:
    parts = [line["amount_sek"] for line in of_note if line["fiscal_year"] == year and line["amount_sek"] is not None]
    revenue = _revenue_lines(facts, year)
    return bool(parts and revenue) and scale_evidence([sum(parts)], revenue, len(parts)) is not None


def _revenue_lines(facts: Sequence[dict], year: int) -> list[int]:
    """The year's income-statement lines the members' payments add up to: contributions and the revenue total."""
    return [
        f["amount_sek"]
        for f in facts
        if f["fiscal_year"] == year and f["statement"] == "income" and f["line_code"] in REVENUE_NOTE_CODES
    ]


def _years_of(items: Sequence[dict]) -> Iterator[tuple[int, list[dict], list[int], list[int]]]:
    """Each year of the items with its items, the payers' amounts and the totals printed among them."""
    for year in sorted({item["fiscal_year"] for item in items}):
        of_year = [item for item in items if item["fiscal_year"] == year]
        parts = [item["amount_sek"] for item in of_year if not item["is_total"]]
        totals = [item["amount_sek"] for item in of_year if item["is_total"]]
        yield year, of_year, parts, totals


def stated_totals(prose: Iterable[str]) -> list[int]:
    """Amounts the text around a list states with their unit (`uppgår till 4 496 tkr`), in kronor."""
    return [
        kronor for text in prose for match in AMOUNT_IN_UNIT.finditer(text) if (kronor := kronor_of(match)) is not None
    ]


YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def proven_years(
    items: list[dict], unit: int | None, facts: Sequence[dict], note_no: int | None, stated: Sequence[int] = ()
) -> tuple[list[dict], list[str]]:
    """The items of the years whose payers add up to a printed total, scaled to kronor; the other years left
    out with a message. A printed total row must equal its parts; the statement line pointing at the note (else
    the year's revenue lines, else a total the text states) settles the unit where the note states none."""
    kept: list[dict] = []
    messages: list[str] = []
    for year, of_year, parts, totals in _years_of(items):
        if totals and sum(parts) not in totals:
            messages.append(
                f"member contributions {year}: the payers sum to {sum(parts)}, not the total printed "
                f"({', '.join(map(str, totals))}): left out"
            )
            continue
        of_statement = [f for f in facts if f["fiscal_year"] == year and abs(f["amount_sek"]) < MAX_SEK]
        pointing = [
            f["amount_sek"]
            for f in of_statement
            if note_no is not None and f["note_no"] == note_no and f["statement"] == "income"
        ]
        # the line pointing at the note can reject it; other income lines and totals in the text only support
        support = pointing or [f["amount_sek"] for f in of_statement if f["statement"] == "income"] + list(stated)
        factor = scale_evidence([sum(parts)], support, len(parts)) if support else None
        if factor is None and totals and not pointing:
            factor = unit or 1  # its own total proves the rows; the unit is the one it states, else kronor
        if factor is None or (unit is not None and factor != unit):
            messages.append(
                f"member contributions {year}: the payers ({sum(parts)} as printed) meet no total the "
                "report prints for them in its unit: left out"
            )
            continue
        kept += [{**item, "amount_sek": item["amount_sek"] * factor} for item in of_year]
    return kept, messages


def proven_by_revenue(items: list[dict], unit: int | None, facts: Sequence[dict]) -> tuple[list[dict], list[str]]:
    """The items of the years whose payers add up, in one unit, to a revenue line of the income statement (the
    members' contributions, else the revenue total), scaled to kronor; a total the items print themselves must
    equal them too. Payers found by what they hold rather than by a note the statement points at need this
    proof: a list of counts or of purchases names the same payers, and only the statement says it is the
    members' money."""
    kept: list[dict] = []
    messages: list[str] = []
    for year, of_year, parts, totals in _years_of(items):
        revenue = _revenue_lines(facts, year)
        factor = scale_evidence([sum(parts)], revenue, len(parts)) if revenue else None
        if (totals and sum(parts) not in totals) or factor is None or (unit is not None and factor != unit):
            messages.append(
                f"member contributions {year}: payers found in the text ({sum(parts)} as printed) add up to no "
                "revenue line of the income statement: left out"
            )
            continue
        kept += [{**item, "amount_sek": item["amount_sek"] * factor} for item in of_year if not item["is_total"]]
    return kept, messages
