"""NNS indicator survey results (`indicator_results`) in the three ways reports print them.

- Answer distributions: `Indikator 2: …`, `Resultat från fråga 2 i enkäten till deltagare avslut: …?`,
  then `Ofta: 14 %` lines.
- National/own pairs in a table: `| 1 | question (fråga 1, deltagare pågåendeenkät) | 77/53 ↓ Lägre | …`,
  columns `Resultat totalt|kvinnor|män jämfört med rikssnittet 2023`.
- Shares of clearly positive answers in prose: `Klart positiva svar från personal 84% (jfr 2023; 91%)`.
Respondent groups and indicator keywords come from `assets/reference/respondent_groups.csv`
and `nns_indicators.csv`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.tables import cells_of
from finsam_pipeline.parse.text_helpers import has_word
from finsam_pipeline.parse.vocabulary import nns_indicator_keywords, respondent_groups
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

CLEARLY_POSITIVE = "klart_positiva"
_INDICATOR_HEADING = re.compile(r"^Indikator\s+(?P<no>\d{1,2})\s*[:.]\s*(?P<text>.*)$", re.IGNORECASE)
_QUESTION = re.compile(
    r"^Resultat\s+(?:fr[aå]n|p[aå])\s+fr[aå]ga\s+\d+\s+i\s+enk\S*\s+till\s+(?P<group>[^:]+):\s*(?P<question>.*)$",
    re.IGNORECASE,
)
_ANSWER = re.compile(r"^(?P<answer>[A-ZÅÄÖ][\wåäöÅÄÖ ]{1,30}?):\s*(?P<share>\d{1,3}(?:[.,]\d)?)\s*%$")
_PAIR = re.compile(r"(?P<national>\d{1,3})\s*/\s*(?P<own>\d{1,3}|-)")
_SEX_COLUMNS = (("kvinnor", "women"), ("man", "men"), ("totalt", "total"))
_YEAR = re.compile(r"(?:19|20)\d{2}")
_PERCENT = re.compile(r"(?P<share>\d{1,3})\s*%")
_COMPARISON = re.compile(r"\(\s*jfr\s+(?P<year>(?:19|20)\d{2})\s*[;:,]\s*(?P<share>\d{1,3})\s*%\s*\)", re.IGNORECASE)


def respondent_group_in(text: str) -> str | None:
    folded = f" {fold(text)} "
    for word, group in respondent_groups():
        if f" {word} " in folded:
            return group
    return None


def indicator_for(question: str) -> int | None:
    folded = fold(question)
    for keyword, number in nns_indicator_keywords():
        if has_word(folded, keyword):
            return number
    return None


def _row(year, indicator, group, question, answer, share, national, line, sex="total") -> dict:
    return {
        "fiscal_year": year,
        "indicator_no": indicator,
        "respondent_group": group,
        "question": question,
        "answer": answer,
        "share_pct": share,
        "national_share_pct": national,
        "sex": sex,
        "source_page": line.page,
        "source_line": line.line_no,
    }


def _distributions(lines: Sequence[TextLine], year: int | None) -> list[dict]:
    rows: list[dict] = []
    indicator = group = question = None
    for index, line in enumerate(lines):
        text = line.text.strip()
        heading = _INDICATOR_HEADING.match(text)
        if heading:
            indicator, question = int(heading["no"]), None
            continue
        asked = _QUESTION.match(text)
        if asked:
            group = respondent_group_in(asked["group"])
            question = asked["question"].strip()
            following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
            if "?" not in question and following and not _ANSWER.match(following):
                question = f"{question} {following}"
            continue
        answer = _ANSWER.match(text)
        if answer and indicator is not None and question:
            share = float(answer["share"].replace(",", "."))
            rows.append(_row(year, indicator, group, question, answer["answer"].strip(), share, None, line))
    return rows


def _pair_tables(lines: Sequence[TextLine], year: int | None) -> list[dict]:
    rows: list[dict] = []
    for index, line in enumerate(lines):
        header = cells_of(line.text)
        if not header or not any("rikssnitt" in fold(c) for c in header):
            continue
        number_column = next((i for i, c in enumerate(header) if "indikator" in fold(c) and "nr" in fold(c)), 0)
        question_column = number_column + 1
        columns = []
        for position, cell in enumerate(header):
            folded = fold(cell)
            if "rikssnitt" not in folded:
                continue
            sex = next((value for word, value in _SEX_COLUMNS if f" {word} " in f" {folded} "), "total")
            found_year = _YEAR.search(cell)
            columns.append((position, sex, int(found_year[0]) if found_year else year))
        context_group = next(
            (
                respondent_group_in(lines[j].text)
                for j in range(index - 1, max(0, index - 40), -1)
                if lines[j].text.strip().startswith("Här följer") and respondent_group_in(lines[j].text)
            ),
            None,
        )
        for following in lines[index + 1 :]:
            cells = cells_of(following.text)
            if cells is None:
                if following.text.strip():
                    break
                continue
            if len(cells) <= question_column or not cells[number_column].strip().isdigit():
                continue
            question = cells[question_column].strip()
            group = respondent_group_in(" ".join(re.findall(r"\(([^)]*)\)", question))) or context_group
            for position, sex, column_year in columns:
                pair = _PAIR.search(cells[position]) if position < len(cells) else None
                if pair is None or pair["own"] == "-":
                    continue
                rows.append(
                    _row(
                        column_year,
                        int(cells[number_column]),
                        group,
                        question,
                        CLEARLY_POSITIVE,
                        float(pair["own"]),
                        float(pair["national"]),
                        following,
                        sex,
                    )
                )
    return rows


def _clearly_positive_prose(lines: Sequence[TextLine], year: int | None) -> list[dict]:
    rows: list[dict] = []
    question = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if "klart positiv" not in fold(line.text):  # the line's fold as every parser asks it, cached
            if len(text) < 200 and not _PERCENT.search(text):
                question = text.lstrip("-•* ").strip()
            continue
        comparisons = {m.start(): m for m in _COMPARISON.finditer(text)}
        cursor = 0
        for match in _PERCENT.finditer(text):
            inside = any(m.start() <= match.start() < m.end() for m in comparisons.values())
            if inside:
                continue
            group = _last_group(text[cursor : match.start()])
            cursor = match.end()
            if group is None:
                continue
            indicator = indicator_for(question or "")
            rows.append(_row(year, indicator, group, question, CLEARLY_POSITIVE, float(match["share"]), None, line))
            after = _COMPARISON.match(text[match.end() :].lstrip(" ,"))
            if after:
                rows.append(
                    _row(
                        int(after["year"]),
                        indicator,
                        group,
                        question,
                        CLEARLY_POSITIVE,
                        float(after["share"]),
                        None,
                        line,
                    )
                )
    return rows


def _last_group(text: str) -> str | None:
    """The respondent group named last before a percentage."""
    folded = f" {fold(text)} "
    best, best_at = None, -1
    for word, group in respondent_groups():
        at = folded.rfind(f" {word} ")
        if at > best_at:
            best, best_at = group, at
    return best


def indicator_rows(lines: Sequence[TextLine], year: int | None) -> list[dict]:
    return [*_distributions(lines, year), *_pair_tables(lines, year), *_clearly_positive_prose(lines, year)]
