"""What a document is: which förbund, which kind of report, which year, adopted when.

The förbund is matched against the registry in `assets/reference/forbund.csv`
(names, aliases, former names, validity periods), tolerant of OCR that lost the
Swedish letters, so the official spelling is restored. A förbund missing from the
registry is still recognised from the phrase "… Samordningsförbund" and flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

from finsam_pipeline.extract import TextLine
from finsam_pipeline.textnorm import fold, slugify
from finsam_pipeline.vocabulary import (
    Forbund,
    decision_phrases,
    document_type_words,
    forbund_registry,
)

_GENERIC_NAME_WORDS = frozenset({"samordningsforbund", "samordningsforbundet", "finsam", "och", "i", "sof"})
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
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_UNKNOWN_FORBUND = re.compile(
    r"(Samordningsf[öo]rbundet\s+(?:[A-ZÅÄÖ][\w-]*)(?:\s+(?:och\s+)?[A-ZÅÄÖ][\w-]*)*"
    r"|(?:[A-ZÅÄÖ][\w-]*\s+(?:och\s+)?)*[A-ZÅÄÖ][\w-]*s\s+[Ss]amordningsf[öo]rbund)"
)
_TITLE_SCAN_LINES = 80
_FUZZY_WORD_RATIO = 0.84
_MIN_FUZZY_WORD = 7


@dataclass(frozen=True)
class Classification:
    forbund_id: str | None
    forbund_name: str | None
    forbund_in_registry: bool
    document_type: str
    fiscal_year: int | None
    decided_on: date | None
    is_finsam: bool


def _core_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in fold(name).split() if w not in _GENERIC_NAME_WORDS)


@lru_cache(maxsize=500_000)
def _word_like(a: str, b: str) -> bool:
    """Equal, or (for words long enough to be distinctive) equal but for OCR damage."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < _MIN_FUZZY_WORD:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= _FUZZY_WORD_RATIO
        and matcher.quick_ratio() >= _FUZZY_WORD_RATIO
        and matcher.ratio() >= _FUZZY_WORD_RATIO
    )


def _valid_in(forbund: Forbund, year: int | None) -> bool:
    if year is None:
        return True
    if forbund.valid_from and int(forbund.valid_from[:4]) > year:
        return False
    return not (forbund.valid_to and int(forbund.valid_to[:4]) < year)


def match_forbund(words: Sequence[str], year: int | None) -> tuple[Forbund | None, int]:
    """The registry förbund named most often (and its score), longer names consuming shorter ones."""
    patterns = sorted(
        ((_core_words(name), forbund) for forbund in forbund_registry() for name in forbund.names),
        key=lambda item: -len(item[0]),
    )
    consumed = [False] * len(words)
    scores: Counter[str] = Counter()
    by_id = {f.forbund_id: f for f in forbund_registry()}
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        positions.setdefault(word, []).append(position)
    vocabulary = set(positions)
    lookalikes: dict[str, set[str]] = {}
    for core, forbund in patterns:
        if not core:
            continue
        for word in core:
            if word not in lookalikes:
                lookalikes[word] = {w for w in vocabulary if _word_like(w, word)}
        if not lookalikes[core[0]]:
            continue
        size = len(core)
        starts = sorted(p for word in lookalikes[core[0]] for p in positions[word] if p + size <= len(words))
        for start in starts:
            if consumed[start] or not all(words[start + k] in lookalikes[core[k]] for k in range(1, size)):
                continue
            near = " ".join(words[max(0, start - 3) : start + size + 3])
            weight = 3 if any(marker in near for marker in ("samordningsforbund", "finsam")) else 1
            scores[forbund.forbund_id] += weight * size
            for k in range(size):
                consumed[start + k] = True
    ranked = [(score, fid) for fid, score in scores.items() if _valid_in(by_id[fid], year)]
    if not ranked:
        return None, 0
    best_score, best_id = max(ranked)
    return (by_id[best_id], best_score) if best_score >= 3 else (None, 0)


def _unregistered_forbund(text: str) -> tuple[str | None, int]:
    """The most frequent `X Samordningsförbund` / `Samordningsförbundet X` phrase and how often it occurs."""
    names = Counter(" ".join(m.split()) for m in _UNKNOWN_FORBUND.findall(text))
    return names.most_common(1)[0] if names else (None, 0)


def unregistered_forbund_id(name: str) -> str:
    """`Norrbyns Samordningsförbund` -> `norrbyn`, like the registry's ids."""
    core = list(_core_words(name)) or fold(name).split()
    if fold(name).endswith("samordningsforbund") and core and core[-1].endswith("s") and len(core[-1]) > 4:
        core[-1] = core[-1][:-1]
    return slugify(" ".join(core))


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
            years = _YEAR.findall(title)
            if years:
                return int(years[0])
    if statement_year is not None:
        return statement_year
    for line in lines[:_TITLE_SCAN_LINES]:
        if "räkenskapsår" in line.text.lower() and _YEAR.search(line.text):
            return int(_YEAR.findall(line.text)[-1])
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
    forbund, score = match_forbund(folded.split(), year)
    unregistered, mentions = _unregistered_forbund(text)
    if unregistered and match_forbund(fold(unregistered).split(), year)[0] is not None:
        mentions = 0  # the phrase names a registered förbund: the registry match counts it already
    if forbund is not None and score >= mentions * 3:
        forbund_id, name, registered = forbund.forbund_id, forbund.forbund_name, True
    else:  # a förbund the registry does not know, named more often than any it knows
        name = unregistered
        forbund_id, registered = (unregistered_forbund_id(name) if name else None), False
    return Classification(
        forbund_id=forbund_id,
        forbund_name=name,
        forbund_in_registry=registered,
        document_type=document_type,
        fiscal_year=year,
        decided_on=decided_on_of(lines),
        is_finsam=is_finsam,
    )
