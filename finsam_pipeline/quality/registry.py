"""The one list of checks: each registered once with its name, severity, family and what it asserts.

A check is registered where it is written, with the `@check(...)` decorator on the function
that evaluates it, or with `declare(...)` when something else raises it (the parser's flags,
the warehouse's SQL). Everything else reads the registry: the dictionaries Dagster turns into
asset checks (`finsam_pipeline.quality.ALL_CHECKS` …), the runner, the skipped rows.

A per-report check is a generator over one `CheckedReport` that yields an `Outcome` per
thing it compared (None where an input was missing). The runner stamps each outcome with the
check's registered name and severity; a check that yields nothing gets one skipped row
(`passed` NULL, message starting with `SKIPPED`), so a check with nothing to evaluate is
never recorded as a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import polars as pl

from finsam_pipeline.parse import ParsedReport
from finsam_pipeline.parse.schemas import QUALITY_SCHEMA

ERROR, WARNING = "error", "warning"
SKIPPED = "skipped, nothing to evaluate"  # how a not-evaluated row's message starts (passed is NULL)
NO_FACTS = "the document has no financial_facts rows"

# Families, in the order their checks are listed (Dagster shows one asset check per check).
STRUCTURAL = "structural"  # Great Expectations on financial_facts; errors quarantine the document
PLAUSIBILITY = "plausibility"  # figures no samordningsförbund can have; errors quarantine the document
ARITHMETIC = "arithmetic"  # the report's own sums and cross-references; warnings
PARSE = "parse"  # flags the parser raised while reading; warnings
CROSS_DOCUMENT = "cross_document"  # across loaded documents, in the warehouse's SQL; warnings
FAMILIES = (STRUCTURAL, PLAUSIBILITY, ARITHMETIC, PARSE, CROSS_DOCUMENT)

T = TypeVar("T")
_DOCUMENT_TYPE_WORDS = {"verksamhetsplan": "a plan", "arsredovisning": "an annual report"}


@dataclass(frozen=True)
class CheckResult:
    """One row of `quality_results` (the warehouse adds `checked_at`)."""

    document_id: str | None
    check_name: str
    severity: str
    passed: bool | None  # None: nothing to evaluate (skipped), never a pass
    observed: str | None
    expected: str | None
    message: str
    fiscal_year: int | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What a check found once; the runner adds the document and the check's name and severity."""

    passed: bool
    observed: str | None
    expected: str | None
    message: str
    fiscal_year: int | None = None
    source_line: int | None = None


class CheckedReport:
    """One parsed report as a per-report check sees it: its tables as plain rows, read once.

    The checks compare a few dozen numbers per report; plain rows make that cost microseconds,
    where a Polars query per comparison cost a single writer some 20 ms a report.
    """

    def __init__(self, report: ParsedReport) -> None:
        self.report = report
        self.document_id: str = report.document_id
        self.document_type: str | None = report.document["document_type"]
        self.issues = report.issues
        self._once: dict[Callable, object] = {}
        self._rows: dict[str, list[dict]] = {}

    def once(self, compute: Callable[[CheckedReport], T]) -> T:
        """compute(self), computed once per report however many checks ask (e.g. a table's groups)."""
        if compute not in self._once:
            self._once[compute] = compute(self)
        return self._once[compute]

    def rows(self, name: str) -> list[dict]:
        """The rows of one of the report's contract tables (`financial_facts`, `note_lines`, …); none if absent."""
        if name not in self._rows:
            frame = self.report.tables.get(name)
            self._rows[name] = [] if frame is None else frame.to_dicts()
        return self._rows[name]

    @property
    def facts(self) -> list[dict]:
        return self.rows("financial_facts")

    @cached_property
    def amounts(self) -> dict[tuple[str, str, int], int]:
        """(statement, line_code, fiscal_year) -> amount, for every line with a contract code."""
        return {
            (row["statement"], row["line_code"], row["fiscal_year"]): row["amount_sek"]
            for row in self.facts
            if row["line_code"] != "other"
        }

    @cached_property
    def fact_years(self) -> list[int]:
        return sorted({row["fiscal_year"] for row in self.facts})


def grouped(rows: Iterable[dict], *keys: str) -> dict[tuple, list[dict]]:
    """Rows by the values of `keys`, groups in the order they first appear, rows in their order."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


ReportCheck = Callable[[CheckedReport], Iterable[Outcome | None]]


@dataclass(frozen=True)
class Check:
    """A registered check.

    `run` depends on the family: a structural check returns its Great Expectations
    expectations (given `great_expectations.expectations`); a plausibility or arithmetic
    check yields outcomes for one report; parse and cross-document checks have none (the
    parser and the warehouse's SQL raise them).
    """

    name: str
    severity: str
    description: str  # what the check asserts, in plain words
    family: str
    run: Callable | None = None
    only_for: str | None = None  # a document type; other documents get a skipped row
    needs_facts: bool = False  # a document without financial_facts rows gets a skipped row saying so
    when_nothing: str | None = None  # why it was skipped when it found nothing to compare

    def not_applicable(self, report: CheckedReport) -> str | None:
        """Why this check is skipped for the report before looking at anything, or None."""
        if self.only_for is not None and report.document_type != self.only_for:
            words = _DOCUMENT_TYPE_WORDS.get(self.only_for, "a document")
            return f"only {words} ({self.only_for}) is checked for this"
        if self.needs_facts and not report.facts:
            return NO_FACTS
        return None

    @property
    def nothing_found(self) -> str:
        return self.when_nothing or f"the document has none of the values this check compares ({self.description})"

    def results(self, report: CheckedReport) -> list[CheckResult]:
        """Every outcome for the report, or the one skipped row that says why there is none."""
        why = self.not_applicable(report)
        outcomes = [] if why else [o for o in self.run(report) if o is not None]
        if not outcomes:
            return [skipped(report.document_id, self.name, self.severity, why or self.nothing_found)]
        return [CheckResult(report.document_id, self.name, self.severity, **vars(o)) for o in outcomes]


REGISTRY: dict[str, Check] = {}


def register(entry: Check) -> Check:
    if entry.name in REGISTRY:
        raise ValueError(f"check {entry.name!r} is registered twice")
    if entry.severity not in (ERROR, WARNING):
        raise ValueError(f"check {entry.name!r}: severity must be {ERROR!r} or {WARNING!r}")
    if entry.family not in FAMILIES:
        raise ValueError(f"check {entry.name!r}: family must be one of {FAMILIES}")
    REGISTRY[entry.name] = entry
    return entry


def check(
    name: str,
    *,
    severity: str,
    description: str,
    family: str,
    only_for: str | None = None,
    needs_facts: bool = False,
    when_nothing: str | None = None,
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the check `name`."""

    def decorate(run: Callable) -> Callable:
        register(Check(name, severity, description, family, run, only_for, needs_facts, when_nothing))
        return run

    return decorate


def declare(name: str, *, severity: str, description: str, family: str) -> Check:
    """Register a check that something outside this package evaluates."""
    return register(Check(name, severity, description, family))


def checks(*families: str) -> Iterator[Check]:
    """The registered checks of the families, family by family, each in the order registered."""
    for family in families:
        yield from (c for c in REGISTRY.values() if c.family == family)


def descriptions(*families: str) -> dict[str, str]:
    """Check name -> what it asserts, for the families."""
    return {c.name: c.description for c in checks(*families)}


def skipped(document_id: str, check_name: str, severity: str, why: str) -> CheckResult:
    """The row of a check that had nothing to evaluate for a document: not passed, not failed."""
    return CheckResult(document_id, check_name, severity, None, "nothing evaluated", None, f"{SKIPPED}: {why}")


def results_frame(results: Iterable[CheckResult]) -> pl.DataFrame:
    rows = [r.__dict__ for r in results]
    return pl.DataFrame(rows, schema=QUALITY_SCHEMA) if rows else pl.DataFrame(schema=QUALITY_SCHEMA)
