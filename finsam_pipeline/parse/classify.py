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
from functools import cache, lru_cache
from itertools import islice

from finsam_pipeline.parse.dates import MONTHS
from finsam_pipeline.parse.forbund import identify_forbund
from finsam_pipeline.parse.text_helpers import YEAR, whole_word
from finsam_pipeline.parse.vocabulary import (
    decision_phrases,
    document_type_words,
    forbund_name_words,
)
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold, fold_lines

_FINSAM_MARKERS = ("samordningsforbund", "finsam", "finansiell samordning")
_ISO_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-(\d{2})-(\d{2})(?!\d)")
_WORD_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+([a-z]+)\s+((?:19|20)\d{2})(?!\d)")
# what holds four digits without naming the report's year: an organisation number, the date something was done
# (`fastställd 2022-03-15`, `den 10 mars 2023`); a period's first or last day is the year's (`2022-01-01 – …`)
_NO_YEAR_OF_ITS_OWN = re.compile(  # on folded text: `222000-2014` is `222000 2014`
    r"(?<!\d)\d{6} \d{4}(?!\d)"
    r"|(?<!\d)(?:19|20)\d{2} (?!01 01|12 31)\d{2} \d{2}(?!\d)"
    rf"|(?<!\d)(?!1 januari|31 december)\d{{1,2}} (?:{'|'.join(MONTHS)}) (?:19|20)\d{{2}}(?!\d)"
)
_TITLE_SCAN_LINES = 80
_TITLE_WORDS = 8  # a title or running header is a short line
_RUNNING_WORDS = 14  # a running header may hold a file number, the type, a decision date and a page number
_RUNNING_PAGES = 2  # a line on this many pages is a running header or footer


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
    forbund_strong: bool = False  # see forbund.ForbundIdentity.strong
    # (check name, message) of the flags on the förbund: `forbund_uncertain`, `forbund_outside_validity`
    forbund_warnings: tuple[tuple[str, str], ...] = ()


def _title_lines(lines: Sequence[TextLine]) -> list[str]:
    """Short lines that may be titles: the first lines of the report, then every line printed on more than
    one page (running headers and footers, `Dnr Årsredovisning 2016 … Sida 1`), in order."""
    texts = islice((text for line in lines if (text := line.text.strip())), _TITLE_SCAN_LINES)
    heads = [t if len(t.split()) <= _TITLE_WORDS else _TITLE_GOES_ON.split(t, maxsplit=1)[0] for t in texts]
    short = [t for t in heads if len(t.split()) <= _TITLE_WORDS and not _is_sentence(t)]
    return short + [t for t in _running_lines(lines) if t not in short]


# a long cover line may go on after its title: `Årsredovisning för räkenskapsåret 2022 – Samordningsförbundet …`
_TITLE_GOES_ON = re.compile(r"\s+[–—-]\s+|,\s+(?=org)", re.IGNORECASE)


def _is_sentence(text: str) -> bool:
    """A line of prose, no title: it ends in a full stop after words in lower case (`Årsredovisningen
    godkändes av styrelsen den 10 mars 2023.` names the year it was adopted, not the year it reports)."""
    return text.endswith(".") and sum(1 for word in text.split()[1:] if word[:1].islower()) >= 2


def _running_lines(lines: Sequence[TextLine]) -> list[str]:
    """Lines printed alike (page numbers aside) on more than one page: a report's running header or footer."""
    pages: dict[str, set] = {}
    first: dict[str, str] = {}
    for line in lines:
        text = line.text.strip()
        shape = _running_shape(text) if text else None
        if shape is None:
            continue
        pages.setdefault(shape, set()).add(line.page if line.page is not None else line.line_no)
        first.setdefault(shape, text)
    return [first[shape] for shape, seen in pages.items() if len(seen) >= _RUNNING_PAGES]


_PAGE_REFERENCE = re.compile(r"\b(sida|page|s\.)\s*\d+(\s*(av|\(|/)\s*\d+\)?)?")
_TRAILING_NUMBER = re.compile(r"\d+\s*$")


@lru_cache(maxsize=100_000)
def _running_shape(text: str) -> str | None:
    """A short line's text as it repeats from page to page, its page number blanked; None for a long line.
    Cached: a running header recurs on every page, and every report's lines pass here."""
    if len(text.split()) > _RUNNING_WORDS:
        return None
    return _TRAILING_NUMBER.sub("#", _PAGE_REFERENCE.sub("#", fold(text)))


def document_type_of(titles: Sequence[str], has_statements: bool, folded_text: str) -> str:
    """The report type whose words its titles (`_title_lines`) and its text use most."""
    scores: Counter[str] = Counter()
    for doc_type, words in document_type_words().items():
        for word in map(fold, words):
            scores[doc_type] += 10 * sum(1 for t in titles if _type_word_in_title(t, word) is not None)
            scores[doc_type] += folded_text.count(word)
    if has_statements:
        scores["arsredovisning"] += 5
    if not scores or max(scores.values()) < 2:
        return "okand"
    return scores.most_common(1)[0][0]


def _type_word_in_title(title: str, word: str) -> int | None:
    """Where in the folded title the type word ends, when it opens the title or follows only words that are
    no prose: capitalised words, numbers, dates, marks (`Dnr Årsredovisning 2016`, `VärNa | Årsredovisning`)."""
    folded = fold(title)
    match = whole_word(word).search(folded)
    if match is None:
        return None
    before = title[: _printed_position(title, match.start())]
    if any(w[:1].islower() and w not in _name_lowercase() for w in re.findall(r"[^\W\d_]+", before)):
        return None
    return match.end()


@cache
def _name_lowercase() -> frozenset[str]:
    """Lower-case words a förbund's name may hold before the type word (`Samordningsförbundet i Kalmar län`)."""
    words = forbund_name_words()
    return frozenset({"i", *words.get("lowercase_part", ()), *words.get("connector", ())})


def _printed_position(title: str, folded_position: int) -> int:
    """The printed title's position of the folded title's word number, counted in words."""
    words_before = len(fold(title)[:folded_position].split())
    printed_words = list(re.finditer(r"\S+", title))
    if words_before >= len(printed_words):
        return len(title)
    return printed_words[words_before].start() if words_before else 0


def fiscal_year_of(
    lines: Sequence[TextLine], titles: Sequence[str], document_type: str, statement_year: int | None
) -> int | None:
    words = [fold(w) for w in document_type_words().get(document_type, ())]
    for title in titles:
        folded = fold(title)
        ends = [end for w in words if (end := _type_word_in_title(title, w)) is not None]
        if ends:
            years = YEAR.findall(_NO_YEAR_OF_ITS_OWN.sub(" ", folded[min(ends) :]))
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
        if month in MONTHS:
            try:
                return date(int(year), MONTHS[month], int(day))
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
    folded = fold_lines(line.text for line in lines)
    is_finsam = any(marker in folded for marker in _FINSAM_MARKERS)
    titles = _title_lines(lines)
    document_type = document_type_of(titles, has_statements, folded) if is_finsam else "okand"
    year = fiscal_year_of(lines, titles, document_type, statement_year)
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
        forbund_strong=identity.strong,
        forbund_warnings=identity.warnings,
    )
