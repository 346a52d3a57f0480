"""Goals and the board's assessment of them (`goals`).

An assessment is found where the report states one (`Bedömning: Uppfyllt`,
`= målet ej uppfyllt`, `Bedöms delvis uppfyllt.`, `Styrelsen bedömer att mål 8 inte är
uppfyllt.`, also OCR-damaged `Uppfylit`), and tied to the goal it follows or names.
Assessment wording lives in `assets/reference/goal_assessments.csv`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.text_helpers import ocr_letters
from finsam_pipeline.parse.vocabulary import goal_assessment_patterns
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_BOARD_VERDICT = re.compile(r"bed[oö]mer att m[aå]l (?P<no>\d+)\b", re.IGNORECASE)
_NUMBERED_GOAL = re.compile(r"^\s*(?P<no>\d+)\.\s+(?P<text>\S.*)$")
_INLINE = re.compile(
    r"^(?P<goal>.*?)\s*=\s*(?P<verdict>(?:målet\s+)?(?:ej\s+|inte\s+|delvis\s+)?uppfyll\w*)\s*$", re.IGNORECASE
)
_LABELLED = re.compile(r"\bBed\w{0,3}mning\s*:?\s*(?P<verdict>.*)$", re.IGNORECASE)
_BEDOMS = re.compile(r"^Bed[oö]\w{0,2}s\s+(?P<verdict>.+)$", re.IGNORECASE)
_TARGET = re.compile(
    r"\b(?:Minst|Högst|Max|Mindre än|Över|Under)\s+(?!(?:19|20)\d{2}\b)"  # `under 2023` is no target
    r"\d+(?:[.,]\d+)?\s*(?:%|procent|individer|deltagare)?",
    re.IGNORECASE,
)
_OUTCOME = re.compile(r"(\d+(?:[.,]\d+)?\s*%)\s*(?:\d{4})?\s*$")
_GOAL_PREFIX = re.compile(r"^M[aå]l\s+\d+\s*[-–:]\s*")
_SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?])\s")


def assessment_of(text: str) -> str | None:
    folded = ocr_letters(fold(text))
    for assessment, pattern in goal_assessment_patterns():
        if re.search(pattern, folded):
            return assessment
    return None


def _first_sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" -–:")
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _previous_text(lines: Sequence[TextLine], index: int, max_lines: int = 3) -> tuple[str, TextLine | None]:
    """The goal text just above an assessment: the preceding lines up to a blank line."""
    parts: list[str] = []
    first: TextLine | None = None
    for line in reversed(lines[max(0, index - 12) : index]):
        text = line.text.strip()
        if not text:
            if parts:
                break
            continue
        if assessment_of(text) or _LABELLED.search(text):
            if parts:
                break
            continue
        parts.insert(0, text)
        first = line
        if len(parts) >= max_lines:
            break
    return " ".join(parts), first


def _goal_row(goal: str, assessment: str | None, line: TextLine) -> dict:
    target = _TARGET.search(goal)
    outcome = _OUTCOME.search(goal)
    goal_text = _OUTCOME.sub("", goal).strip(" |") if outcome else goal
    goal_text = _GOAL_PREFIX.sub("", goal_text)
    return {
        "goal": _first_sentence(goal_text),
        "target": target[0].strip() if target else None,
        "outcome": outcome[1].replace(" ", " ").strip() if outcome else None,
        "assessment": assessment,
        "source_page": line.page,
        "source_line": line.line_no,
    }


def goal_rows(lines: Sequence[TextLine]) -> list[dict]:
    rows: list[dict] = []
    numbered: dict[int, tuple[str, TextLine]] = {}
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        item = _NUMBERED_GOAL.match(text)
        if item:
            numbered[int(item["no"])] = (item["text"], line)
        if "=" not in text and "bed" not in text.lower():
            continue  # every wording of an assessment below has `=` or `bed…` (bedömer, bedömning, bedöms)
        board = _BOARD_VERDICT.search(text)
        if board and assessment_of(text) and int(board["no"]) in numbered:
            goal, goal_line = numbered[int(board["no"])]
            rows.append(_goal_row(goal, assessment_of(text), goal_line))
            continue
        inline = _INLINE.match(text)
        if inline and assessment_of(inline["verdict"]):
            goal = inline["goal"]
            if not goal.strip(" =") or len(goal) < 12:
                goal, goal_line = _previous_text(lines, index)
                if goal:
                    rows.append(_goal_row(goal, assessment_of(inline["verdict"]), goal_line or line))
            else:
                rows.append(_goal_row(goal, assessment_of(inline["verdict"]), line))
            continue
        labelled = _LABELLED.search(text)
        verdict_line = text
        if labelled is not None:
            verdict = labelled["verdict"] or (lines[index + 1].text if index + 1 < len(lines) else "")
            if assessment_of(verdict):
                before = text[: labelled.start()].strip()
                goal, goal_line = _previous_text(lines, index)
                goal = f"{goal} {before}".strip()
                if goal:
                    rows.append(_goal_row(goal, assessment_of(verdict), goal_line or line))
            continue
        bedoms = _BEDOMS.match(verdict_line)
        if bedoms and assessment_of(bedoms["verdict"]):
            goal, goal_line = _previous_text(lines, index)
            if goal:
                rows.append(_goal_row(goal, assessment_of(bedoms["verdict"]), goal_line or line))
    unique: dict[str, dict] = {}
    for row in rows:
        unique.setdefault(fold(row["goal"]), row)
    return list(unique.values())
