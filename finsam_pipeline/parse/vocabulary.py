"""The data files under `assets/reference/` that say how reports word things.

Label synonyms, section headings, document-type words and the förbund registry live
in CSV files so that a new wording is a one-line data change, not a code change.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from finsam_pipeline.read.textnorm import fold

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
REFERENCE_DIR = ASSETS_DIR / "reference"
SQL_DIR = ASSETS_DIR / "sql"


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _synonyms(cell: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in cell.split(";") if s.strip())


@dataclass(frozen=True)
class LineCode:
    statement: str
    line_code: str
    sign: str  # positive | negative | as_printed
    meaning: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Forbund:
    forbund_id: str
    forbund_name: str
    lan_name: str
    aliases: tuple[str, ...]
    valid_from: str
    valid_to: str
    successor_id: str
    org_number: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.forbund_name, *self.aliases)


@cache
def line_codes() -> tuple[LineCode, ...]:
    return tuple(
        LineCode(r["statement"], r["line_code"], r["sign"], r["meaning"], _synonyms(r["labels"]))
        for r in _rows("line_codes.csv")
    )


@cache
def label_index() -> dict[str, dict[str, tuple[str, str]]]:
    """statement -> folded label -> (line_code, sign rule of the row that lists the label)."""
    index: dict[str, dict[str, tuple[str, str]]] = {}
    for code in line_codes():
        for label in code.labels:
            index.setdefault(code.statement, {}).setdefault(fold(label), (code.line_code, code.sign))
    return index


@cache
def known_line_codes() -> frozenset[str]:
    return frozenset(c.line_code for c in line_codes()) | {"other"}


@cache
def key_figure_labels() -> dict[str, tuple[str, str]]:
    """folded label -> (metric, kind) for the multi-year overview."""
    return {
        fold(label): (r["metric"], r["kind"])
        for r in _rows("key_figure_labels.csv")
        for label in _synonyms(r["labels"])
    }


@cache
def contributor_patterns() -> tuple[tuple[str, str], ...]:
    """(contributor_type, regex on folded text), in the order they are tried."""
    return tuple((r["contributor_type"], r["pattern"]) for r in _rows("contributor_types.csv"))


def payer_kinds_named(text: str) -> list[str]:
    """The kinds of payer a text names (`state`, `region`, `municipality`, `eu`), in the order they are tried;
    empty for a text naming none (`other`)."""
    folded = fold(text)
    found = [kind for kind, pattern in contributor_patterns() if kind != "other" and re.search(pattern, folded)]
    if found or not _SPLIT_TAIL.search(folded):
        return found
    whole = _SPLIT_TAIL.sub("", folded)  # `Arbetsförmedli ngen`: a word OCR split at a wide letter, read whole
    return [kind for kind, pattern in contributor_patterns() if kind != "other" and re.search(pattern, whole)]


_SPLIT_TAIL = re.compile(r"(?<=[a-z]{4}) (?=[a-z]{1,6}\b)")  # a short tail of letters after a long word


@cache
def kommun_names() -> dict[str, str]:
    """Folded municipality name, genitive and alias -> official 4-digit code."""
    names: dict[str, str] = {}
    for row in _rows("kommuner.csv"):
        name = fold(row["kommun_name"])
        names[name] = names[name + "s"] = row["kommun_code"]
    for row in _rows("kommun_aliases.csv"):
        names[fold(row["alias"])] = row["kommun_code"]
    return names


def _folded_word_lists(name: str, key: str, words: str) -> dict[str, tuple[str, ...]]:
    """key column -> its `;`-separated words, folded for matching."""
    return {r[key]: tuple(fold(w) for w in _synonyms(r[words])) for r in _rows(name)}


@cache
def board_words() -> dict[str, tuple[str, ...]]:
    return _folded_word_lists("board_words.csv", "kind", "words")


@cache
def budget_words() -> dict[str, tuple[str, ...]]:
    return _folded_word_lists("budget_words.csv", "kind", "words")


@cache
def intervention_columns() -> dict[str, tuple[str, ...]]:
    return _folded_word_lists("intervention_columns.csv", "field", "headers")


@cache
def intervention_kinds() -> dict[str, tuple[str, ...]]:
    return _folded_word_lists("intervention_kinds.csv", "kind", "words")


@cache
def respondent_groups() -> tuple[tuple[str, str], ...]:
    """(folded word, respondent_group), longest words first so `parternas chefsgrupp` wins over `chefsgrupp`."""
    pairs = [(fold(w), r["respondent_group"]) for r in _rows("respondent_groups.csv") for w in _synonyms(r["words"])]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def nns_indicator_keywords() -> tuple[tuple[str, int], ...]:
    return tuple(
        (fold(k), int(r["indicator_no"])) for r in _rows("nns_indicators.csv") for k in _synonyms(r["keywords"])
    )


@cache
def goal_assessment_patterns() -> tuple[tuple[str, str], ...]:
    """(assessment, regex on folded text), most specific first."""
    return tuple((r["assessment"], r["pattern"]) for r in _rows("goal_assessments.csv"))


@cache
def section_headings() -> dict[str, tuple[str, ...]]:
    return {r["section"]: _synonyms(r["headings"]) for r in _rows("sections.csv")}


@cache
def document_type_words() -> dict[str, tuple[str, ...]]:
    return {r["document_type"]: _synonyms(r["title_words"]) for r in _rows("document_types.csv")}


@cache
def decision_phrases() -> tuple[str, ...]:
    return tuple(r["phrase"] for r in _rows("decision_phrases.csv"))


@cache
def forbund_registry() -> tuple[Forbund, ...]:
    return tuple(
        Forbund(
            forbund_id=r["forbund_id"],
            forbund_name=r["forbund_name"],
            lan_name=r["lan_name"],
            aliases=_synonyms(r["aliases"]),
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            successor_id=r["successor_id"],
            org_number=(r.get("org_number") or "").strip(),
        )
        for r in _rows("forbund.csv")
    )


@cache
def forbund_name_words() -> dict[str, tuple[str, ...]]:
    """kind (prefix_marker, suffix_marker, direction, lowercase_part, connector, stop) -> words, as printed."""
    return {r["kind"]: _synonyms(r["words"]) for r in _rows("forbund_name_words.csv")}


@cache
def place_names() -> frozenset[str]:
    """Folded names of every kommun and län (without `län`), for telling a place from its genitive."""
    names = {fold(r["kommun_name"]) for r in _rows("kommuner.csv")}
    for row in _rows("lan.csv"):
        core = fold(row["lan_name"]).removesuffix(" lan")
        names.add(core.removesuffix("s"))  # Hallands län -> halland: the genitive is the län's, not the place's
    return frozenset(n for name in names for n in (name, *name.split()) if len(n) >= 3)


@cache
def unit_words() -> tuple[tuple[str, int], ...]:
    """(folded unit phrase, factor to kronor), longest phrase first so `tusental kronor` wins over `kronor`."""
    pairs = [(fold(w), int(r["factor"])) for r in _rows("units.csv") for w in _synonyms(r["words"])]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def unit_phrase_words() -> frozenset[str]:
    """Words that may stand beside a unit in a line that only states the unit (`Alla belopp i tkr`)."""
    return frozenset(fold(r["word"]) for r in _rows("unit_phrase_words.csv"))


@cache
def contribution_words() -> dict[str, tuple[str, ...]]:
    """kind -> folded words for reading payers (`assets/reference/contribution_words.csv`)."""
    return _folded_word_lists("contribution_words.csv", "kind", "words")


@cache
def kommun_name_forms() -> tuple[tuple[str, str], ...]:
    """(name as spelled, official code) for every municipality name, its genitive and alias, diacritics kept."""
    forms: list[tuple[str, str]] = []
    for row in _rows("kommuner.csv"):
        name = row["kommun_name"]
        forms += [(name, row["kommun_code"]), (name if name[-1] in "sxz" else name + "s", row["kommun_code"])]
    forms += [(row["alias"], row["kommun_code"]) for row in _rows("kommun_aliases.csv")]
    return tuple(forms)


@cache
def forbund_member_kommuner() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """forbund_id -> (kommun_code, valid_from, valid_to) for each member municipality in the registry."""
    members: dict[str, list[tuple[str, str, str]]] = {}
    for row in _rows("forbund_members.csv"):
        members.setdefault(row["forbund_id"], []).append((row["kommun_code"], row["valid_from"], row["valid_to"]))
    return {forbund: tuple(rows) for forbund, rows in members.items()}


@cache
def heading_qualifiers() -> frozenset[str]:
    """Folded words that may trail a statement heading (`för perioden`, `belopp i tkr`, `per`)."""
    return frozenset(fold(r["word"]) for r in _rows("heading_qualifiers.csv"))


@dataclass(frozen=True)
class LineConcept:
    """A line code told by the words a label is built of, not by a whole wording (`line_concepts.csv`)."""

    statement: str
    line_code: str
    sign: str
    total: str  # yes | no | any: whether the label must (not) be marked as a total
    required: tuple[tuple[str, ...], ...]  # every group must match; an alternative matches a word or phrase
    excluded: tuple[str, ...]


@cache
def line_concepts() -> tuple[LineConcept, ...]:
    concepts = []
    for r in _rows("line_concepts.csv"):
        groups = [tuple(a.strip() for a in group.split("|")) for group in r["words"].split(" + ")]
        excluded = tuple(a.lstrip("-") for g in groups if g[0].startswith("-") for a in g)
        required = tuple(g for g in groups if not g[0].startswith("-"))
        concepts.append(LineConcept(r["statement"], r["line_code"], r["sign"], r["total"], required, excluded))
    return tuple(concepts)
