"""Line codes by the concepts a label is built of, where no known wording fits.

Reports name the same line in endless ways (`Korta skulder`, `Skulder, kortfristiga`,
`Kortfristiga skulder till leverantörer och andra`): a list of wordings always meets the
next one. What stays the same is what the label is about: short-term (`kort…`) liabilities
(`…skuld…`). `assets/reference/line_concepts.csv` writes each line code as the word stems
that must all be there, the ones that must not, and whether the label is a total. Swedish
compounds carry their parts inside one word (`Pensionsavsättningar`), so a stem matches
inside a word; `=ej` matches only the whole word.

A concept is evidence, not proof: the label gets the code only when exactly one code's
concept fits it best (most stems matched), and the report's arithmetic may still overrule it
(`parse.confirm`). A label two codes fit equally well stays `other`.
"""

from __future__ import annotations

from functools import lru_cache

from finsam_pipeline.textnorm import fold
from finsam_pipeline.vocabulary import LineConcept, line_concepts

_TOTAL_WORDS = frozenset({"summa", "totalt", "total", "totala", "sammanlagt"})


@lru_cache(maxsize=50_000)
def concept_rule_for(statement: str, label: str) -> tuple[str, str] | None:
    """(line code, sign rule) of the one concept that fits the label best, or None where none or two fit."""
    folded = fold(label)
    words = folded.split()
    is_total = bool(_TOTAL_WORDS & set(words)) or folded.startswith("s a ")
    fitting: dict[int, set[tuple[str, str]]] = {}
    for concept in line_concepts():
        if concept.statement != statement or not _total_fits(concept, is_total):
            continue
        if any(_matches(alternative, folded, words) for alternative in concept.excluded):
            continue
        if all(any(_matches(a, folded, words) for a in group) for group in concept.required):
            fitting.setdefault(len(concept.required), set()).add((concept.line_code, concept.sign))
    if not fitting:
        return None
    best = fitting[max(fitting)]
    return next(iter(best)) if len({code for code, _ in best}) == 1 else None


def _total_fits(concept: LineConcept, is_total: bool) -> bool:
    return concept.total == "any" or (concept.total == "yes") == is_total


def _matches(alternative: str, folded: str, words: list[str]) -> bool:
    if alternative.startswith("="):
        return alternative[1:] in words
    if " " in alternative:
        return alternative in folded
    return any(alternative in word for word in words)
