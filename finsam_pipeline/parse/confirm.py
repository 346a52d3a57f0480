"""How the report's own arithmetic confirms each statement fact: `financial_facts.confirmed_by`.

A fact is confirmed when the report's other printed numbers reproduce it:

- `sum`: a total equals the lines printed right above it, or the fact is one of those lines
  (`Summa kostnader` and its breakdown, `Summa omsättningstillgångar` and its parts);
- `identity`: an accounting identity between the statement's totals holds (revenue + costs +
  depreciation = operating result; operating result + financial items = result after financial
  items = the year's result; assets = equity + provisions + liabilities; cash at start + the year's
  cash flow = cash at end);
- `other_statement`: the same number stands in another statement (the year's result in all three,
  cash at the year's end in the balance sheet).

A fact none of these reproduce keeps `confirmed_by` NULL and is named in an `unconfirmed_facts`
warning. Pure: plain fact rows in, the same rows with `confirmed_by` out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations, pairwise

from finsam_pipeline.parse.numbers import MAX_DIGITS
from finsam_pipeline.parse.statements import DEVIATION_DISAGREES, NET_COST_DISAGREES, ParseIssue, as_other
from finsam_pipeline.parse.vocabulary import line_codes
from finsam_pipeline.read.textnorm import fold

# (line, year) of each value left out, the year None where the whole line is: no sum over them can be met
LeftOut = frozenset[tuple[int, int | None]]
_SIGN_RULES = {(code.statement, code.line_code): code.sign for code in line_codes()}
_MAX_PARTS = 12
_SUBTOTALS = frozenset(  # totals a report may print under a single line
    {
        "fixed_assets_total",
        "current_assets_total",
        "equity_total",
        "liabilities_total",
        "revenue_total",
        "operating_costs",
    }
)  # lines above a total that may add up to it

# identities between line codes of one statement and year: (codes added together, code of the result)
_IDENTITIES: tuple[tuple[str, tuple[tuple[str, ...], ...], str], ...] = (
    (
        "income",
        (("revenue_total", "member_contributions"), ("operating_costs",), ("depreciation",)),
        "operating_result",
    ),
    ("income", (("operating_result",), ("financial_income",), ("financial_costs",)), "result_after_financial"),
    ("income", (("result_after_financial",), ("extraordinary_items",)), "net_result"),
    ("balance", (("fixed_assets_total",), ("current_assets_total",)), "total_assets"),
    ("balance", (("equity_total",), ("provisions",), ("liabilities_total", "short_term_liabilities")), "total_assets"),
    (
        "balance",
        (("equity_total",), ("provisions",), ("liabilities_total", "short_term_liabilities")),
        "total_equity_and_liabilities",
    ),
    ("balance", (("total_assets",),), "total_equity_and_liabilities"),
    ("balance", (("equity_other",), ("equity_net_result",), ("equity_transfer",)), "equity_total"),
    ("cash_flow", (("cash_begin",), ("cf_total",)), "cash_end"),
    ("cash_flow", (("cf_operating",), ("cf_investing",), ("cf_financing",)), "cf_total"),
    ("cash_flow", (("cf_net_result",), ("cf_non_cash_adjustments",)), "cf_before_working_capital"),
)
# totals and the parts a report may print beneath or instead of them: these confirm where they hold and never
# refute, for a report may print a part no code fits (`Projektmedel` beside the members' contributions)
_PART_IDENTITIES: tuple[tuple[str, tuple[tuple[str, ...], ...], str], ...] = (
    ("income", (("member_contributions",), ("other_revenue",)), "revenue_total"),
    ("income", (("personnel_costs",), ("intervention_costs",), ("other_operating_costs",)), "operating_costs"),
    (
        "income",
        (("operating_result",), ("financial_income",), ("financial_costs",), ("extraordinary_items",)),
        "net_result",
    ),
    ("balance", (("short_term_liabilities",), ("long_term_liabilities",)), "liabilities_total"),
    (
        "balance",
        (("equity_total",), ("provisions",), ("short_term_liabilities",), ("long_term_liabilities",)),
        "total_equity_and_liabilities",
    ),
)
# the same number in two statements: ((statement, code), (statement, code))
_SHARED: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("income", "net_result"), ("balance", "equity_net_result")),
    (("income", "net_result"), ("cash_flow", "cf_net_result")),
    (("cash_flow", "cash_end"), ("balance", "cash_and_bank")),
    (("cash_flow", "cash_begin"), ("balance", "cash_and_bank")),  # the prior year's closing cash
)


def confirm_facts(
    facts: Sequence[dict], ocr_pages: frozenset[int] = frozenset(), left_out: LeftOut = frozenset()
) -> tuple[list[dict], list[ParseIssue]]:
    """Each fact with `confirmed_by` set where the report's arithmetic reproduces it; a warning per statement
    and year naming the facts nothing confirms.

    On a page OCR read, the text itself may be wrong (a lost minus, a misread digit): a fact there that an
    identity refutes and nothing confirms is left out and flagged, never loaded. Printed text is trusted: a
    report's own error there is loaded as printed, unconfirmed. `left_out`: the lines whose values were left out,
    with the year where only that year's was, which no sum over them can be expected to meet."""
    facts, overruled = _concepts_the_arithmetic_refutes(_codes_by_identities(facts))
    facts = _signs_the_results_need(_cost_parts_signed(facts))
    facts, reread = _ocr_signs_by_identities(facts, ocr_pages)
    how, refuted = _confirmations(facts)
    doubtful = {
        i
        for i in refuted
        | _terms_a_confirmed_total_refutes(facts, how)
        | _subtotals_and_parts_disagreeing(facts, how, left_out)
        | _results_and_lines_between_disagreeing(facts, left_out)
        | _refuted_by_other_statements(facts, how)
        if i not in how and facts[i]["source_page"] in ocr_pages
    }
    doubtful |= {  # revenue or costs no sign of the printed net cost reproduces (`31995` OCR read for `1  3 995`)
        i
        for i, fact in enumerate(facts)
        if i not in how and fact["source_page"] in ocr_pages and fact.get(NET_COST_DISAGREES)
    }
    doubtful |= {  # an outcome its own row's budget and deviation refute (`103  221  124`: 221 read for 227)
        i
        for i, fact in enumerate(facts)
        if i not in how and fact["source_page"] in ocr_pages and fact.get(DEVIATION_DISAGREES)
    }
    doubtful |= {  # a minus OCR invented before an amount the contract never has negative (cash, assets)
        i
        for i, fact in enumerate(facts)
        if i not in how
        and fact["source_page"] in ocr_pages
        and fact["amount_sek"] < 0
        and _SIGN_RULES.get((fact["statement"], fact["line_code"])) == "positive"
    }
    confirmed = [{**fact, "confirmed_by": how.get(i)} for i, fact in enumerate(facts) if i not in doubtful]
    left_out = [
        ParseIssue(
            "value_left_out",
            f"{facts[i]['statement']} line '{facts[i]['label']}' {facts[i]['fiscal_year']} left out: read by OCR and "
            "refuted by the report's arithmetic (or negative where the contract has none), with nothing confirming it",
            facts[i]["source_page"],
            facts[i]["source_line"],
            facts[i]["fiscal_year"],
        )
        for i in sorted(doubtful)
    ]
    return confirmed, overruled + reread + left_out + _unconfirmed_issues(confirmed)


# terms of an identity that are totals: a line found to complete an identity as one of them is that total (the one
# line `Inventarier` under `Anläggningstillgångar`, no sum printed, is the fixed assets); an identity's other terms
# (depreciation, financial items) are never told by arithmetic, for a report may print a line of its own there
# (`Jämförelsestörande poster`)
_TOTALS = frozenset(
    {
        "revenue_total",
        "operating_costs",
        "equity_total",
        "liabilities_total",
        "fixed_assets_total",
        "current_assets_total",
    }
)


def _confirmations(facts: Sequence[dict]) -> tuple[dict[int, str], set[int]]:
    """How each confirmed fact is confirmed (a sum first, then an identity, then another statement), and the
    facts of identities that do not hold."""
    how: dict[int, str] = {}
    for group in _groups(facts).values():
        for index in _confirmed_by_sums(facts, group):
            how.setdefault(index, "sum")
    confirmed_by_identity, refuted = _identities(facts)
    for index in confirmed_by_identity:
        how.setdefault(index, "identity")
    for index in confirmed_by_other_statements(facts):
        how.setdefault(index, "other_statement")
    return how, refuted


def _codes_by_identities(facts: Sequence[dict]) -> list[dict]:
    """A line no wording fits (`Resultat`, `Erhållna bidrag och intäkter`) takes the code an identity is missing
    where it is the one such line of its statement whose amount, in every year printed, is what the identity
    leaves over: `Resultat` equal to the result after financial items is the year's result. Repeated until no
    identity gains a line."""
    facts = _totals_by_sums([dict(fact) for fact in facts])
    changed = True
    while changed:
        changed = False
        for statement, terms, result in _IDENTITIES:
            codes = [alternatives[0] for alternatives in terms if alternatives[0] in _TOTALS] + [result]
            for missing in codes:
                wanted = _required_amounts(facts, statement, terms, result, missing)
                if not wanted or not any(wanted.values()):
                    continue
                fitting = [row for row in _other_rows(facts, statement) if _amounts(facts, row) == wanted]
                if len(fitting) == 1:
                    for i in fitting[0]:
                        facts[i] = {**facts[i], "line_code": missing, "coded_by": "arithmetic"}
                    changed = True
    return _last_line_is_the_result(facts)


def _last_line_is_the_result(facts: list[dict]) -> list[dict]:
    """The income statement's last line is the year's result where no line reads as it: found by arithmetic as
    the result after financial items, or a line no code fits that repeats, in every year, the result after
    financial items printed above it (`Resultat` under `Resultat efter finansiella poster`, nothing between)."""
    income = [f for f in facts if f["statement"] == "income"]
    if not income or any(f["line_code"] == "net_result" for f in income):
        return facts
    last = max(f["source_line"] for f in income)
    after_financial = {f["fiscal_year"]: f["amount_sek"] for f in income if f["line_code"] == "result_after_financial"}
    last_line = [f for f in income if f["source_line"] == last]
    repeats = bool(after_financial) and all(
        f["line_code"] == "other" and after_financial.get(f["fiscal_year"]) == f["amount_sek"] for f in last_line
    )
    return [
        {**f, "line_code": "net_result", "coded_by": "arithmetic"}
        if f["statement"] == "income"
        and f["source_line"] == last
        and ((f["line_code"] == "result_after_financial" and f.get("coded_by") == "arithmetic") or repeats)
        else f
        for f in facts
    ]


# a total and the line codes of the parts printed right above it
_TOTAL_OF_PARTS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("income", "revenue_total", frozenset({"member_contributions", "other_revenue"})),
    ("income", "operating_costs", frozenset({"personnel_costs", "intervention_costs", "other_operating_costs"})),
    (
        "balance",
        "current_assets_total",
        frozenset(
            {
                "trade_receivables",
                "receivables",
                "prepaid_and_accrued_income",
                "short_term_investments",
                "cash_and_bank",
            }
        ),
    ),
    ("balance", "equity_total", frozenset({"equity_other", "equity_net_result", "equity_transfer"})),
    (
        "balance",
        "short_term_liabilities",
        frozenset({"trade_payables", "accrued_and_deferred", "other_short_term_liabilities"}),
    ),
    ("cash_flow", "cf_before_working_capital", frozenset({"cf_net_result", "cf_non_cash_adjustments"})),
)


def _totals_by_sums(facts: list[dict]) -> list[dict]:
    """A line no wording fits that adds up, in every year, the lines printed right above it, of which at least
    one is a part of a known total (`Erhållna bidrag och intäkter` under the members' contributions and other
    grants) is that total, where the statement prints it nowhere else."""
    for statement, total_code, parts in _TOTAL_OF_PARTS:
        if any(f["statement"] == statement and f["line_code"] == total_code for f in facts):
            continue
        lines = sorted({f["source_line"] for f in facts if f["statement"] == statement})
        by_line = {
            line: [i for i, f in enumerate(facts) if f["statement"] == statement and f["source_line"] == line]
            for line in lines
        }
        found = [
            line
            for position, line in enumerate(lines)
            if all(facts[i]["line_code"] == "other" for i in by_line[line])
            and _adds_up_above(facts, by_line, line, lines[:position], parts)
        ]
        if len(found) == 1:
            sign = _SIGN_RULES.get((statement, total_code))
            for i in by_line[found[0]]:
                amount = -abs(facts[i]["amount_sek"]) if sign == "negative" else facts[i]["amount_sek"]
                facts[i] = {**facts[i], "line_code": total_code, "amount_sek": amount, "coded_by": "arithmetic"}
    return facts


def _adds_up_above(
    facts: Sequence[dict], by_line: dict[int, list[int]], line: int, above: list[int], parts: frozenset[str]
) -> bool:
    """Whether the line's amounts are, in every year, the sum of 2 or more lines right above it, all of them parts
    of the total or lines no code fits, and at least one a part."""
    total = {facts[i]["fiscal_year"]: facts[i]["amount_sek"] for i in by_line[line]}
    if not any(total.values()):
        return False
    for count in range(2, min(_MAX_PARTS, len(above)) + 1):
        rows = [by_line[at] for at in above[-count:]]
        codes = {facts[i]["line_code"] for row in rows for i in row}
        if not codes <= parts | {"other"} or not codes & parts:
            break
        sums: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            for i in row:
                sums[facts[i]["fiscal_year"]].append(facts[i]["amount_sek"])
        if set(sums) == set(total) and all(
            _one_sign(values) and abs(sum(values)) == abs(total[year]) for year, values in sums.items()
        ):  # parts of one total share a sign: revenue less costs is a result, never a total
            return True
    return False


def _required_amounts(
    facts: Sequence[dict], statement: str, terms: tuple[tuple[str, ...], ...], result: str, missing: str
) -> dict[int, int] | None:
    """Per year, the amount `missing` must have for the identity to hold; None where it is printed already or
    another term is missing too."""
    by_code: dict[tuple[str, int], list[int]] = defaultdict(list)
    for fact in facts:
        if fact["statement"] == statement:
            by_code[(fact["line_code"], fact["fiscal_year"])].append(fact["amount_sek"])
    years = sorted({fact["fiscal_year"] for fact in facts if fact["statement"] == statement})
    wanted: dict[int, int] = {}
    for year in years:

        def amount(alternatives: tuple[str, ...], year: int = year) -> int | None:
            found = [by_code[(code, year)] for code in alternatives if len(by_code.get((code, year), [])) == 1]
            return found[0][0] if found else None

        own_term = next((alternatives for alternatives in terms if missing in alternatives), (missing,))
        if any(by_code.get((code, year)) for code in own_term):
            return None
        known = [amount(alternatives) for alternatives in terms if missing not in alternatives]
        printed = [value for value in known if value is not None]  # a term not printed (no depreciation) is 0
        total = amount((result,)) if missing != result else None
        needed = 1 if missing != result or len(terms) == 1 else 2
        if len(printed) < needed or (missing != result and total is None):
            return None
        wanted[year] = sum(printed) if missing == result else total - sum(printed)
    return wanted


def _amounts(facts: Sequence[dict], row: list[int]) -> dict[int, int]:
    return {facts[i]["fiscal_year"]: facts[i]["amount_sek"] for i in row}


def _other_rows(facts: Sequence[dict], statement: str) -> list[list[int]]:
    """Indexes of the statement's `other` facts, one list per printed line."""
    rows: dict[int, list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        if fact["statement"] == statement and fact["line_code"] == "other":
            rows[fact["source_line"]].append(index)
    return list(rows.values())


def _concepts_the_arithmetic_refutes(facts: Sequence[dict]) -> tuple[list[dict], list[ParseIssue]]:
    """A code told only by the stems of a label (`coded_by` `concept`) is a guess the report's numbers may
    overrule: where an identity it takes part in fails and nothing confirms it, the line is `other` again."""
    facts = list(facts)
    how, refuted = _confirmations(facts)
    negative = {  # a revenue or asset line is never negative: a cost line with those words (`Bidrag till projekt`)
        i
        for i, fact in enumerate(facts)
        if fact.get("coded_by") == "concept"
        and fact["amount_sek"] < 0
        and _SIGN_RULES.get((fact["statement"], fact["line_code"])) == "positive"
    }
    overruled = sorted(i for i in (refuted - how.keys()) | negative if facts[i].get("coded_by") == "concept")
    issues = []
    for i in overruled:
        fact = facts[i]
        issues.append(
            ParseIssue(
                "label_unmapped",
                f"{fact['statement']} line '{fact['label']}' {fact['fiscal_year']}: its words read as "
                f"'{fact['line_code']}', but the report's arithmetic refutes that: loaded as 'other'",
                fact["source_page"],
                fact["source_line"],
                fact["fiscal_year"],
            )
        )
        facts[i] = {**as_other(fact), "coded_by": None}
    return facts, issues


def _groups(facts: Sequence[dict]) -> dict[tuple[str, int], list[int]]:
    """Fact indexes per statement and year, in the order the report prints them."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        groups[(fact["statement"], fact["fiscal_year"])].append(index)
    return {key: sorted(indexes, key=lambda i: facts[i]["source_line"]) for key, indexes in groups.items()}


def _confirmed_by_sums(facts: Sequence[dict], group: list[int]) -> set[int]:
    """A line equal to the lines right above it, whichever sign the report printed its costs with."""
    confirmed: set[int] = set()
    for position, index in enumerate(group):
        total = facts[index]["amount_sek"]
        if (
            position
            and total
            and facts[index]["line_code"] in _SUBTOTALS
            and facts[group[position - 1]]["amount_sek"] == total
        ):
            confirmed.update((group[position - 1], index))  # `Summa anläggningstillgångar` under its one line
            continue
        for above in _runs_above(group, position):
            parts = [facts[i]["amount_sek"] for i in above]
            if sum(1 for p in parts if p) < 2:
                continue  # a zero beside the total's own amount adds nothing up
            if sum(parts) == total or (_one_sign(parts) and sum(abs(p) for p in parts) == abs(total)):
                confirmed.update([*above, index])
                break
    return confirmed


def _runs_above(group: list[int], position: int) -> Iterator[list[int]]:
    """The lines right above the one at `position`, two of them first, then one more each time."""
    for count in range(2, min(_MAX_PARTS, position) + 1):
        yield group[position - count : position]


def _cost_parts_signed(facts: list[dict]) -> list[dict]:
    """Lines no code fits that a cost total adds up, printed unsigned as the report prints its costs, are costs:
    negative, as the contract has every cost. The total's own sign rule says so, and its sum proves which lines
    are its parts: `Medel till insatser 1 409 000` over `Summa kostnader 2 309 000` is −1 409 000. A line so proven
    a cost in one year is one in the others it prints unsigned, where a line left out keeps the sum from proving
    it there: a row's role is its label's, not its year's (`Lokal, administration, övrigt  318  244` had loaded
    −318 000 and +244 000)."""
    turned: set[tuple[str, int]] = set()
    for group in _groups(facts).values():
        for position, index in enumerate(group):
            total = facts[index]
            if _SIGN_RULES.get((total["statement"], total["line_code"])) != "negative" or not total["amount_sek"]:
                continue
            for parts in _runs_above(group, position):
                amounts = [facts[i]["amount_sek"] for i in parts]
                rules = [_SIGN_RULES.get((facts[i]["statement"], facts[i]["line_code"])) for i in parts]
                if any(rule not in ("negative", None) for rule in rules) or any(
                    a < 0 for a, r in zip(amounts, rules, strict=True) if r is None
                ):
                    break  # a revenue, a result or a line printed with its minus is no unsigned part of a cost total
                if sum(1 for a in amounts if a) >= 2 and sum(abs(a) for a in amounts) == abs(total["amount_sek"]):
                    for i in parts:
                        if facts[i]["line_code"] == "other" and facts[i]["amount_sek"] > 0:
                            facts[i] = {**facts[i], "amount_sek": -facts[i]["amount_sek"]}
                            turned.add(_row_of(facts[i]))
                    break
    return [
        {**fact, "amount_sek": -fact["amount_sek"]}
        if fact["line_code"] == "other" and fact["amount_sek"] > 0 and _row_of(fact) in turned
        else fact
        for fact in facts
    ]


def _row_of(fact: dict) -> tuple[str, int]:
    return fact["statement"], fact["source_line"]


_RESULTS = ("operating_result", "result_after_financial", "net_result")
_RESULT_STEPS = frozenset({"revenue_total", *_RESULTS})


def _signs_the_results_need(facts: list[dict]) -> list[dict]:
    """Lines no code fits between two results of the income statement (`Erlagda räntor 6 000` between the
    operating result and the result after financial items), printed unsigned, are negative where the later
    result is the earlier one less them: the report's own subtraction signs them, when exactly one choice of
    the unsigned lines makes it add up (`Erhållna räntor 10 000` beside them stays as printed)."""
    for (statement, _), group in _groups(facts).items():
        if statement != "income":
            continue
        steps = [position for position, i in enumerate(group) if facts[i]["line_code"] in _RESULT_STEPS]
        for before, after in pairwise(steps):
            if facts[group[after]]["line_code"] not in _RESULTS or after - before < 2:
                continue
            between = group[before + 1 : after]
            unsigned = [i for i in between if facts[i]["line_code"] == "other" and facts[i]["amount_sek"] > 0]
            printed = facts[group[before]]["amount_sek"] + sum(facts[i]["amount_sek"] for i in between)
            excess = printed - facts[group[after]]["amount_sek"]
            if not unsigned or excess <= 0 or excess % 2 or len(unsigned) > _MAX_PARTS:
                continue
            choices = [
                chosen
                for size in range(1, len(unsigned) + 1)
                for chosen in combinations(unsigned, size)
                if 2 * sum(facts[i]["amount_sek"] for i in chosen) == excess
            ]
            if len(choices) == 1:
                for i in choices[0]:
                    facts[i] = {**facts[i], "amount_sek": -facts[i]["amount_sek"]}
    return facts


def _one_sign(values: Iterable[int]) -> bool:
    signs = {v > 0 for v in values if v}
    return len(signs) <= 1


def _identities(facts: Sequence[dict]) -> tuple[set[int], set[int]]:
    """Facts an identity confirms, and facts of identities that do not hold (every term printed)."""
    confirmed: set[int] = set()
    refuted: set[int] = set()
    for used, result, complete in _instances(facts):
        if sum(facts[i]["amount_sek"] for i in used) == facts[result]["amount_sek"]:
            confirmed.update([*used, result])
        elif complete:
            refuted.update([*used, result])
    for used, result, _ in _instances(facts, _PART_IDENTITIES, single_term=True):
        if sum(facts[i]["amount_sek"] for i in used) == facts[result]["amount_sek"]:
            confirmed.update([*used, result])
    return confirmed | _cash_carried_over(facts), refuted


def _cash_carried_over(facts: Sequence[dict]) -> set[int]:
    """The cash flow's facts the year before confirms: cash at a year's start is the last year's end, printed in
    the column beside it, so where the start is printed alike both hold, and where the start was not read (`?????`
    on a scan) the last year's end and the year's cash flow make the year's end."""
    at: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        if fact["statement"] == "cash_flow" and fact["line_code"] in ("cash_begin", "cash_end", "cf_total"):
            at[(fact["line_code"], fact["fiscal_year"])].append(index)
    one = {key: indexes[0] for key, indexes in at.items() if len(indexes) == 1}
    confirmed: set[int] = set()
    for (code, year), end_before in one.items():
        if code != "cash_end":
            continue
        begin, flow, end = (
            one.get(("cash_begin", year + 1)),
            one.get(("cf_total", year + 1)),
            one.get(("cash_end", year + 1)),
        )
        if begin is not None and facts[begin]["amount_sek"] == facts[end_before]["amount_sek"]:
            confirmed.update((begin, end_before))
        elif (
            begin is None
            and flow is not None
            and end is not None
            and facts[end_before]["amount_sek"] + facts[flow]["amount_sek"] == facts[end]["amount_sek"]
        ):
            confirmed.update((end_before, flow, end))
    return confirmed


def _terms_a_confirmed_total_refutes(facts: Sequence[dict], how: dict[int, str]) -> set[int]:
    """The terms of an identity whose result other arithmetic confirms but which its printed terms miss, though
    not every term is printed (`Övrigt eget kapital 527`, OCR for `1 238 527`, under a confirmed equity total).
    A term no line prints may explain the gap in a printed report; on a page OCR read, the terms nothing
    confirms are doubtful (`confirm_facts`)."""
    return {
        i
        for used, result, _ in _instances(facts)
        if result in how and sum(facts[i]["amount_sek"] for i in used) != facts[result]["amount_sek"]
        for i in used
    }


def _results_and_lines_between_disagreeing(facts: Sequence[dict], left_out: LeftOut = frozenset()) -> set[int]:
    """Two results of the income statement (or the revenue and the operating result) and every line printed
    between them, where the earlier result and those lines, whichever signs they were printed with, do not make
    the later one: one of them is misread, which one is unknown (`Finansiella intäkter  5 303`, OCR for `5 363`,
    between `Verksamhetens resultat  145 235` and `Årets resultat  149 862`, no result after financial items
    printed to hold it to an identity). A subtotal among the lines (`Summa kostnader`) stands for its lines,
    above or below it. Lines left out between the two refute nothing: the missing line is the gap. The caller keeps
    what other arithmetic confirms and leaves out the rest only on pages OCR read."""
    refuted: set[int] = set()
    for (statement, _), group in _groups(facts).items():
        if statement != "income":
            continue
        steps = [position for position, i in enumerate(group) if facts[i]["line_code"] in _RESULT_STEPS]
        for before, after in pairwise(steps):
            earlier, later = group[before], group[after]
            between = group[before + 1 : after]
            if facts[later]["line_code"] not in _RESULTS or not between:
                continue
            span = range(facts[earlier]["source_line"] + 1, facts[later]["source_line"])
            if _left_out_within(left_out, span, facts[later]["fiscal_year"]) or any(
                abs(facts[i]["amount_sek"]) >= 10**MAX_DIGITS for i in between
            ):
                continue
            subtotals = [k for k, i in enumerate(between) if facts[i]["line_code"] in _SUBTOTALS]
            terms = _sums_for_their_parts(
                [
                    facts[i]["amount_sek"]
                    for i in between[subtotals[-1] if subtotals else 0 :]
                    if not _a_breakdown(facts[i]["label"])
                ]
            )
            if len(terms) > _MAX_PARTS or _adds_up_signed(
                facts[earlier]["amount_sek"], terms, facts[later]["amount_sek"], _unit_of(facts, group)
            ):
                continue
            refuted.update([earlier, *between, later])
    return refuted


def _left_out_within(left_out: LeftOut, span: range, year: int) -> bool:
    """Whether a value of `year` was left out on a line of `span`."""
    return any(line in span and left_year in (None, year) for line, left_year in left_out)


def _sums_for_their_parts(terms: list[int]) -> list[int]:
    """The terms with each run of two or more that a term right after or right before it adds up replaced by that
    term: a subtotal printed under its lines (`Summa finansiella poster`, coded as no line) or over them
    (`Verksamhetens kostnader` above `Köpta tjänster` and `Styrelse och kansli`; `Justering för ej
    likviditetspåverkande poster` above its breakdown) stands for them."""

    def under(values: list[int]) -> list[int]:
        kept: list[int] = []
        for term in values:
            run = next(
                (
                    count
                    for count in range(2, len(kept) + 1)
                    if sum(kept[-count:]) == term or sum(abs(v) for v in kept[-count:]) == abs(term)
                ),
                None,
            )
            kept = [*kept[:-run], term] if run else [*kept, term]
        return kept

    return under(under(terms)[::-1])[::-1]


def _adds_up_signed(start: int, terms: list[int], result: int, unit: int) -> bool:
    """Whether `start` and `terms`, each with the sign printed or the other one, make `result`, but for their
    rounding to `unit` (`_rounding`)."""
    reachable = {start}
    for term in terms:
        reachable = {value + term for value in reachable} | {value - term for value in reachable}
    return any(abs(result - value) <= _rounding(len(terms) + 2, unit) for value in reachable)


def _rounding(printed: int, unit: int) -> int:
    """How far a sum of `printed` amounts (its total among them), each rounded to `unit`, may miss by their rounding
    alone: nothing for one line and its total (the same amount rounded alike), a unit for two or three parts
    (`145  5  -1` tkr make `150`; the cash flow's `-186 813 - 447 536 - 136 714` is printed `-771 062`). A misread
    digit only this would hide is off by no more."""
    return unit * ((printed - 1) // 2)


def _unit_of(facts: Sequence[dict], group: Sequence[int]) -> int:
    """1000 where every amount of the statement's year is whole thousands (printed in tkr), else 1."""
    return 1000 if all(facts[i]["amount_sek"] % 1000 == 0 for i in group) else 1


# the cash flow's subtotals: the lines above each add up to it as the balance sheet's lines to theirs
_CASH_FLOW_SUBTOTALS = frozenset({"cf_before_working_capital", "cf_operating", "cf_investing", "cf_financing"})
_ENDS_A_BLOCK = (
    _SUBTOTALS | _CASH_FLOW_SUBTOTALS | {"total_assets", "total_equity_and_liabilities", "cf_total", *_RESULTS}
)
# a total whose block of lines is checked as a subtotal's, and the subtotals right above its block that it carries
# on (`Summa anläggningstillgångar` over the current assets' lines, `Summa eget kapital` over the liabilities')
_CARRIES: dict[str, frozenset[str]] = {
    **dict.fromkeys(_SUBTOTALS, frozenset()),
    **dict.fromkeys(_CASH_FLOW_SUBTOTALS, _CASH_FLOW_SUBTOTALS),
    "total_assets": frozenset({"fixed_assets_total", "current_assets_total"}),
    "total_equity_and_liabilities": frozenset({"equity_total", "liabilities_total"}),
}


def _subtotals_and_parts_disagreeing(
    facts: Sequence[dict], how: dict[int, str], left_out: LeftOut = frozenset()
) -> set[int]:
    """The lines right above a subtotal, back to the total before them, where no run of them adds up to it: one of
    them is misread, which one is unknown (`Kassa och bank  565` for `1 190 565` over `Summa omsättningstillgångar
    1 418 598`, equal to the confirmed total assets). A single line is such a run (`Kortfristiga skulder  122`, OCR
    having read `877` as `B77:`, over a confirmed `Summa skulder  877 122`), and so are the cash flow's lines above
    its subtotals. Only a subtotal other arithmetic confirms (or one equal to a confirmed total) tells its lines
    misread; an income statement's block with no total above it refutes nothing (`Verksamhetens kostnader` right
    under the revenue lines is no sum of them). On a page OCR read, those nothing else confirms are doubtful
    (`confirm_facts`); a printed report's own gap is loaded as printed. A block over a line left out (`left_out`,
    or a stand-in for one past a billion kronor) refutes nothing: the missing line is the gap."""
    refuted: set[int] = set()
    totals_at: dict[str, set[int]] = defaultdict(set)  # a total's line ends a block in every year, read or not
    for fact in facts:
        if fact["line_code"] in _ENDS_A_BLOCK:
            totals_at[fact["statement"]].add(fact["source_line"])
    for (statement, _), group in _groups(facts).items():
        unit = _unit_of(facts, group)
        confirmed_totals = {
            facts[i]["amount_sek"] for i in group if i in how and facts[i]["line_code"] in _ENDS_A_BLOCK
        }
        for position, index in enumerate(group):
            if facts[index]["line_code"] not in _CARRIES or not facts[index]["amount_sek"]:
                continue
            if index not in how and facts[index]["amount_sek"] not in confirmed_totals:
                continue  # trusted where confirmed, or equal to a confirmed total (current assets, none fixed)
            at = facts[index]["source_line"]
            above = [line + 1 for line in totals_at[statement] if line < at]
            if not above and statement == "income":
                continue
            opens = max(above, default=facts[group[0]]["source_line"] - 3)  # else about the statement's first row
            block = [above for above in group[:position] if facts[above]["source_line"] >= opens]
            span = range(opens, at)
            if _left_out_within(left_out, span, facts[index]["fiscal_year"]) or any(
                abs(facts[i]["amount_sek"]) >= 10**MAX_DIGITS for i in block
            ):
                continue
            parts = [i for i in block if not _a_breakdown(facts[i]["label"])]  # `varav momsfordran` is inside one
            values = _sums_for_their_parts([facts[i]["amount_sek"] for i in parts])
            carried = [  # the subtotal above goes on into this one (funds before working capital, fixed assets)
                facts[i]["amount_sek"]
                for i in group[:position]
                if facts[i]["source_line"] == opens - 1 and facts[i]["line_code"] in _CARRIES[facts[index]["line_code"]]
            ]
            values = [*carried, *values]
            total = facts[index]["amount_sek"]
            if not values or any(
                min(abs(sum(values[-count:]) - total), abs(sum(abs(v) for v in values[-count:]) - abs(total)))
                <= _rounding(count + 1, unit)
                for count in range(1, len(values) + 1)
            ):
                continue
            refuted.update(block)
    return refuted


def _a_breakdown(label: str) -> bool:
    """`varav momsfordran`, `därav årets resultat`: a part of the line above, not a line of the sum."""
    return fold(label).startswith(("varav", "darav"))


def _instances(
    facts: Sequence[dict],
    identities: tuple[tuple[str, tuple[tuple[str, ...], ...], str], ...] = _IDENTITIES,
    single_term: bool = False,
) -> list[tuple[list[int], int, bool]]:
    """Each identity of each year the facts print: the terms found, the result, and whether every term is there.
    With `single_term`, a total with one part printed counts (a total equal to its only part)."""
    by_key: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        by_key[(fact["statement"], fact["line_code"], fact["fiscal_year"])].append(index)
    years = sorted({fact["fiscal_year"] for fact in facts})
    found: list[tuple[list[int], int, bool]] = []
    for statement, terms, result in identities:
        for year in years:
            result_at = by_key.get((statement, result, year), [])
            if len(result_at) != 1:
                continue
            used: list[int] = []
            for alternatives in terms:
                single = [by_key[(statement, code, year)] for code in alternatives]
                term = next((at[0] for at in single if len(at) == 1), None)
                if term is not None:
                    used.append(term)
            if not used or (len(used) == 1 and len(terms) > 1 and not single_term):
                continue
            complete = len(used) == len(terms) and not _revenue_beside_contributions(facts, used, result_at[0])
            found.append((used, result_at[0], complete))
    return found


def _revenue_beside_contributions(facts: Sequence[dict], used: Sequence[int], result: int) -> bool:
    """Whether the members' contributions stand in for the revenue total of an identity whose statement prints
    other revenue above the result with no total (`EU-bidrag` under `Bidrag från förbundets medlemmar`): the
    identity then misses a term, and its failing refutes nothing."""
    if not any(facts[i]["line_code"] == "member_contributions" for i in used):
        return False
    year, statement = facts[result]["fiscal_year"], facts[result]["statement"]
    return any(
        fact["statement"] == statement
        and fact["fiscal_year"] == year
        and fact["source_line"] < facts[result]["source_line"]
        and (fact["line_code"] == "other_revenue" or (fact["line_code"] == "other" and fact["amount_sek"] > 0))
        for fact in facts
    )


def _cash_closing_in_balance(facts: Sequence[dict]) -> list[tuple[list[int], int, bool]]:
    """Cash at the start plus the year's cash flow is the balance sheet's cash, where the cash flow prints no
    closing cash. Only a sign is ever read again by it: liquid funds may also hold short-term investments."""
    at = {(f["statement"], f["line_code"], f["fiscal_year"]): i for i, f in enumerate(facts)}
    found = []
    for (statement, code, year), begin in at.items():
        if (statement, code) != ("cash_flow", "cash_begin") or ("cash_flow", "cash_end", year) in at:
            continue
        flow, closing = at.get(("cash_flow", "cf_total", year)), at.get(("balance", "cash_and_bank", year))
        if flow is not None and closing is not None:
            found.append(([begin, flow], closing, True))
    return found


def _ocr_signs_by_identities(facts: Sequence[dict], ocr_pages: frozenset[int]) -> tuple[list[dict], list[ParseIssue]]:
    """A minus OCR lost or invented (`-4 265` for `4 265`), read again by the report's arithmetic: where an
    identity with every term printed fails, and turning the sign of exactly one of its amounts read by OCR makes
    it hold, that is the reading taken, and named in a warning."""
    facts = list(facts)
    issues: list[ParseIssue] = []
    for used, result, complete in _instances(facts) + _cash_closing_in_balance(facts):
        total = sum(facts[i]["amount_sek"] for i in used)
        if not complete or total == facts[result]["amount_sek"]:
            continue
        flips = [
            i
            for i in [*used, result]
            if facts[i]["source_page"] in ocr_pages
            and facts[i]["amount_sek"]
            and (
                total - 2 * facts[i]["amount_sek"] == facts[result]["amount_sek"]
                if i != result
                else total == -facts[result]["amount_sek"]
            )
        ]
        if len(flips) != 1:
            continue
        fact = facts[flips[0]]
        facts[flips[0]] = {**fact, "amount_sek": -fact["amount_sek"]}
        issues.append(
            ParseIssue(
                "ocr_reread",
                f"{fact['statement']} line '{fact['label']}' {fact['fiscal_year']}: OCR read {fact['amount_sek']}; "
                f"the report's arithmetic holds only with {-fact['amount_sek']}, which is loaded",
                fact["source_page"],
                fact["source_line"],
                fact["fiscal_year"],
            )
        )
    return facts, issues


def confirmed_by_other_statements(facts: Sequence[dict]) -> set[int]:
    """Indexes of the facts the same number in another statement confirms (the year's result, closing cash)."""
    return {k for i, j in _shared_pairs(facts) if facts[i]["amount_sek"] == facts[j]["amount_sek"] for k in (i, j)}


def _refuted_by_other_statements(facts: Sequence[dict], how: dict[int, str]) -> set[int]:
    """The year's result where another statement prints it otherwise and that statement's is confirmed: OCR's
    `205 324` in the income statement, which the cash flow prints as `405 324`, confirmed by its sum. Only the
    year's result: the cash flow's cash may hold more than the balance sheet's bank line."""
    return {
        k
        for i, j in _shared_pairs(facts)
        if (facts[i]["statement"], facts[i]["line_code"]) == ("income", "net_result")
        and facts[i]["amount_sek"] != facts[j]["amount_sek"]
        for k, other in ((i, j), (j, i))
        if other in how
    }


def _shared_pairs(facts: Sequence[dict]) -> Iterator[tuple[int, int]]:
    """(i, j) for each two facts that print the same number in two statements by `_SHARED` (cash at the year's
    start against the balance sheet of the year before), whatever the amounts."""
    for (first_statement, first_code), (second_statement, second_code) in _SHARED:
        begin = first_code == "cash_begin"
        for i, a in enumerate(facts):
            if (a["statement"], a["line_code"]) != (first_statement, first_code):
                continue
            for j, b in enumerate(facts):
                same_year = b["fiscal_year"] == a["fiscal_year"] - (1 if begin else 0)
                if same_year and (b["statement"], b["line_code"]) == (second_statement, second_code):
                    yield i, j


def _unconfirmed_issues(facts: Sequence[dict]) -> list[ParseIssue]:
    unconfirmed: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for fact in facts:
        if fact["confirmed_by"] is None:
            unconfirmed[(fact["statement"], fact["fiscal_year"])].append(fact)
    return [
        ParseIssue(
            "unconfirmed_facts",
            f"{statement} {year}: {len(rows)} line(s) no sum, identity or other statement of the report reproduces: "
            + ", ".join(f"'{r['label']}' (line {r['source_line']})" for r in rows[:6])
            + (" …" if len(rows) > 6 else ""),
            rows[0]["source_page"],
            rows[0]["source_line"],
            year,
        )
        for (statement, year), rows in sorted(unconfirmed.items())
    ]
