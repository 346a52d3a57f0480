"""National-scale benchmark: `python -m benchmarks.national --reports N`.

Builds a corpus from the bundled seeds (distinct förbund names and years, about one
in ten printed to PDF), runs the real pipeline end to end into a temporary
warehouse, runs it again unchanged, and prints per-stage times, throughput and peak
memory, then one JSON line. Amounts are kept as printed, so every report keeps the
seeds' own arithmetic (and their real inconsistencies).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.pdf_print import text_to_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw"
# How each seed names its förbund, so a corpus report can be given a name of its own.
FORBUND_NAMES = {
    "000": r"Klar\S{0,3}lvdalens?",
    "001": r"Västra Värmlands? och Norra Dalslands?|BÅD-ESÅ",
    "002": r"Klar\S{0,3}lvdalens?",
    "003": r"(?i)v[äa]sterbergslagens?",
    "004": r"Finsam Falun\s*-\s*Borlänge|Falun-Borlänge|Finsam Falun|Finsam Borlänge",
}
_YEAR = re.compile(r"(?<![\d-])(20[12]\d)(?!\d)")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _name(index: int) -> str:
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = _LETTERS[rest] + letters
        if index == 0:
            return "Norr" + letters
        index -= 1


def build_corpus(target: Path, reports: int, pdf_every: int = 10) -> tuple[int, int]:
    """`reports` files in `target`; returns (text files, PDF files)."""
    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*"))}
    prefixes = sorted(seeds)
    pdfs = 0
    for index in range(reports):
        prefix = prefixes[index % len(prefixes)]
        forbund, shift = divmod(index // len(prefixes), 10)
        name = _name(forbund * len(prefixes) + index % len(prefixes))
        text = re.sub(FORBUND_NAMES[prefix], name + "s", seeds[prefix])
        text = _YEAR.sub(lambda m, shift=shift: str(int(m[1]) - shift), text)
        stem = f"{index:05d}_{name}_{prefix}"
        if index % pdf_every == pdf_every - 1:
            text_to_pdf(text, target / f"{stem}.pdf")
            pdfs += 1
        else:
            (target / f"{stem}.txt").write_text(text, encoding="utf-8")
    return reports - pdfs, pdfs


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run(reports: int, workers: int, keep: Path | None) -> dict:
    from finsam_pipeline.cli import main
    from finsam_pipeline.extract import extract
    from finsam_pipeline.ingest import SourceFile
    from finsam_pipeline.pipeline import load_step, parse_step, read_step, validate_step
    from finsam_pipeline.quality import _gx_suite

    _gx_suite()  # one-time set-up (importing Great Expectations), paid before any timing
    work = Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    corpus = work / "raw"
    corpus.mkdir()
    started = time.perf_counter()
    texts, pdfs = build_corpus(corpus, reports)
    build_s = time.perf_counter() - started

    warehouse = work / "stages.duckdb"
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    batch = read_step([corpus], warehouse)
    timings["read_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    parsed = parse_step(batch, workers=workers)
    timings["parse_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    validated = validate_step(parsed)
    timings["validate_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    load_step(warehouse, validated)
    timings["load_s"] = time.perf_counter() - clock

    end_to_end = work / "finsam.duckdb"
    clock = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", str(corpus), "--warehouse", str(end_to_end), "--workers", str(workers)]) == 0
    total_s = time.perf_counter() - clock
    clock = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", str(corpus), "--warehouse", str(end_to_end), "--workers", str(workers)]) == 0
    noop_rerun_s = time.perf_counter() - clock

    pdf_files = sorted(corpus.glob("*.pdf"))
    clock = time.perf_counter()
    pages = sum(extract(SourceFile(path, path.read_bytes())).page_count or 0 for path in pdf_files)
    pdf_s = time.perf_counter() - clock

    stage_sum = sum(timings.values())
    result = {
        "reports": reports,
        "text_reports": texts,
        "pdf_reports": pdfs,
        "workers": workers,
        "corpus_build_s": round(build_s, 2),
        **{key: round(value, 2) for key, value in timings.items()},
        "orchestration_s": round(max(0.0, total_s - stage_sum), 2),
        "total_s": round(total_s, 2),
        "noop_rerun_s": round(noop_rerun_s, 2),
        "reports_per_s": round(reports / total_s, 1),
        "pdf_pages": pages,
        "pdf_pages_per_s": round(pages / pdf_s, 1) if pdf_s else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "loaded": len([d for d in validated.loads if d.document["status"] == "loaded"]),
        "quarantined": len([d for d in validated.loads if d.document["status"] == "quarantined"]),
        "superseded": len([d for d in validated.loads if d.document["status"] == "superseded"]),
    }
    if keep is not None:
        shutil.copytree(work, keep, dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    from finsam_pipeline.workers import default_workers

    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", type=Path, help="copy the corpus and warehouses here")
    args = parser.parse_args(argv)
    result = run(args.reports, args.workers, args.keep)
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
