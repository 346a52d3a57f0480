"""What a document is: which förbund, which kind of report, which year, adopted when.

The förbund is the report's own name (see `forbund.py`), matched against the
registry in `assets/reference/forbund.csv` so the official spelling is restored;
a förbund missing from the registry keeps the name it prints and is flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from finsam_pipeline.extract import TextLine
from finsam_pipeline.parse.forbund import identify_forbund
from finsam_pipeline.parse.text_helpers import YEAR
from finsam_pipeline.textnorm import fold
from finsam_pipeline.vocabulary import (
    decision_phrases,
    document_type_words,
)

_FINSAM_MARKERS = ("samordningsforbund", "finsam", "finansiell samordning")
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        1,
    )
}
_ISO_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-(\d{2})-(\d{2})(?!\d)")
_WORD_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+([a-z]+)\s+((?:19|20)\d{2})(?!\d)")
_TITLE_SCAN_LINES = 80


@dataclass(frozen=True)
class Classification:
    forbund_id: str | None
    forbund_name: str | None
    forbund_in_registry: bool
    forbund_evidence: str
    document_type: str
    fiscal_year: int | None
    decided_on: date | None
    is_finsam: bool


def _title_lines(lines: Sequence[TextLine]) -> list[str]:
    texts = [line.text.strip() for line in lines if line.text.strip()]
    return [t for t in texts[:_TITLE_SCAN_LINES] if len(t.split()) <= 8]


def document_type_of(lines: Sequence[TextLine], has_statements: bool, folded_text: str) -> str:
    scores: Counter[str] = Counter()
    titles = [fold(t) for t in _title_lines(lines)]
    for doc_type, words in document_type_words().items():
        for word in map(fold, words):
            scores[doc_type] += 10 * sum(1 for t in titles if t.startswith(word))
            scores[doc_type] += folded_text.count(word)
    if has_statements:
        scores["arsredovisning"] += 5
    if not scores or max(scores.values()) < 2:
        return "okand"
    return scores.most_common(1)[0][0]


def fiscal_year_of(lines: Sequence[TextLine], document_type: str, statement_year: int | None) -> int | None:
    words = [fold(w) for w in document_type_words().get(document_type, ())]
    for title in _title_lines(lines):
        folded = fold(title)
        if any(folded.startswith(w) for w in words):
            years = YEAR.findall(title)
            if years:
                return int(years[0])
    if statement_year is not None:
        return statement_year
    for line in lines[:_TITLE_SCAN_LINES]:
        if "räkenskapsår" in line.text.lower() and YEAR.search(line.text):
            return int(YEAR.findall(line.text)[-1])
    return None


def _date_in(text: str) -> date | None:
    iso = _ISO_DATE.search(text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    for day, month, year in _WORD_DATE.findall(fold(text)):
        if month in _MONTHS:
            try:
                return date(int(year), _MONTHS[month], int(day))
            except ValueError:
                return None
    return None


def decided_on_of(lines: Sequence[TextLine]) -> date | None:
    phrases = [fold(p) for p in decision_phrases()]
    for index, line in enumerate(lines):
        folded = fold(line.text)
        for phrase in phrases:
            position = folded.find(phrase)
            if position < 0:
                continue
            following = " ".join(next_line.text for next_line in lines[index + 1 : index + 2])
            found = _date_in(fold(line.text)[position:]) or _date_in(line.text) or _date_in(following)
            if found:
                return found
    return None


def classify(lines: Sequence[TextLine], statement_year: int | None, has_statements: bool) -> Classification:
    text = "\n".join(line.text for line in lines)
    folded = fold(text)
    is_finsam = any(marker in folded for marker in _FINSAM_MARKERS)
    document_type = document_type_of(lines, has_statements, folded) if is_finsam else "okand"
    year = fiscal_year_of(lines, document_type, statement_year)
    identity = identify_forbund(lines, year)
    return Classification(
        forbund_id=identity.forbund_id,
        forbund_name=identity.forbund_name,
        forbund_in_registry=identity.in_registry,
        forbund_evidence=identity.evidence,
        document_type=document_type,
        fiscal_year=year,
        decided_on=decided_on_of(lines),
        is_finsam=is_finsam,
    )
