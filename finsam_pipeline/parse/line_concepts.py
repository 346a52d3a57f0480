"""Line codes by the concepts a label is built of, where no known wording fits.

Reports name the same line in endless ways (`Korta skulder`, `Skulder, kortfristiga`,
`Kortfristiga skulder till leverantörer och andra`): a list of wordings always meets the
next one. What stays the same is what the label is about: short-term (`kort…`) liabilities
(`…skuld…`). `assets/reference/line_concepts.csv` writes each line code as the word stems
that must all be there, the ones that must not, and whether the label is a total. Swedish
compounds carry their parts inside one word (`Pensionsavsättningar`), so a stem matches
inside a word; `=ej` matches only the whole word.

A concept is evidence, not proof: the label gets the code of the concept that fits it with the most
stems only when every other code that fits is a coarser reading of it (`kort + skuld` inside
`övrig + kort + skuld`); a label two unrelated codes fit (`Övriga kortfristiga skulder och
leverantörsskulder`) stays `other`. The report's arithmetic may still overrule it (`parse.confirm`).
"""

from __future__ import annotations

from functools import cache, lru_cache

from finsam_pipeline.parse.vocabulary import LineConcept, line_concepts
from finsam_pipeline.read.textnorm import fold

_TOTAL_WORDS = frozenset({"summa", "totalt", "total", "totala", "sammanlagt"})


@lru_cache(maxsize=50_000)
def concept_rule_for(statement: str, label: str) -> tuple[str, str] | None:
    """(line code, sign rule) of the one concept that fits the label best, or None where none or two fit."""
    folded = fold(label)
    words = folded.split()
    is_total = bool(_TOTAL_WORDS & set(words)) or folded.startswith("s a ")
    fitting = [
        concept
        for concept in _concepts_of(statement)
        if _total_fits(concept, is_total)
        and not any(_matches(alternative, folded, words) for alternative in concept.excluded)
        and all(any(_matches(a, folded, words) for a in group) for group in concept.required)
    ]
    if not fitting:
        return None
    best = max(fitting, key=lambda concept: len(concept.required))
    rivals = [concept for concept in fitting if concept.line_code != best.line_code]
    if any(not set(rival.required) < set(best.required) for rival in rivals):
        return None  # another code fits a reading the best one does not contain: two lines in one label
    return best.line_code, best.sign


@cache
def _concepts_of(statement: str) -> tuple[LineConcept, ...]:
    return tuple(concept for concept in line_concepts() if concept.statement == statement)


def _total_fits(concept: LineConcept, is_total: bool) -> bool:
    return concept.total == "any" or (concept.total == "yes") == is_total


def _matches(alternative: str, folded: str, words: list[str]) -> bool:
    if alternative.startswith("="):
        return alternative[1:] in words
    if " " in alternative:
        return alternative in folded
    return alternative in folded and any(alternative in word for word in words)  # a stem inside one word
