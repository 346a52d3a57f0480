"""Scoring a warehouse loaded from the dialect corpus against the corpus's own truth, per dialect dimension.

    python -m tests.corpora.dialect_score --truth DIR/truth.json --warehouse W.duckdb [--failures N]
    python -m tests.corpora.dialect_score --corpus DIR [--count N] [--seed S]   # generate, ingest and score in one go

Each statement fact the generator printed is `exact` (the warehouse holds that amount and no
other for the document, statement, line code and year), `wrong` (it holds a different amount),
`unmapped` (absent under its code, but held as `other` under its own printed label with its own
amount: the number is right, the line was not coded), `flagged` (absent, with a warning naming the
line or the statement) or `missing` (absent, silently). A fact the warehouse holds that the report
never stated is `extra` (a wrong number too). Member contributions are matched payer by payer on
(year, type, kommun code, amount).

The förbund is judged by the name the report prints, never by the program's registry: a report the
warehouse attributes to a registered förbund is right when that förbund's name names the same förbund
(the same distinctive words, whatever the name form: `stems` of the corpus); one it attributes by its
own printed name is right when it keeps that name whole, with a `forbund_in_registry` warning. Either
way one förbund of the corpus keeps one id in every report, and no id is shared by two.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

try:  # run as `python -m tests.corpora.dialect_score` or imported by the tests (tests/ on sys.path)
    from tests.corpora.dialect_corpus import DIMENSIONS, fold, stems
except ImportError:  # pragma: no cover
    from corpora.dialect_corpus import DIMENSIONS, fold, stems

MEMBER_TYPES = ("state", "region", "municipality")


@dataclass
class ReportScore:
    file: str
    forbund_key: str
    dims: dict[str, str]
    status: str = "lost"  # the document's status, or lost when the warehouse has no row for the file
    status_reason: str = ""
    forbund_id: str | None = None
    forbund_name: str | None = None
    forbund_ok: bool = False
    forbund_problem: str = ""
    year_ok: bool = False
    type_ok: bool = False
    facts: Counter = field(default_factory=Counter)  # exact, wrong, unmapped, flagged, missing, extra
    contributions: Counter = field(default_factory=Counter)  # exact, missing, wrong
    fact_failures: list[dict] = field(default_factory=list)
    contribution_failures: list[dict] = field(default_factory=list)
    label_results: list[tuple[str, str, str]] = field(default_factory=list)  # (statement, label, outcome)

    @property
    def loaded(self) -> bool:
        return self.status == "loaded"


@dataclass
class Score:
    reports: list[ReportScore]
    id_splits: dict[str, list[str]]  # förbund key -> the several forbund_ids it got
    id_collisions: dict[str, list[str]]  # forbund_id -> the several förbund keys that got it

    def total(self, what: str) -> Counter:
        out: Counter = Counter()
        for r in self.reports:
            out.update(getattr(r, what))
        return out

    def fact_rate(self) -> float:
        t = self.total("facts")
        stated = t["exact"] + t["wrong"] + t["unmapped"] + t["flagged"] + t["missing"]
        return t["exact"] / stated if stated else 1.0

    def contribution_rate(self) -> float:
        t = self.total("contributions")
        stated = t["exact"] + t["missing"]
        return t["exact"] / stated if stated else 1.0

    def forbund_rate(self) -> float:
        return sum(r.forbund_ok for r in self.reports) / len(self.reports)


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def score(truth: list[dict], warehouse: Path) -> Score:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        documents = _rows(con, "SELECT * FROM documents")
        facts = _rows(
            con, "SELECT document_id, statement, line_code, fiscal_year, amount_sek, label FROM financial_facts"
        )
        contributions = _rows(
            con,
            "SELECT document_id, fiscal_year, contributor, contributor_type, kommun_code, amount_sek "
            "FROM member_contributions",
        )
        warnings = _rows(
            con,
            "SELECT document_id, check_name, message, source_line FROM quality_results "
            "WHERE NOT passed AND severity = 'warning' AND document_id IS NOT NULL",
        )
    finally:
        con.close()
    by_file: dict[str, list[dict]] = defaultdict(list)
    for doc in documents:
        by_file[doc["source_file"]].append(doc)
    facts_of: dict[str, list[dict]] = defaultdict(list)
    for row in facts:
        facts_of[row["document_id"]].append(row)
    paid_of: dict[str, list[dict]] = defaultdict(list)
    for row in contributions:
        paid_of[row["document_id"]].append(row)
    warned: dict[str, list[dict]] = defaultdict(list)
    for row in warnings:
        warned[row["document_id"]].append(row)

    reports = []
    for t in truth:
        r = ReportScore(t["file"], t["forbund"]["key"], dict(t["dimensions"]))
        docs = sorted(by_file.get(t["file"], []), key=lambda d: d["status"] != "loaded")
        doc = docs[0] if docs else None
        if doc is not None:
            r.status, r.status_reason = doc["status"], doc["status_reason"] or ""
            r.forbund_id, r.forbund_name = doc["forbund_id"], doc["forbund_name"]
            r.dims["warehouse_registry"] = "registered" if doc.get("forbund_in_registry") else "by_own_name"
            r.year_ok = doc["fiscal_year"] == t["fiscal_year"]
            r.type_ok = doc["document_type"] == t["document_type"]
        doc_id = doc["document_id"] if doc is not None and r.loaded else None
        _score_facts(r, t, facts_of.get(doc_id, []), warned.get(doc_id, []))
        _score_contributions(r, t, paid_of.get(doc_id, []))
        _check_forbund(r, t, warned.get(doc_id, []), doc)
        reports.append(r)

    ids_by_key: dict[str, Counter] = defaultdict(Counter)
    for r in reports:
        if r.loaded and r.forbund_id:
            ids_by_key[r.forbund_key][r.forbund_id] += 1
    keys_by_id: dict[str, set[str]] = defaultdict(set)
    for key, ids in ids_by_key.items():
        for forbund_id in ids:
            keys_by_id[forbund_id].add(key)
    splits = {key: sorted(ids) for key, ids in ids_by_key.items() if len(ids) > 1}
    collisions = {fid: sorted(keys) for fid, keys in keys_by_id.items() if len(keys) > 1}
    for r in reports:
        if not r.forbund_ok:
            continue
        if r.forbund_key in splits:
            r.forbund_ok = False
            r.forbund_problem = f"the same förbund got several ids: {', '.join(splits[r.forbund_key])}"
        elif r.forbund_id in collisions:
            r.forbund_ok = False
            r.forbund_problem = f"id '{r.forbund_id}' is shared by several förbund"
    return Score(reports, splits, collisions)


def _check_forbund(r: ReportScore, t: dict, warnings: list[dict], doc: dict | None) -> None:
    own = t["forbund"]
    if not r.loaded or doc is None:
        r.forbund_problem = f"not loaded ({r.status}: {r.status_reason})"
        return
    if doc.get("forbund_in_registry"):
        if stems(r.forbund_name or "") != stems(own["base"]):
            r.forbund_problem = f"'{own['name']}' attributed to registered {r.forbund_id} ({r.forbund_name})"
            return
    else:
        if " ".join((r.forbund_name or "").split()) != own["name"]:
            r.forbund_problem = f"'{own['name']}' named '{r.forbund_name}' ({r.forbund_id})"
            return
        if not any(w["check_name"] == "forbund_in_registry" for w in warnings):
            r.forbund_problem = f"'{own['name']}', outside the registry, has no forbund_in_registry warning"
            return
    r.forbund_ok = True


def _fact_key(row: dict) -> tuple:
    if row["line_code"] == "other":
        return (row["statement"], "other", row["fiscal_year"], fold(row["label"] or ""))
    return (row["statement"], row["line_code"], row["fiscal_year"])


def _score_facts(r: ReportScore, t: dict, facts: list[dict], warnings: list[dict]) -> None:
    held: dict[tuple, set[int]] = defaultdict(set)
    for row in facts:
        held[_fact_key(row)].add(row["amount_sek"])
    stated = set()
    for fact in t["facts"]:
        key = _fact_key(fact)
        stated.add(key)
    for fact in t["facts"]:
        key = _fact_key(fact)
        amounts = held.get(key)
        as_other = (fact["statement"], "other", fact["fiscal_year"], fold(fact["label"]))
        if amounts == {fact["amount_sek"]}:
            outcome = "exact"
        elif amounts:
            outcome = "wrong"
        elif as_other not in stated and held.get(as_other) == {fact["amount_sek"]}:
            outcome = "unmapped"
            stated.add(as_other)
        elif _flagged(fact, warnings):
            outcome = "flagged"
        else:
            outcome = "missing"
        r.facts[outcome] += 1
        r.label_results.append((fact["statement"], fact["label"], outcome))
        if outcome != "exact":
            r.fact_failures.append(
                {
                    "file": t["file"],
                    "line": fact["line"],
                    "statement": fact["statement"],
                    "line_code": fact["line_code"],
                    "label": fact["label"],
                    "fiscal_year": fact["fiscal_year"],
                    "expected": fact["amount_sek"],
                    "got": sorted(amounts) if amounts else None,
                    "outcome": outcome,
                }
            )
    for key, amounts in held.items():
        if key not in stated:
            r.facts["extra"] += len(amounts)
            r.fact_failures.append(
                {
                    "file": t["file"],
                    "line": None,
                    "statement": key[0],
                    "line_code": key[1],
                    "label": next((f["label"] for f in facts if _fact_key(f) == key), ""),
                    "fiscal_year": key[2],
                    "expected": None,
                    "got": sorted(amounts),
                    "outcome": "extra",
                }
            )


def _flagged(fact: dict, warnings: list[dict]) -> bool:
    label = fold(fact["label"])
    for w in warnings:
        message = fold(w["message"] or "")
        if fact["line"] is not None and w["source_line"] == fact["line"]:
            return True
        if label and label in message and fold(fact["statement"].replace("_", " ")) in message:
            return True  # e.g. value_left_out: "income line 'Verksamhetens nettokostnad' 2016 left out: …"
        if w["check_name"] == "statement_found" and fold(fact["statement"].replace("_", " ")) in message:
            return True
    return False


def _score_contributions(r: ReportScore, t: dict, paid: list[dict]) -> None:
    held = Counter(
        (p["fiscal_year"], p["contributor_type"], p["kommun_code"], p["amount_sek"])
        for p in paid
        if p["contributor_type"] in MEMBER_TYPES
    )
    for c in t["contributions"]:
        key = (c["fiscal_year"], c["contributor_type"], c["kommun_code"], c["amount_sek"])
        if held[key] > 0:
            held[key] -= 1
            r.contributions["exact"] += 1
        else:
            r.contributions["missing"] += 1
            similar = [
                p
                for p in paid
                if p["fiscal_year"] == c["fiscal_year"] and fold(p["contributor"]) == fold(c["contributor"])
            ]
            r.contribution_failures.append(
                {
                    "file": t["file"],
                    "contributor": c["contributor"],
                    "fiscal_year": c["fiscal_year"],
                    "expected": f"{c['contributor_type']} {c['kommun_code'] or ''} {c['amount_sek']}".replace(
                        "  ", " "
                    ),
                    "got": "; ".join(
                        f"{p['contributor_type']} {p['kommun_code'] or ''} {p['amount_sek']}" for p in similar
                    )
                    or None,
                }
            )
    r.contributions["wrong"] += sum(n for n in held.values() if n > 0)


# --- printing -----------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}" if whole else "    -"


_COLUMNS = ("reports", "förbund%", "loaded%", "facts%", "wrong", "unmap", "flag", "miss", "contrib%")


def _table_row(dimension: str, value: str, reports: list[ReportScore]) -> str:
    facts: Counter = Counter()
    paid: Counter = Counter()
    for r in reports:
        facts.update(r.facts)
        paid.update(r.contributions)
    stated = facts["exact"] + facts["wrong"] + facts["unmapped"] + facts["flagged"] + facts["missing"]
    cells = (
        str(len(reports)),
        _pct(sum(r.forbund_ok for r in reports), len(reports)),
        _pct(sum(r.loaded for r in reports), len(reports)),
        _pct(facts["exact"], stated),
        str(facts["wrong"] + facts["extra"]),
        str(facts["unmapped"]),
        str(facts["flagged"]),
        str(facts["missing"]),
        _pct(paid["exact"], paid["exact"] + paid["missing"]),
    )
    return f"{dimension:20} {value[:34]:34} " + " ".join(c.rjust(len(h)) for c, h in zip(cells, _COLUMNS, strict=True))


def dimension_table(result: Score, dimensions=(*DIMENSIONS, "warehouse_registry")) -> str:
    """One line per dimension value: reports, förbund right, loaded, facts exact, wrong, contributions exact."""
    head = f"{'dimension':20} {'value':34} " + " ".join(_COLUMNS)
    lines = [head, "-" * len(head), _table_row("ALL", "", result.reports)]
    for dim in dimensions:
        groups: dict[str, list[ReportScore]] = defaultdict(list)
        for r in result.reports:
            groups[str(r.dims.get(dim))].append(r)
        lines += [_table_row(dim, value, groups[value]) for value in sorted(groups)]
    return "\n".join(lines)


def label_table(result: Score) -> str:
    """Statement facts exact per printed label (the wording dimension, line by line)."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in result.reports:
        for statement, label, outcome in r.label_results:
            counts[(statement, label)][outcome] += 1
    head = f"{'statement':10} {'label':58} {'facts':>6} {'exact%':>6} {'wrong':>5} {'unmap':>5} {'absent':>6}"
    lines = [head, "-" * len(head)]
    for (statement, label), c in sorted(counts.items()):
        total = sum(c.values())
        lines.append(
            f"{statement:10} {label[:58]:58} {total:6} {_pct(c['exact'], total):>6} {c['wrong']:5} "
            f"{c['unmapped']:5} {c['flagged'] + c['missing']:6}"
        )
    return "\n".join(lines)


def failure_samples(result: Score, limit: int = 40) -> str:
    lines = []
    forbund = [r for r in result.reports if not r.forbund_ok]
    lines.append(f"förbund wrong in {len(forbund)} reports:")
    lines += [f"  {r.file}: {r.forbund_problem}" for r in forbund[:limit]]
    if result.id_splits:
        lines.append(f"förbund split over several ids: {len(result.id_splits)}")
        lines += [f"  {key}: {', '.join(ids)}" for key, ids in list(result.id_splits.items())[:limit]]
    facts = [f for r in result.reports for f in r.fact_failures]
    by_outcome = Counter(f["outcome"] for f in facts)
    lines.append(f"statement facts not exact: {dict(by_outcome)}")
    seen: Counter = Counter()
    for f in facts:  # a few of each outcome and statement, so one kind of failure does not hide the others
        key = (f["outcome"], f["statement"])
        if seen[key] >= max(3, limit // 8):
            continue
        seen[key] += 1
        where = f"{f['file']}:{f['line']}" if f["line"] else f["file"]
        lines.append(
            f"  {f['outcome']:8} {where}  {f['statement']}/{f['line_code']} {f['fiscal_year']} "
            f"'{f['label']}': expected {f['expected']}, got {f['got']}"
        )
    contributions = [c for r in result.reports for c in r.contribution_failures]
    lines.append(f"member contributions not read exactly: {len(contributions)}")
    for c in contributions[:limit]:
        lines.append(
            f"  {c['file']}  {c['fiscal_year']} '{c['contributor']}': expected {c['expected']}, got {c['got']}"
        )
    return "\n".join(lines)


def report_text(result: Score, failures: int = 40) -> str:
    t = result.total("facts")
    c = result.total("contributions")
    summary = (
        f"{len(result.reports)} reports: förbund right {100 * result.forbund_rate():.1f} %, "
        f"loaded {sum(r.loaded for r in result.reports)}, statement facts exact {100 * result.fact_rate():.2f} % "
        f"({t['exact']} exact, {t['wrong']} wrong, {t['extra']} extra, {t['unmapped']} unmapped, "
        f"{t['flagged']} flagged, "
        f"{t['missing']} missing), "
        f"contributions exact {100 * result.contribution_rate():.2f} % ({c['exact']} exact, {c['missing']} missing, "
        f"{c['wrong']} wrong)"
    )
    return "\n\n".join([summary, dimension_table(result), label_table(result), failure_samples(result, failures)])


def load_truth(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["reports"] if isinstance(data, dict) else data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpora.dialect_score", description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, help="truth.json written by tests.corpora.dialect_corpus")
    parser.add_argument("--warehouse", type=Path, help="a warehouse loaded from the corpus's reports/")
    parser.add_argument(
        "--corpus", type=Path, help="generate a corpus here, ingest it into CORPUS/finsam.duckdb, score it"
    )
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--failures", type=int, default=40, help="how many failing lines to list")
    args = parser.parse_args(argv)
    if args.corpus:
        import contextlib
        import io

        from finsam_pipeline.cli import main as finsam
        from tests.corpora.dialect_corpus import DEFAULT_SEED, DRESSES, pdftotext_available, write_corpus

        dresses = DRESSES if pdftotext_available() else tuple(d for d in DRESSES if d != "pdftotext")
        truth = write_corpus(args.corpus, args.count, args.seed or DEFAULT_SEED, dresses)
        warehouse = args.corpus / "finsam.duckdb"
        warehouse.unlink(missing_ok=True)
        import os

        # the scoring load is recorded in the corpus's own Dagster instance, not in the operator's
        os.environ.setdefault("DAGSTER_HOME", str(args.corpus / "dagster_home"))
        with contextlib.redirect_stdout(io.StringIO()):
            finsam(["ingest", str(args.corpus / "reports"), "--warehouse", str(warehouse)])
    elif args.truth and args.warehouse:
        truth, warehouse = load_truth(args.truth), args.warehouse
    else:
        parser.error("give --truth and --warehouse, or --corpus")
    print(report_text(score(truth, warehouse), args.failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
