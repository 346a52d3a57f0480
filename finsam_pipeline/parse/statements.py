"""Income statement, balance sheet, cash flow and their notes, as fact rows.

Pure functions: lines in, plain rows out. Line codes come from the vocabulary in
`assets/reference/line_codes.csv`; amounts are scaled to kronor and given the
contract's sign (costs negative whatever the report prints).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from finsam_pipeline.parse.line_concepts import concept_rule_for
from finsam_pipeline.parse.numbers import MAX_DIGITS, NumberParseError, to_kronor
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.similarity import Vocabulary
from finsam_pipeline.parse.statement_tables import STATEMENTS, find_statement_tables, furniture_lines
from finsam_pipeline.parse.tables import (
    TableHeader,
    TableRow,
    is_total_label,
    read_table,
    resolve_by_totals,
    running_units,
    section_table_lines,
    section_unit,
    with_stacked_headers,
)
from finsam_pipeline.parse.vocabulary import label_index
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_FUZZY_LABEL_RATIO = 0.88
_FUZZY_MARGIN = 0.04
_NOTE_REFERENCE = re.compile(r"\s*\bnot(?:er)?\s*\d{1,2}(?:\s*(?:och|\s)\s*\d{1,2})*$")  # `kortfristiga skulder not 5`


@dataclass(frozen=True)
class ParseIssue:
    """Something the parser left out or could not find; loaded as a warning."""

    check_name: str
    message: str
    source_page: int | None = None
    source_line: int | None = None
    fiscal_year: int | None = None


@lru_cache(maxsize=50_000)
def line_rule_for(statement: str, label: str) -> tuple[str, str]:
    """(contract code, sign rule) for a label, tolerant of OCR damage; (`other`, `as_printed`) where none fits.

    The label is tried as printed, then in the forms reports write the same line in (`label_variants`):
    numbered, abbreviated (`Kortfr. skulder`, `S:a tillgångar`), a total named another way (`Totala
    tillgångar`, `Skulder totalt`), a sub-line (`därav årets resultat`), a gloss after a comma (`Finansiella
    kostnader, bankavgifter`) or words trailing a known label (`Eget kapital vid årets slut`). A near match
    must be clearly nearer to one code than to any other, so a label that sits between two known labels is
    left `other` rather than given a wrong code.
    """
    return line_reading(statement, label)[:2]


@lru_cache(maxsize=50_000)
def line_reading(statement: str, label: str) -> tuple[str, str, str | None]:
    """`line_rule_for` and how the code was told: `wording` (a known label or a rewrite of one), `concept`
    (the stems the label is built of, `parse.line_concepts`), or None for `other`.

    A known wording wins; an OCR-damaged one next; then the concept of the whole label, which reads more
    than a label cut at its comma (`Skulder, kortfristiga` is not `Skulder`)."""
    index = label_index().get(statement, {})
    whole, shortened = label_variants(label, _vocabulary_words(statement))
    for key in whole:
        if key in index:
            return (*index[key], "wording")
    near = _nearest_rule(_NOTE_REFERENCE.sub("", fold(label)).strip(), statement)
    if near is not None:
        return (*near, "wording")  # an OCR-damaged whole label before any reading that drops words
    for form in whole:
        concept = concept_rule_for(statement, form)
        if concept is not None:
            return (*concept, "concept")
    cut = next((index[key] for key in shortened if key in index), None)
    return (*cut, "wording") if cut else ("other", "as_printed", None)


# A known label below this ratio can neither be the nearest one nor come within the margin of a nearest one
# that passes: its ratio is not computed.
_FUZZY_FLOOR = _FUZZY_LABEL_RATIO - _FUZZY_MARGIN - 0.01


def _nearest_rule(key: str, statement: str) -> tuple[str, str] | None:
    index = label_index().get(statement, {})
    ranked = sorted(
        (
            (SequenceMatcher(None, key, known).ratio(), index[known], known)
            for known in _known_labels(statement).within_reach(key, _FUZZY_FLOOR)
        ),
        reverse=True,
    )
    if not ranked or ranked[0][0] < _FUZZY_LABEL_RATIO:
        return None
    rivals = [ratio for ratio, rule, _ in ranked[1:] if rule[0] != ranked[0][1][0]]
    if rivals and ranked[0][0] - rivals[0] < _FUZZY_MARGIN:
        return None
    if _another_known_word(key, ranked[0][2], statement):
        return None
    return ranked[0][1]


def _another_known_word(key: str, known: str, statement: str) -> bool:
    """Whether the label differs from the known one by a word the vocabulary itself shows to change a line's
    meaning: `Resultat före finansnetto` is not an OCR-damaged `Resultat efter finansnetto`, for `före` and
    `efter` alone tell `Resultat före finansiella poster` from `Resultat efter finansiella poster`."""
    ours, theirs = set(key.split()) - set(known.split()), set(known.split()) - set(key.split())
    pairs = _words_that_tell_codes_apart(statement)
    return any(frozenset((a, b)) in pairs for a in ours for b in theirs)


@cache
def _words_that_tell_codes_apart(statement: str) -> frozenset[frozenset[str]]:
    """Word pairs that alone part two known labels of different codes (`fore` / `efter`, `okning` /
    `minskning`): the statement's vocabulary, read as evidence of which words carry meaning."""
    by_length: dict[int, list[tuple[list[str], str]]] = {}
    for known, rule in label_index().get(statement, {}).items():
        words = known.split()
        by_length.setdefault(len(words), []).append((words, rule[0]))
    pairs: set[frozenset[str]] = set()
    for labels in by_length.values():
        for position, (first, code) in enumerate(labels):
            for second, other_code in labels[position + 1 :]:
                if code == other_code:
                    continue
                differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
                if len(differing) == 1:
                    pairs.add(frozenset(differing[0]))
    return frozenset(pairs)


_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[ivx]{1,4}[.)]|[a-h][.)])\s+", re.IGNORECASE)
_TOTAL_FIRST = re.compile(r"^(?:s:a|s\.a\.?|totala|totalt|total)\s+", re.IGNORECASE)
_TOTAL_LAST = re.compile(r",?\s+(?:totalt|total|summa)$", re.IGNORECASE)  # `Omsättningstillgångar, summa`
_SUB_LINE = re.compile(r"^(?:därav|varav|darav)\s+", re.IGNORECASE)
_MIN_KEPT_WORDS = 2


def label_variants(label: str, words: frozenset[str]) -> tuple[list[str], list[str]]:
    """Folded keys a printed label may stand for, the label itself first; each a rewrite reports make. Those
    that keep every word come first; those that drop some (a gloss after a comma or in closing brackets, words
    after a known label) are tried only after a near match of the whole label (`Summa eget kapital, avsättningar
    och skulder` is not `Summa eget kapital`)."""
    text = _NOTE_REFERENCE.sub("", label.strip()).strip(" :")
    text = re.sub(r"\s*\((?:not|note)\s*\d+\)\s*$", "", text, flags=re.IGNORECASE)
    forms = [text, _NUMBERING.sub("", text)]
    forms += [_SUB_LINE.sub("", form) for form in forms]
    forms += [expanded for form in forms for expanded in _expand_abbreviations(form, words)]
    forms += [_as_summa(form) for form in forms]
    keys = list(dict.fromkeys(fold(form) for form in forms if form))
    cut = [fold(form.split(",")[0]) for form in forms if "," in form]
    cut += [fold(_GLOSS.sub("", form)) for form in forms if _GLOSS.search(form)]
    shortened = [key for key in dict.fromkeys([*cut, *(_without_qualifier(key) for key in keys)]) if key not in keys]
    return keys, shortened


_GLOSS = re.compile(r"\s*\([^()]*[^\W\d_][^()]*\)\s*$")  # `Insatser (interventions)`: words in brackets at the end
_QUALIFIER = re.compile(r"\s(?:vid|enligt|enl|per|inkl|exkl|for|fran)\s.*$")  # folded: `vid årets slut`, `enligt RR`


def _without_qualifier(key: str) -> str:
    """`eget kapital vid arets slut` -> `eget kapital`: the words a report adds after a known label."""
    cut = _QUALIFIER.sub("", key)
    return cut if len(cut.split()) >= _MIN_KEPT_WORDS else key


def _as_summa(text: str) -> str:
    """`Totala tillgångar`, `S:a tillgångar`, `Tillgångar totalt` -> `Summa tillgångar`."""
    core = _TOTAL_LAST.sub("", _TOTAL_FIRST.sub("", text))
    return f"Summa {core}" if core != text else text


def _expand_abbreviations(text: str, words: frozenset[str]) -> list[str]:
    """`Kortfr. skulder` -> `kortfristiga skulder`, `Fin. kostnader` -> `finansiella kostnader` and every other
    vocabulary word a cut word begins: the caller keeps the reading that is a known label."""
    readings = [""]
    for word in text.split():
        stem = fold(word.rstrip("."))
        options = [word]
        if word.endswith(".") and len(stem) >= 2:
            options = sorted(w for w in words if w.startswith(stem) and w != stem)[:_MAX_EXPANSIONS] or [word]
        readings = [f"{reading} {option}".strip() for reading in readings for option in options][:_MAX_EXPANSIONS]
    return readings


_MAX_EXPANSIONS = 8


@cache
def _known_labels(statement: str) -> Vocabulary:
    return Vocabulary(label_index().get(statement, {}))


@cache
def _vocabulary_words(statement: str) -> frozenset[str]:
    return frozenset(word for known in label_index().get(statement, {}) for word in known.split())


_LABEL_NOTE = re.compile(r"\bnot(?:er)?\s*(\d{1,2})\s*\)?\s*$", re.IGNORECASE)


def note_in_label(label: str) -> int | None:
    """The note a label points at in its own words (`Bidrag från medlemmarna, not 1`, `Fordringar (Not 3)`)."""
    match = _LABEL_NOTE.search(label)
    return int(match[1]) if match else None


def line_code_for(statement: str, label: str) -> str:
    return line_rule_for(statement, label)[0]


def signed(sign_rule: str, amount: int) -> int:
    """The contract's sign: costs negative whatever the print; results and the rest as printed."""
    return -abs(amount) if sign_rule == "negative" else amount


def _value_rows(rows: Sequence[TableRow]) -> int:
    return sum(1 for r in rows if r.has_values or r.problem)


def best_table(
    lines: Sequence[TextLine],
    candidates: Sequence[Section],
    note_titles: Mapping[int, str],
    units: Sequence[int | None],
) -> tuple[Section, TableHeader, list[TableRow], int] | None:
    """Among the headings that name a section, the one followed by the fullest table."""
    best = None
    for section in candidates:
        default_unit = section_unit(lines, section.start, units)
        table_lines = section_table_lines(lines, section.start, section.end)
        header, rows, unit = read_table(table_lines, note_titles, default_unit)
        if header is None or _value_rows(rows) == 0:
            continue
        if best is None or _value_rows(rows) > _value_rows(best[2]):
            best = (section, header, rows, unit)
    return best


def _outcome_columns(header: TableHeader) -> tuple[list[int], list[str]]:
    """Indexes of the outcome columns; budget and deviation columns are never outcomes.

    Two outcome columns for one year cannot be told apart: both are left out and named.
    """
    outcome = [i for i in range(len(header.years)) if header.kind_of(i) == "outcome"]
    counts = Counter(header.years[i] for i in outcome)
    twice = sorted(year for year, n in counts.items() if n > 1)
    return [i for i in outcome if counts[header.years[i]] == 1], [str(y) for y in twice]


def statement_facts(
    lines: Sequence[TextLine], note_titles: Mapping[int, str]
) -> tuple[list[dict], list[ParseIssue], dict[str, tuple[int, ...]]]:
    """Facts, parse issues, and each statement's outcome year columns (the first is the report's year)."""
    facts: list[dict] = []
    issues: list[ParseIssue] = []
    columns: dict[str, tuple[int, ...]] = {}
    lines = with_stacked_headers(lines)
    furniture = furniture_lines(lines)
    units = running_units(lines, furniture)
    tables = find_statement_tables(lines, note_titles, units, furniture, line_code_for)
    for statement in STATEMENTS:
        found = tables.get(statement)
        if found is None:
            issues.append(ParseIssue("statement_found", f"no {statement} statement table was found"))
            continue
        header, rows, unit = found.header, found.rows, found.unit
        if unit == 1 and any(_ONE_DECIMAL.search(row.line.text) for row in rows if row.has_values):
            issues.append(
                ParseIssue(
                    "value_left_out",
                    f"{statement}: amounts with one decimal under no unit but kronor (öre have two): the unit is "
                    "not printed where it can be read, so the statement is left out",
                    header.line.page,
                    header.line.line_no,
                )
            )
            continue
        outcome, ambiguous_years = _outcome_columns(header)
        if ambiguous_years:
            issues.append(
                ParseIssue(
                    "value_left_out",
                    f"{statement}: two columns for {', '.join(ambiguous_years)}, neither marked as budget: left out",
                    header.line.page,
                    header.line.line_no,
                )
            )
        columns[statement] = tuple(sorted({header.years[i] for i in outcome}, reverse=True))
        misprinted = _deviations_disagreeing(header, rows)
        statement_rows: list[dict] = []
        for row in rows:
            if row.problem:
                issues.append(_left_out(statement, row, row.problem))
                continue
            for column in row.unreadable_columns:
                if column in outcome:
                    year = header.years[column]  # `Föregående år` is dated only later: then every year's
                    dated = year if year > 1900 else None
                    issues.append(_left_out(statement, row, f"the {year} amount could not be read", dated))
            if not row.has_values and not row.dashed_columns:
                continue
            code, sign_rule, coded_by = line_reading(statement, row.label)
            if code == "other":
                issues.append(
                    ParseIssue(
                        "label_unmapped",
                        f"{statement} line '{row.label}' matches no line code: loaded as 'other'",
                        row.line.page,
                        row.line.line_no,
                    )
                )
            for column in outcome:
                value = 0 if column in row.dashed_columns else (row.values[column] if row.values else None)
                if value is None:
                    continue
                try:
                    printed = to_kronor(value, unit)
                    amount = signed(sign_rule, printed)
                except NumberParseError as exc:
                    issues.append(_left_out(statement, row, str(exc)))
                    continue
                statement_rows.append(
                    {
                        "statement": statement,
                        "line_code": code,
                        "label": row.label,
                        "fiscal_year": header.years[column],
                        "amount_sek": amount,
                        "note_no": row.note or note_in_label(row.label),
                        "source_page": row.line.page,
                        "source_line": row.line.line_no,
                        "sign_rule": sign_rule,
                        "coded_by": coded_by,
                        "amount_printed": printed,  # the sign as printed, for a line whose code is taken back
                        **({DEVIATION_DISAGREES: True} if (id(row), column) in misprinted else {}),
                    }
                )
        facts.extend(_signs_from_arithmetic(_below_a_billion(statement, statement_rows, issues), issues))
    return _without_repeats(_results_by_arithmetic(facts), issues), issues, columns


def _below_a_billion(statement: str, rows: list[dict], issues: list[ParseIssue]) -> list[dict]:
    """A statement's facts, none past a billion kronor, which no förbund has. One line past it is a number OCR
    misread (`1723` for `1,23` in Mkr, 1.7 billion): that amount is left out. Lines past it on two or more
    lines mean the unit read is not the statement's: the statement is left out whole, for a wrong unit scales
    every amount, the small ones too."""
    past = sorted({row["source_line"] for row in rows if abs(row["amount_sek"]) >= 10**MAX_DIGITS})
    if not past:
        return rows
    if len(past) > 1:
        first = next(row for row in rows if row["source_line"] == past[0])
        issues.append(
            ParseIssue(
                "value_left_out",
                f"{statement}: {len(past)} lines pass a billion kronor in the unit they are read in, which no "
                "förbund has: the unit is not the statement's, so the statement is left out",
                first["source_page"],
                past[0],
            )
        )
        return []
    left_out = [row for row in rows if abs(row["amount_sek"]) >= 10**MAX_DIGITS]
    issues.extend(
        ParseIssue(
            "value_left_out",
            f"{statement} line '{row['label']}' {row['fiscal_year']} left out: its amount passes a billion kronor, "
            "which no förbund has (a number misread)",
            row["source_page"],
            row["source_line"],
            row["fiscal_year"],
        )
        for row in left_out
    )
    return [row for row in rows if abs(row["amount_sek"]) < 10**MAX_DIGITS]


_ONE_DECIMAL = re.compile(r"(?<![\d,])\d,\d(?![\d,])")  # `171,0`: tkr with one decimal, never kronor and öre


_RESULT_ELSEWHERE = (("balance", "equity_net_result"), ("cash_flow", "cf_net_result"))


def _results_by_arithmetic(facts: list[dict]) -> list[dict]:
    """The year's result in the balance sheet and at the top of the cash flow, however it is worded
    (`Resultat efter finansiella poster`, `Årets över-/underskott`): a line no code fits whose amount equals the
    income statement's result in every year it prints, where the statement has no line read as that result."""
    income_results = [f for f in facts if (f["statement"], f["line_code"]) == ("income", "net_result")]
    results = {f["fiscal_year"]: f["amount_sek"] for f in income_results}
    if not any(results.values()):
        return facts
    coded = {(f["statement"], f["line_code"]) for f in facts}
    rows: dict[tuple[str, int], list[dict]] = {}
    for fact in facts:
        rows.setdefault((fact["statement"], fact["source_line"]), []).append(fact)
    relabelled: dict[int, str] = {}
    for statement, code in _RESULT_ELSEWHERE:
        if (statement, code) in coded:
            continue
        matching = [
            line
            for (of, _), line in sorted(rows.items())
            if of == statement
            and all(f["line_code"] == "other" and results.get(f["fiscal_year"]) == f["amount_sek"] for f in line)
            and any(f["amount_sek"] for f in line)
        ]
        if len(matching) == 1 or (statement == "cash_flow" and matching):
            relabelled.update({id(f): code for f in matching[0]})  # the cash flow opens with the result
    return [{**f, "line_code": relabelled[id(f)]} if id(f) in relabelled else f for f in facts]


def with_report_years(facts: list[dict], report_year: int | None) -> list[dict]:
    """Facts of columns headed `Innevarande år` / `Föregående år` (years 0 and -1) in the report's own years;
    without a report year they cannot be placed and are dropped (such a report is quarantined for its year)."""
    placed = []
    for fact in facts:
        if fact["fiscal_year"] > 0:
            placed.append(fact)
        elif report_year is not None:
            placed.append({**fact, "fiscal_year": report_year + fact["fiscal_year"]})
    return placed


def _left_out(statement: str, row: TableRow, reason: str, year: int | None = None) -> ParseIssue:
    """A line whose values are left out; `year` where only that year's is."""
    return ParseIssue(
        "value_left_out", f"{statement} line '{row.label}' left out: {reason}", row.line.page, row.line.line_no, year
    )


def _without_repeats(facts: list[dict], issues: list[ParseIssue]) -> list[dict]:
    """The same line printed twice (e.g. a repeated total) is one fact; two lines that read as one line code
    with different amounts (a cost breakdown's `Lokalkostnader` and `Administrationskostnader`) cannot both
    be that line: both are loaded as `other` and flagged."""
    amounts: dict[tuple, set[int]] = {}
    for fact in facts:
        amounts.setdefault((fact["statement"], fact["line_code"], fact["fiscal_year"]), set()).add(fact["amount_sek"])
    worded: dict[tuple, set[int]] = {}
    for fact in facts:
        if fact.get("coded_by") == "wording":
            key = (fact["statement"], fact["line_code"], fact["fiscal_year"])
            worded.setdefault(key, set()).add(fact["amount_sek"])
    seen: set[tuple] = set()
    kept: list[dict] = []
    for fact in facts:
        key = (fact["statement"], fact["line_code"], fact["fiscal_year"], fact["amount_sek"])
        if fact["line_code"] != "other" and key in seen:
            continue
        seen.add(key)
        if fact["line_code"] != "other" and len(amounts[key[:3]]) > 1 and not _wording_wins(fact, worded.get(key[:3])):
            issues.append(
                ParseIssue(
                    "label_unmapped",
                    f"{fact['statement']} line '{fact['label']}' {fact['fiscal_year']}: several lines with different "
                    f"amounts read as '{fact['line_code']}': loaded as 'other'",
                    fact["source_page"],
                    fact["source_line"],
                    fact["fiscal_year"],
                )
            )
            fact = as_other(fact)
        kept.append({k: v for k, v in fact.items() if k != "sign_rule"})
    return kept


def as_other(fact: dict) -> dict:
    """A fact whose code is taken back: `other`, with the amount as printed (a cost's forced minus goes too)."""
    return {**fact, "line_code": "other", "amount_sek": fact.get("amount_printed", fact["amount_sek"])}


def _wording_wins(fact: dict, worded_amounts: set[int] | None) -> bool:
    """One line read by a known wording and another only by its stems: the wording keeps the code."""
    return fact.get("coded_by") == "wording" and worded_amounts is not None and len(worded_amounts) == 1


_REVENUE_CODES = ("revenue_total",)
_REVENUE_PARTS = ("member_contributions", "other_revenue")
_COST_CODES = ("operating_costs",)
_COST_PARTS = ("personnel_costs", "intervention_costs", "other_operating_costs")


def _operating_net(rows: list[dict], year: int) -> int | None:
    """Revenue plus costs plus depreciation of one year, from totals where printed, else from their parts."""
    amounts: dict[str, list[int]] = {}
    for row in rows:
        if row["fiscal_year"] == year:
            amounts.setdefault(row["line_code"], []).append(row["amount_sek"])

    def total(codes: tuple[str, ...], parts: tuple[str, ...]) -> int | None:
        for code in codes:
            if code in amounts:
                return amounts[code][0]
        found = [amounts[p][0] for p in parts if p in amounts]
        return sum(found) if found else None

    revenue, costs = total(_REVENUE_CODES, _REVENUE_PARTS), total(_COST_CODES, _COST_PARTS)
    if revenue is None or costs is None:
        return None
    return revenue + costs + sum(amounts.get("depreciation", [0])[:1])


def _signs_from_arithmetic(rows: list[dict], issues: list[ParseIssue]) -> list[dict]:
    """A net-cost line (`Verksamhetens nettokostnad`) takes the sign of revenue plus costs, never the print's.

    Its printed amount must equal that sum in size; otherwise its sign cannot be known and it is left out, and
    the revenue and cost lines it disagrees with are marked (`NET_COST_DISAGREES`): no sign makes that identity
    hold, so on a page OCR read the ones nothing else confirms are doubtful (`confirm.confirm_facts`).
    """
    kept: list[dict] = []
    disputed: set[int] = set()  # years whose net cost no sign of revenue plus costs reproduces
    for row in rows:
        if row["sign_rule"] != "from_arithmetic":
            kept.append(row)
            continue
        net = _operating_net(rows, row["fiscal_year"])
        if net is not None and abs(net) != abs(row["amount_sek"]):
            # items printed between the cost total and the net cost (`Jämförelsestörande poster`) belong to it
            totals_end = max(
                (r["source_line"] for r in rows if r["line_code"] in (*_REVENUE_CODES, *_COST_CODES)), default=0
            )
            above = [
                r["amount_sek"]
                for r in rows
                if r["line_code"] == "other"
                and r["fiscal_year"] == row["fiscal_year"]
                and totals_end < r["source_line"] < row["source_line"]
            ]
            net = net + sum(above) if above and abs(net + sum(above)) == abs(row["amount_sek"]) else net
        if net is None or abs(net) != abs(row["amount_sek"]):
            if net is not None and not _lines_left_out_above(issues, row):
                disputed.add(row["fiscal_year"])  # every line above it was read: no term is missing
            issues.append(
                ParseIssue(
                    "value_left_out",
                    f"{row['statement']} line '{row['label']}' {row['fiscal_year']} left out: its sign cannot be "
                    "derived because revenue and costs "
                    + ("are not both printed" if net is None else f"sum to {net}, not ±{abs(row['amount_sek'])}"),
                    row["source_page"],
                    row["source_line"],
                    row["fiscal_year"],
                )
            )
            continue
        kept.append({**row, "amount_sek": net})
    return [
        {**row, NET_COST_DISAGREES: True}
        if row["fiscal_year"] in disputed and row["line_code"] in _NET_COST_TERMS
        else row
        for row in kept
    ]


def _lines_left_out_above(issues: list[ParseIssue], row: dict) -> bool:
    """Whether a line of the statement above the row was left out in its year (`-52  —  -52`, a depreciation
    OCR read three cells for): a term the sum then misses, which refutes nothing."""
    return any(
        issue.check_name == "value_left_out"
        and issue.source_line is not None
        and issue.source_line < row["source_line"]
        and issue.fiscal_year in (None, row["fiscal_year"])
        and issue.message.startswith(row["statement"])
        for issue in issues
    )


NET_COST_DISAGREES = "net_cost_disagrees"  # a fact key: the year's net cost is neither sign of this line's sum
DEVIATION_DISAGREES = "deviation_disagrees"  # a fact key: the row's printed deviation is not its outcome less budget


def _deviations_disagreeing(header: TableHeader, rows: Sequence[TableRow]) -> set[tuple[int, int]]:
    """(row, outcome column) where the row prints that year's budget and deviation and the deviation is not the
    outcome less the budget, either way round (`Övriga intäkter  103  221  124`: OCR read 227 as 221). One of the
    three is misread; on a scan nothing but other arithmetic may then keep the outcome (`confirm_facts`). A
    column of deviations no row agrees with is no deviation in kronor (a percentage): it proves nothing."""
    years = header.years
    triples = []
    for column, year in enumerate(years):
        budget = [i for i, y in enumerate(years) if y == year and header.kind_of(i) == "budget"]
        deviation = [i for i, y in enumerate(years) if y == year and header.kind_of(i) == "deviation"]
        if header.kind_of(column) == "outcome" and len(budget) == 1 and len(deviation) == 1:
            triples.append((column, budget[0], deviation[0]))
    agreeing, disagreeing = 0, set()
    for row in rows:
        for column, budget, deviation in triples:
            if row.values is None or len(row.values) != len(years):
                continue
            outcome, planned, apart = row.values[column], row.values[budget], row.values[deviation]
            if outcome is None or planned is None or apart is None:
                continue
            if abs(apart) == abs(outcome - planned):
                agreeing += 1
            else:
                disagreeing.add((id(row), column))
    return disagreeing if agreeing else set()


_NET_COST_TERMS = frozenset({*_REVENUE_CODES, *_REVENUE_PARTS, *_COST_CODES, *_COST_PARTS, "depreciation"})


def note_titles_of(sections: Sequence[Section]) -> dict[int, str]:
    titles: dict[int, str] = {}
    for section in sections:
        if section.name == "note" and section.note_no is not None:
            titles.setdefault(section.note_no, section.title)
    return titles


def note_lines(
    lines: Sequence[TextLine], sections: Sequence[Section], facts: Sequence[dict] = ()
) -> tuple[list[dict], list[ParseIssue]]:
    """Each note's table rows; `is_total` marks its Summa lines. `facts`, the statements' lines, settle the unit
    of a note whose amounts would pass a billion kronor (`_unit_below_a_billion`), and of a note that states none
    where the statement line pointing at it proves one (`_unit_its_line_proves`)."""
    out: list[dict] = []
    issues: list[ParseIssue] = []
    units = running_units(lines, furniture_lines(lines))
    for section in sections:
        if section.name != "note":
            continue
        table_lines = section_table_lines(lines, section.start, section.end)
        default_unit = section_unit(lines, section.start, units, unstated=0)  # 0: nothing states the note's unit
        header, rows, unit = read_table(table_lines, default_unit=default_unit)
        if header is None:
            continue
        resolve_by_totals(rows, len(header.years))
        outcome, _ = _outcome_columns(header)
        pointing = {abs(f["amount_sek"]) for f in facts if f.get("note_no") == section.note_no}
        unit = _unit_below_a_billion(
            rows, outcome, unit or _unit_its_line_proves(rows, outcome, pointing) or 1, pointing
        )
        if unit is None:
            first = next(row for row in rows if row.values)
            issues.append(
                _left_out(
                    f"note {section.note_no}",
                    first,
                    "its amounts pass a billion kronor in the unit it is read in, and no statement line pointing "
                    "at it shows another: the note's amounts are left out",
                )
            )
            continue
        for row in rows:
            if row.problem:
                issues.append(_left_out(f"note {section.note_no}", row, row.problem))
                continue
            if not row.has_values:
                continue
            for column in outcome:
                value = (row.values or ())[column]
                if value is None:
                    continue
                try:
                    amount = to_kronor(value, unit)
                except NumberParseError as exc:
                    issues.append(_left_out(f"note {section.note_no}", row, str(exc)))
                    continue
                out.append(
                    {
                        "note_no": section.note_no,
                        "note_title": section.title,
                        "label": row.label,
                        "fiscal_year": header.years[column],
                        "amount_sek": amount,
                        "is_total": is_total_label(row.label),
                        "source_page": row.line.page,
                        "source_line": row.line.line_no,
                    }
                )
    return out, issues


def _unit_its_line_proves(rows: Sequence, columns: Sequence[int], pointing: set[int]) -> int | None:
    """tkr for a note that states no unit where its total meets the statement line pointing at it only in tkr
    (`Summa  5 769` under the costs note, the costs line `-5 769` in a statement in tkr); else None, and the note
    is read in kronor. Only the note's own line proves its unit: a sibling note in tkr says nothing of a note of
    payers or fees printed in kronor beside it (a reviewer's case: 450 000 kr had loaded as 450 million)."""
    read = [row for row in rows if row.values and not row.problem]
    totals = {abs(total) for column in columns if (total := _adds_up(read, column))}
    if not totals or not pointing or totals & pointing:
        return None
    return 1000 if {total * 1000 for total in totals} & pointing else None


def _unit_below_a_billion(rows: Sequence, columns: Sequence[int], unit: int, pointing: set[int]) -> int | None:
    """The note's unit, unless it takes an amount past a billion kronor, which no förbund has. A note read in tkr
    is then printed in kronor where its lines add up to a total that, in kronor, is the amount of a statement
    line pointing at the note (`Samtliga belopp … i tkr` said of the statements, a note beneath printing
    `5 872 000` kronor, its Summa the revenue line's 11 823 900; read in tkr it was 5.9 billion); else its unit
    is unknown (None) and it is left out: a sum adds up in every unit, only the statement says which. An
    amount past a billion in kronor too stays as read: a number OCR glued, for the checks to flag."""
    read = [row for row in rows if row.values and not row.problem]
    values = [abs(v) for row in read for c in columns if (v := row.values[c])]
    if unit == 1 or not values or max(values) * unit < 10**MAX_DIGITS or max(values) >= 10**MAX_DIGITS:
        return unit
    totals = {abs(total) for column in columns if (total := _adds_up(read, column)) is not None}
    return 1 if unit == 1000 and totals & pointing else None


def _adds_up(rows: Sequence, column: int) -> int | None:
    """The column's last total, where its lines add up to it (a number OCR glued together proves nothing)."""
    parts = [row.values[column] or 0 for row in rows if not is_total_label(row.label)]
    totals = [row.values[column] for row in rows if is_total_label(row.label)]
    if not parts or not totals or totals[-1] is None or sum(parts) != totals[-1]:
        return None
    return totals[-1]
