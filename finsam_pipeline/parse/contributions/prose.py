"""Contributions told in sentences: one sentence listing them (`… var: Försäkringskassan 5 237 000 kr, …`), or
one sentence per payer (`Region Örebro län bidrog med 1 300,0 tkr.` / `Kumla kommun betalade in 451,8 tkr.`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.contributions.amounts import (
    AMOUNT_IN_UNIT,
    AMOUNT_PATTERN,
    YEAR_IN,
    kronor_of,
    payer_rows,
    proven_by_revenue,
    proven_years,
    stated_totals,
)
from finsam_pipeline.parse.contributions.payers import SENTENCE_END, kind_words, payer
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_PRIOR = "prior_"  # the group names of the year before's amount, in brackets after an item
_ENUMERATED = re.compile(
    r"(?P<label>[^\W\d_][^,:;.]*?)\s+(?:med\s+)?(?:sammanlagt\s+|totalt\s+)?"
    + AMOUNT_PATTERN
    + r"\s*(?P<unit>tkr|kr|kronor)\b"
    + r"(?:\s*\(\s*"
    + AMOUNT_PATTERN.replace("?P<", f"?P<{_PRIOR}")
    + rf"\s*(?P<{_PRIOR}unit>tkr|kr|kronor)\s*\))?",
    re.IGNORECASE,
)


# a cheap stand-in for AMOUNT_IN_UNIT where only the count matters: a tenth of its cost on a long text
_UNIT_AFTER_DIGIT = re.compile(r"\d\s*(?:tkr|kr|kronor)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")  # every amount has one

_TELLING_WORDS = frozenset(
    {"under", "året", "bidrog", "bidragit", "betalade", "betalat", "har", "hade", "in", "med", "sammanlagt", "totalt"}
)


def _payer_label(told: str) -> str:
    """The payer a sentence tells of, without the words telling it (`Under 2023 bidrog Staten genom
    Försäkringskassan` -> `Staten genom Försäkringskassan`, `Kumla kommun betalade in` -> `Kumla kommun`)."""
    words = [w for w in told.split() if w.lower() not in _TELLING_WORDS and not YEAR_IN.fullmatch(w)]
    return " ".join(words).strip(" .,") or told


def _line_of(lines: Sequence[TextLine], sentence: str) -> TextLine | None:
    """The line a sentence begins on: the first whose text holds the sentence's opening words."""
    opening = " ".join(sentence.split()[:4])
    return next((line for line in lines if opening and opening in " ".join(line.text.split())), None)


def _told_item(label: str, year: int | None, amount: int, source: TextLine | None) -> dict:
    """A payer the text tells of, as an item for the proofs (`proven_years`, `proven_by_revenue`)."""
    return {
        "label": label,
        "fiscal_year": year,
        "amount_sek": amount,
        "note_no": None,
        "is_total": False,
        "source_page": source.page if source else None,
        "source_line": source.line_no if source else None,
    }


# a stop between a word and a digit with no space after it ends no sentence: OCR read a speck or a space as it
# (`Arbetsförmedlingen.7 763 tkr`)
_GLUED_STOP = re.compile(r"(?<=[^\W\d_])\.(?=\d)")
_BETWEEN_ITEMS = re.compile(r"^(?:\s*,)?\s*(?:(?:och|samt)\s+)?$")  # what may stand between two listed payers
_LEADING_JOIN = re.compile(r"^(?:och|samt)\s+", re.IGNORECASE)


def _listed_items(listing: str) -> list[re.Match[str]] | None:
    """Each `payer amount unit` of a listing (`Försäkringskassan och Arbetsförmedlingen med sammanlagt 5 306 tkr,
    Region Västernorrland med 2 653 tkr samt Sundsvalls kommun med 2 653 tkr`), or None where anything but a
    comma, `och` or `samt` stands between them: a listing read whole or not at all."""
    matches = list(_ENUMERATED.finditer(listing))
    position = 0
    for match in matches:
        if not _BETWEEN_ITEMS.match(listing[position : match.start()]):
            return None
        position = match.end()
    return matches if matches and not listing[position:].strip(" .") else None


def _enumerations(text: str) -> list[tuple[str, str]]:
    """`… 2024 var: staten genom Försäkringskassan 3 076 000 kr, Region Värmland 1 065 000 kr, … och Åmåls
    kommun 221 500 kr.`: (lead-in, list) of every sentence that lists amounts after a colon or `var`."""
    found = []
    for sentence in SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        lead, colon, tail = sentence.partition(":")
        if not colon:  # `Staten … bidrog med 6 440 tkr, Region Kalmar län med 3 220 tkr och …`: listed all along
            lead, tail = "", sentence
        tail = re.split(r"\.\s", tail + " ")[0]  # the sentence ends there even where no capital follows
        if len(_UNIT_AFTER_DIGIT.findall(tail)) < 3:
            continue  # fewer than three sums of money: no listing (and the costly pattern is not run on tables)
        if len(_ENUMERATED.findall(tail)) >= 3 and (colon or _listed_items(tail.rstrip(" ."))):
            found.append((lead, tail.rstrip(" .")))
    return found


def prose_rows(
    lines: Sequence[TextLine], fiscal_year: int | None, facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions listed in a sentence (`Bidragen från medlemmarna 2024 var: Försäkringskassan 5 237 000 kr,
    …, Täby 1 471 070 kr och Norrtälje kommun 1 255 310 kr.`), when every item is one payer and one amount and
    they add up to a total the report prints."""
    text = _GLUED_STOP.sub(" ", "\n".join(line.text for line in lines))
    for lead, listing in _enumerations(text):
        stated = stated_totals([text.replace(listing, " ")])  # a total printed elsewhere, never an item
        first = _ENUMERATED.search(listing)
        source = next((line for line in lines if first and first["amount"] in line.text), None)
        years = {int(y) for y in YEAR_IN.findall(lead or AMOUNT_IN_UNIT.sub(" ", listing))}
        if len(years) > 1:
            continue  # `… 2023 … jämfört med 2022 …`: which year each amount is is not told
        year = years.pop() if years else fiscal_year
        items = []
        for match in _listed_items(listing) or []:
            label = _payer_label(_LEADING_JOIN.sub("", match["label"].strip()))
            if payer(label).kind == "other":
                items = []
                break
            amount = kronor_of(match)
            if amount is None:
                items = []
                break
            items.append(_told_item(label, year, amount, source))
            if match[f"{_PRIOR}amount"] and (prior := kronor_of(match, _PRIOR)) is not None:
                # `Försäkringskassan bidrog med 8000 tkr (7838 tkr)`: the year before's, in brackets; only the
                # statement's revenue line of that year can keep it
                items.append(_told_item(label, year - 1, prior, source))
        if len(items) < 2 or year is None:
            continue
        # a listing under a lead-in (`… fördelades enligt följande:`) may meet a total the text states; one that
        # runs on from its first payer (`Staten … bidrog med …, Region … med …`) must meet the statement's revenue
        kept, left_out = proven_years(items, 1, facts, None, stated) if lead else proven_by_revenue(items, 1, facts)
        messages += left_out
        rows = payer_rows(kept, payers_only=True)
        if rows:
            return rows
    return []


_ANOTHER_YEAR = re.compile(r"\b(?:nasta ar|kommande ar|foregaende ar|forra aret|i fjol|infor)\b")


def _of_another_year(sentence: str) -> bool:
    """A sentence about a budget or another year (`Inför nästa år budgeterar Försäkringskassan 2 600 tkr`)."""
    folded = fold(sentence)
    words = folded.split()
    budget = any(word.startswith(stem) for word in words for stem in kind_words("budget_header"))
    return budget or _ANOTHER_YEAR.search(folded) is not None


def payer_sentence_rows(
    lines: Sequence[TextLine], fiscal_year: int | None, facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions told one payer a sentence, in a run of such sentences (`Region Örebro län bidrog med 1 300,0
    tkr. Kumla kommun betalade in 451,8 tkr. …`): each sentence names one payer, one amount and no other year
    than the report's, and no budget; the run is kept only where it adds up to a revenue line of the income
    statement (sentences about costs or next year's budget name the same payers)."""
    if fiscal_year is None:
        return []
    runs: list[list[tuple[str, int]]] = [[]]
    for sentence in SENTENCE_END.split("\n".join(line.text for line in lines)):
        if not _DIGIT.search(sentence):
            runs.append([])  # no amount without a digit: most sentences, passed over before they are re-spaced
            continue
        sentence = " ".join(sentence.split())
        amounts = list(AMOUNT_IN_UNIT.finditer(sentence))
        amount = kronor_of(amounts[0]) if len(amounts) == 1 else None
        years = {int(y) for y in YEAR_IN.findall(sentence)}
        told = amount is not None and years <= {fiscal_year} and not _of_another_year(sentence)
        if not told or payer(AMOUNT_IN_UNIT.sub(" ", sentence)).kind == "other":
            runs.append([])
            continue
        runs[-1].append((sentence, amount))
    for run in (run for run in runs if len(run) >= 2):
        items = [
            _told_item(_payer_label(AMOUNT_IN_UNIT.sub(" ", sentence)), fiscal_year, amount, _line_of(lines, sentence))
            for sentence, amount in run
        ]
        if len({fold(item["label"]) for item in items}) < len(items):
            continue  # one payer told twice: which sentences make up the year's payment is not told
        kept, left_out = proven_by_revenue(items, 1, facts)
        messages += left_out
        rows = payer_rows(kept, payers_only=True)
        if rows:
            return rows
    return []
