"""National-scale benchmark: `python -m benchmarks.national --reports N`.

The corpus is N distinct reports made from the bundled seeds: each seed's förbund is given a
name of its own in every form the seed prints it (nominative and genitive, the acronym, the
website), a registered organisation number is replaced by one no registry holds, and its years
are shifted, so every report is its own förbund, type and year and nothing supersedes anything.
About one in ten is printed to PDF. Amounts are kept as printed, so every report keeps the
seeds' own arithmetic (and their real inconsistencies).

The corpus is loaded end to end by `finsam ingest` in a process of its own (a fresh Dagster
instance of the project's configuration, the given number of parsing workers), which is what
an operator runs; then again unchanged, in another fresh process. Inside the load, thin clocks
(no change to the pipeline's code: the benchmark wraps the functions before the run) measure:

- in each parsing worker, the CPU seconds of every file (`parse_cpu_s`, extraction included)
  and of every content parser `parse_report` calls (`parser_cpu_s`), and the PDF pages read;
- in the run's process, the Great Expectations import, hashing and deciding (`read_step`), the
  pipeline proper (`ingest`: waiting for the parsers, the checks, the writes, publishing) and the
  Dagster events recorded after it.

The yardstick is the floor: `parse_cpu_s / workers`, the time the parsing alone needs on this
machine with every worker busy; `total_over_floor` is the end-to-end time over it.

The OCR stage prints seed 004 to PDF (12 pages), scans every page (`pdftoppm -r 200`, rebuilt
image-only with `img2pdf`, as a scanner would) and loads it with `finsam ingest` and all the
workers, with an empty OCR cache and again from the cache (`ocr_pages_per_s` is the cold load).
One scan in a pool of several workers reads its pages in parallel on the cores of the workers
without a file (`spare_core()` in `load/workers.py`, used by `read/ocr/parallel.py`).
It needs Tesseract, `pdftoppm` and `img2pdf`; without them it is skipped and says why.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw"
PROFILE_ENV = "FINSAM_BENCH_PROFILE"  # folder where each parsing worker writes what its clocks measured

# How each seed prints its own förbund: (pattern, replacement). `{name}` is the corpus förbund's name,
# `{slug}` its identifier; a group 1 carries the genitive `s` the seed printed. Applied in order.
SEED_NAMES: dict[str, list[tuple[str, str]]] = {
    "000": [(r"Klar\S{0,3}lvdalen(s?)", "{name}\\1")],
    "001": [
        (r"Västra\s+Värmlands?\s+och\s+Norra\s+Dalsland(s?)", "{name}\\1"),
        (r"BÅD-ESÅ", "{name}"),
        (r"www\.vvnd\.se", "www.{slug}.se"),
    ],
    "002": [(r"Klar\S{0,3}lvdalen(s?)", "{name}\\1")],
    "003": [
        (r"finsamdalarna\.se/vasterbergslagen", "finsamdalarna.se/{slug}"),
        (r"(?i)v[äa]sterbergslagen(s?)", "{name}\\1"),
    ],
    "004": [
        (r"Finsam\s+Falun\s*-\s*Borlänge(s?)", "Finsam {name}\\1"),
        (r"Falun-Borlänge(s?)", "{name}\\1"),
        (r"Finsam\s+(?:Falun|Borlänge)\b", "Finsam {name}"),
    ],
}
YEARS_PER_FORBUND = 10  # each corpus förbund reports for this many consecutive years
_YEAR = re.compile(r"(?<![\d-])(20[12]\d)(?!\d)")
_ORG_NUMBER = re.compile(r"(?<!\d)(\d{6})\s?[-–]\s?(\d{4})(?!\d)")
_SYLLABLES = ("ba", "de", "fi", "go", "ku", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "bo", "da", "ke")


# --- the corpus -------------------------------------------------------------------------------------


def _candidate_name(index: int, syllables: int = 3) -> str:
    parts = []
    for _ in range(syllables):
        index, rest = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[rest])
    return ("".join(parts) + "by").capitalize()


@cache
def forbund_names(count: int) -> tuple[str, ...]:
    """`count` names no registered förbund, kommun or län carries (not even OCR-alike), each read as a name."""
    from finsam_pipeline.parse.forbund import _name_token, registry_match
    from finsam_pipeline.parse.vocabulary import place_names
    from finsam_pipeline.read.textnorm import fold

    names: list[str] = []
    index, syllables = 0, 3
    while len(names) < count:
        if index >= len(_SYLLABLES) ** syllables:
            index, syllables = 0, syllables + 1
        name = _candidate_name(index * 1237 % len(_SYLLABLES) ** syllables, syllables)  # a stride, for variety
        index += 1
        key = fold(name)
        if _name_token(name) and key not in place_names() and registry_match((key,)) is None:
            names.append(name)
    return tuple(names)


def org_number(forbund: int) -> str:
    """An organisation number of the corpus förbund's own (`99…`: no real one starts so)."""
    return f"99{forbund // 10000 % 10000:04d}-{forbund % 10000:04d}"


@cache
def _registered_org_numbers() -> frozenset[str]:
    from finsam_pipeline.parse.vocabulary import forbund_registry

    return frozenset(f.org_number for f in forbund_registry() if f.org_number)


def distinct_report(text: str, prefix: str, name: str, forbund: int, shift: int) -> str:
    """The seed's text as the report of förbund `name` (number `forbund`), `shift` years earlier."""
    from finsam_pipeline.read.textnorm import slugify

    for pattern, replacement in SEED_NAMES[prefix]:
        text = re.sub(pattern, replacement.format(name=name, slug=slugify(name)), text)
    registered = _registered_org_numbers()
    own = org_number(forbund)
    text = _ORG_NUMBER.sub(lambda m: own if f"{m[1]}-{m[2]}" in registered else m[0], text)
    return _YEAR.sub(lambda m: str(int(m[1]) - shift), text)


def corpus_plan(reports: int, pdf_every: int = 10) -> list[tuple[str, str, int, int, str]]:
    """(file name, seed prefix, förbund number, year shift, förbund name) of each report, in order: the
    seeds in turn, each corpus förbund one seed's type over `YEARS_PER_FORBUND` years."""
    prefixes = sorted(SEED_NAMES)
    plan = []
    forbund_count = (reports // (len(prefixes) * YEARS_PER_FORBUND) + 1) * len(prefixes)
    names = forbund_names(forbund_count)
    for index in range(reports):
        prefix = prefixes[index % len(prefixes)]
        group, shift = divmod(index // len(prefixes), YEARS_PER_FORBUND)
        forbund = group * len(prefixes) + index % len(prefixes)
        suffix = "pdf" if index % pdf_every == pdf_every - 1 else "txt"
        name = names[forbund]
        plan.append((f"{index:05d}_{name}_{prefix}.{suffix}", prefix, forbund, shift, name))
    return plan


def _write_report(item: tuple[str, str, int, int, str], target: str) -> None:
    from benchmarks.pdf_print import text_to_pdf

    file_name, prefix, forbund, shift, name = item
    seed = next(SEEDS.glob(f"{prefix}_*")).read_text(encoding="utf-8")
    text = distinct_report(seed, prefix, name, forbund, shift)
    path = Path(target) / file_name
    partial = path.with_name(f".{file_name}.partial")
    if file_name.endswith(".pdf"):
        text_to_pdf(text, partial)
    else:
        partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def build_corpus(
    target: Path, reports: int, pdf_every: int = 10, cache_dir: Path | None = None, workers: int = 1
) -> tuple[int, int]:
    """`reports` files in `target`; returns (text files, PDF files). With `cache_dir`, reports are built
    there once (the plan is deterministic, so a larger corpus holds every smaller one) and linked."""
    plan = corpus_plan(reports, pdf_every)
    home = cache_dir or target
    home.mkdir(parents=True, exist_ok=True)
    missing = [item for item in plan if not (home / item[0]).exists()]
    if workers > 1 and len(missing) > 1:
        import multiprocessing
        from functools import partial

        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            pool.map(partial(_write_report, target=str(home)), missing, chunksize=8)
    else:
        for item in missing:
            _write_report(item, str(home))
    if cache_dir is not None:
        for item in plan:
            try:
                os.link(cache_dir / item[0], target / item[0])
            except OSError:
                shutil.copyfile(cache_dir / item[0], target / item[0])
    pdfs = sum(1 for item in plan if item[0].endswith(".pdf"))
    return reports - pdfs, pdfs


# --- clocks inside the load: installed in the run's process and in each parsing worker -------------------


def _timed(function: Callable, totals: dict[str, float], name: str, wall: bool = False) -> Callable:
    def clocked(*args, **kwargs):
        started_cpu, started = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.process_time() - started_cpu
            if wall:
                totals[f"{name}_wall"] = totals.get(f"{name}_wall", 0.0) + time.perf_counter() - started

    clocked.__wrapped__ = function
    return clocked


_WORKER: dict = {}  # in a parsing worker: the clocks' totals, the real parse_file


def _install_worker_clocks() -> dict:
    """Wrap the extraction, `parse_report` and every parser it calls (the functions `finsam_pipeline.parse`
    holds by name, so `parse_report` calls the wrapped ones) with CPU clocks, once per worker."""
    if _WORKER:
        return _WORKER
    import inspect

    import finsam_pipeline.parse as parse
    from finsam_pipeline.load import steps

    parsers: dict[str, float] = {}
    stages: dict[str, float] = {}
    for name, value in list(vars(parse).items()):
        parser = inspect.isfunction(value) and value.__module__.startswith("finsam_pipeline.parse")
        if parser and name != "parse_report":
            setattr(parse, name, _timed(value, parsers, name))
    steps.extract = _timed(steps.extract, stages, "extract", wall=True)
    steps.parse_report = _timed(steps.parse_report, stages, "parse_report")
    parse_file = steps.parse_file
    _WORKER.update(
        parsers=parsers,
        stages=stages,
        parse_file=getattr(parse_file, "__wrapped__", parse_file),
        counts={"files": 0, "pdf_files": 0, "pdf_pages": 0, "pdf_extract_wall": 0.0, "pdf_extract_cpu": 0.0},
    )
    return _WORKER


def profiled_parse_file(job):
    """`load.steps.parse_file` with clocks; what they measured is written to the profile folder after each file."""
    state = _install_worker_clocks()
    stages, counts = state["stages"], state["counts"]
    before_wall, before_cpu = stages.get("extract_wall", 0.0), stages.get("extract", 0.0)
    started_cpu, started = time.process_time(), time.perf_counter()
    outcome = state["parse_file"](job)
    stages["parse_file"] = stages.get("parse_file", 0.0) + time.process_time() - started_cpu
    stages["parse_file_wall"] = stages.get("parse_file_wall", 0.0) + time.perf_counter() - started
    counts["files"] += 1
    if job.path.lower().endswith(".pdf"):
        document = getattr(outcome, "document", outcome)
        counts["pdf_files"] += 1
        counts["pdf_pages"] += (document.get("page_count") or 0) - (document.get("pages_ocr") or 0)
        counts["pdf_extract_wall"] += stages.get("extract_wall", 0.0) - before_wall
        counts["pdf_extract_cpu"] += stages.get("extract", 0.0) - before_cpu
    folder = os.environ.get(PROFILE_ENV)
    if folder:
        path = Path(folder) / f"{os.getpid()}.json"
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps({"parsers": state["parsers"], "stages": stages, "counts": counts}))
        partial.replace(path)
    return outcome


def ingest_process(argv: list[str], out: str, profile: bool) -> int:
    """`finsam ingest argv` in this (fresh) process, its parts clocked; what was measured goes to `out`."""
    started = time.monotonic()
    from finsam_pipeline.cli import main
    from finsam_pipeline.defs import assets
    from finsam_pipeline.load import steps
    from finsam_pipeline.quality import _gx_suite

    imported = time.monotonic()
    _gx_suite()  # Great Expectations: imported and its suite built once per process (else in the first chunk)
    gx_done = time.monotonic()
    spans: dict[str, float] = {}
    seconds = steps.StageSeconds()
    real_read, real_ingest, real_record = assets.read_step, assets.ingest, assets._record

    def read_step(*args, **kwargs):
        clock = time.monotonic()
        try:
            return real_read(*args, **kwargs)
        finally:
            spans["read_step"] = spans.get("read_step", 0.0) + time.monotonic() - clock

    def ingest(*args, **kwargs):
        clock = time.monotonic()
        try:
            return real_ingest(*args, **kwargs, seconds=seconds)
        finally:
            spans["ingest"] = spans.get("ingest", 0.0) + time.monotonic() - clock

    def record(*args, **kwargs):  # Dagster writes each event as the op yields it, so this clocks the writes too
        clock = time.monotonic()
        try:
            yield from real_record(*args, **kwargs)
        finally:
            spans["record_events"] = spans.get("record_events", 0.0) + time.monotonic() - clock

    assets.read_step, assets.ingest, assets._record = read_step, ingest, record
    if profile:
        steps.parse_file = profiled_parse_file  # the workers run it: it is pickled by name
    main_started = time.monotonic()
    status = main(argv)
    ended = time.monotonic()
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    events: dict[str, int] = {}
    from dagster import DagsterInstance

    instance = DagsterInstance.get()
    runs = instance.get_runs(limit=1)
    if runs:
        for entry in instance.all_logs(runs[0].run_id):
            kind = entry.dagster_event.event_type_value if entry.dagster_event else "LOG_MESSAGE"
            events[kind] = events.get(kind, 0) + 1
    measured = {
        "status": status,
        "started": started,
        "ended": ended,
        "import_s": imported - started,
        "gx_import_s": gx_done - imported,
        "main_s": ended - main_started,
        "spans": spans,
        "stage_seconds": vars(seconds),
        "own_cpu_s": own.ru_utime + own.ru_stime,
        "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "own_maxrss_mb": own.ru_maxrss / 1024,
        "workers_maxrss_mb": workers.ru_maxrss / 1024,
        "events": events,
    }
    Path(out).write_text(json.dumps(measured))
    return status


class TreeMemory:
    """Samples the summed resident memory of a process and all its descendants (workers included)."""

    def __init__(self, root: int, every_s: float = 0.5) -> None:
        import threading

        self.root, self.peak_mb, self.every_s = root, 0.0, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(self.root))


def _tree_rss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = pages * resource.getpagesize() / 2**20
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def _child_environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, DAGSTER_TELEMETRY_DISABLED="1", **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_ingest(argv: list[str], work: Path, label: str, profile: bool = False, **env: str) -> dict:
    """`finsam ingest argv` in a fresh process, clocked inside (see `ingest_process`); its tree's memory sampled.
    `total_s` runs from before the process is started until `finsam ingest` has returned in it."""
    out = work / f"{label}.json"
    code = (
        "import sys, json; from benchmarks.national import ingest_process; "
        f"sys.exit(ingest_process(json.loads(sys.argv[1]), sys.argv[2], {profile}))"
    )
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(argv), str(out)],
        env=_child_environment(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeMemory(child.pid) as tree:
        _, stderr = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"finsam ingest failed ({child.returncode}):\n{stderr[-4000:]}")
    measured = json.loads(out.read_text())
    measured["total_s"] = measured["ended"] - started
    measured["tree_peak_mb"] = tree.peak_mb
    return measured


def _worker_profiles(folder: Path) -> dict:
    parsers: dict[str, float] = {}
    stages: dict[str, float] = {}
    counts: dict[str, float] = {}
    for path in folder.glob("*.json"):
        measured = json.loads(path.read_text())
        for into, key in ((parsers, "parsers"), (stages, "stages"), (counts, "counts")):
            for name, value in measured[key].items():
                into[name] = into.get(name, 0) + value
    return {"parsers": parsers, "stages": stages, "counts": counts}


# --- Dagster events and the OCR stage --------------------------------------------------------------------


def check_event_ms(dagster_home: Path, events: int = 62) -> float:
    """Milliseconds to record one per-report check result in the project's kind of instance (what a run of at
    most `checks_per_report_max` reports records for every check of every report)."""
    code = """
import os, sys, time
from dagster import AssetCheckEvaluation, AssetKey, DagsterInstance
instance = DagsterInstance.get()
count = int(sys.argv[1])
clock = time.perf_counter()
for index in range(count):
    instance.report_runless_asset_event(AssetCheckEvaluation(
        asset_key=AssetKey("reports"), check_name=f"bench_check_{index % 31}", passed=index % 7 != 0,
        partition=f"bench_report_{index // 31}", metadata={"evaluated": 1}))
print((time.perf_counter() - clock) / count * 1000)
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(events)],
        env=_child_environment(DAGSTER_HOME=str(dagster_home)),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def scanned_pdf(pdf: Path, target: Path, pages: list[int] | None = None, dpi: int = 200) -> Path:
    """`pdf` with the given 1-based pages (all when None) replaced by scans of themselves: each page
    rasterised by `pdftoppm -r dpi`, made an image-only PDF page by `img2pdf`; the other pages keep
    their text layer."""
    import pypdfium2 as pdfium

    work = Path(tempfile.mkdtemp(prefix="finsam-scan-"))
    try:
        source = pdfium.PdfDocument(pdf)
        count = len(source)
        scanned = sorted(set(pages or range(1, count + 1)))
        images = []
        for page in scanned:
            stem = work / f"page{page}"
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), stem],
                check=True,
            )
            images.append(f"{stem}.png")
        subprocess.run(["img2pdf", *images, "-o", str(work / "scan.pdf")], check=True)
        scan = pdfium.PdfDocument(work / "scan.pdf")
        out = pdfium.PdfDocument.new()
        for index in range(count):
            if index + 1 in scanned:
                out.import_pages(scan, [scanned.index(index + 1)])
            else:
                out.import_pages(source, [index])
        out.save(str(target))
        for document in (out, scan, source):
            document.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def ocr_stage(work: Path, pages: int, workers: int, seed: str = "004") -> dict:
    """Seed `seed` printed to PDF, its first `pages` pages (0: all) scanned, loaded by `finsam ingest` with all
    the workers and an empty OCR cache, then into a new warehouse from the cache."""
    from benchmarks.pdf_print import text_to_pdf
    from finsam_pipeline.read import ocr

    if ocr.unavailable_reason() or not (shutil.which("pdftoppm") and shutil.which("img2pdf")):
        missing = ocr.unavailable_reason() or "pdftoppm or img2pdf is not installed"
        return {"ocr_pages": 0, "ocr_s": None, "ocr_pages_per_s": None, "ocr_skipped": missing}
    import duckdb
    import pypdfium2 as pdfium

    folder = work / "scan"
    folder.mkdir()
    seed_text = next(SEEDS.glob(f"{seed}_*")).read_text(encoding="utf-8")
    printed = text_to_pdf(seed_text, work / f"{seed}_printed.pdf")
    document = pdfium.PdfDocument(printed)
    total = len(document)
    document.close()
    chosen = list(range(1, min(pages, total) + 1)) if pages else None
    scanned_pdf(printed, folder / f"{seed}_scan.pdf", chosen)
    env = {"DAGSTER_HOME": str(work / "dagster_home_ocr"), ocr.CACHE_ENV: str(work / "ocr-cache")}
    times, cpu = [], []
    for label in ("ocr_cold", "ocr_cached"):
        warehouse = work / f"{label}.duckdb"
        argv = ["ingest", str(folder), "--warehouse", str(warehouse), "--workers", str(workers)]
        measured = run_ingest(argv, work, label, **env)
        times.append(measured["spans"]["ingest"])
        cpu.append(measured["own_cpu_s"] + measured["workers_cpu_s"])  # Tesseract's included: the workers wait for it
    con = duckdb.connect(str(work / "ocr_cold.duckdb"), read_only=True)
    done, confidence, status = con.execute("SELECT pages_ocr, ocr_mean_confidence, status FROM documents").fetchone()
    con.close()
    return {
        "ocr_pages": done or 0,
        "ocr_document_pages": total,
        "ocr_s": round(times[0], 2),
        "ocr_pages_per_s": round((done or 0) / times[0], 3) if times[0] else None,
        "ocr_mean_confidence": confidence,
        "ocr_status": status,
        "ocr_cached_rerun_s": round(times[1], 2),
        # the cached re-run does all but the OCR (reading the text layer, parsing, loading): the OCR alone
        "ocr_only_pages_per_s": round((done or 0) / (times[0] - times[1]), 3) if times[0] > times[1] else None,
        # CPU seconds a page costs (Tesseract and all), whatever else the machine runs
        "ocr_cpu_s_per_page": round((cpu[0] - cpu[1]) / done, 2) if done else None,
    }


# --- the run --------------------------------------------------------------------------------------------


def _warehouse_counts(warehouse: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
        loaded = "FROM documents WHERE status = 'loaded'"
        report = "(forbund_id, document_type, fiscal_year)"
        distinct = con.execute(f"SELECT count(DISTINCT {report}) {loaded}").fetchone()[0]
        forbund = con.execute(f"SELECT count(DISTINCT forbund_id) {loaded}").fetchone()[0]
        registered = con.execute(f"SELECT count(*) {loaded} AND forbund_in_registry").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM financial_facts").fetchone()[0]
    finally:
        con.close()
    return {
        "loaded": statuses.get("loaded", 0),
        "quarantined": statuses.get("quarantined", 0),
        "superseded": statuses.get("superseded", 0),
        "distinct_reports_loaded": distinct,
        "forbund_loaded": forbund,
        "loaded_as_registered_forbund": registered,
        "financial_facts_rows": rows,
        "warehouse_mb": round(warehouse.stat().st_size / 2**20, 1),
    }


def _noop_in_process(argv: list[str]) -> float:
    """The unchanged re-run's own work (hash every file, ask the warehouse), without starting Python and
    importing the CLI: `finsam ingest` called in this process, whose imports are paid before the clock."""
    import contextlib
    import io

    import finsam_pipeline.load.steps  # noqa: F401  (imported by `finsam ingest` on its first call)
    from finsam_pipeline.cli import main

    clock = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(argv)
    elapsed = time.perf_counter() - clock
    if status != 0:
        raise RuntimeError("the unchanged re-run failed in process")
    return elapsed


def run(
    reports: int,
    workers: int,
    keep: Path | None = None,
    ocr_pages: int = 0,
    corpus_cache: Path | None = None,
) -> dict:
    work = Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    try:
        return _run(work, reports, workers, ocr_pages, corpus_cache)
    finally:
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, reports: int, workers: int, ocr_pages: int, corpus_cache: Path | None) -> dict:
    from finsam_pipeline.quality import ALL_CHECKS

    corpus = work / "raw"
    corpus.mkdir()
    started = time.perf_counter()
    texts, pdfs = build_corpus(corpus, reports, cache_dir=corpus_cache, workers=max(1, workers))
    build_s = time.perf_counter() - started

    home = work / "dagster_home"
    warehouse = work / "finsam.duckdb"
    profiles = work / "profile"
    profiles.mkdir()
    argv = ["ingest", str(corpus), "--warehouse", str(warehouse), "--workers", str(workers)]
    load = run_ingest(argv, work, "load", profile=True, DAGSTER_HOME=str(home), **{PROFILE_ENV: str(profiles)})

    clock = time.monotonic()
    noop = subprocess.run(
        [sys.executable, "-m", "finsam_pipeline.cli", *argv],
        env=_child_environment(DAGSTER_HOME=str(home)),
        capture_output=True,
        text=True,
    )
    noop_rerun_s = time.monotonic() - clock
    if noop.returncode != 0 or "0 written" not in noop.stderr:
        raise RuntimeError(f"the unchanged re-run wrote something or failed:\n{noop.stderr[-4000:]}")
    noop_in_process_s = _noop_in_process(argv)

    counts = _warehouse_counts(warehouse)
    profile = _worker_profiles(profiles)
    stages, parsers, files = profile["stages"], profile["parsers"], profile["counts"]
    parse_cpu_s = stages.get("parse_file", 0.0)
    floor_s = parse_cpu_s / max(1, workers)
    parse_report_s = stages.get("parse_report", 0.0)
    parser_cpu = {name: round(value, 2) for name, value in sorted(parsers.items(), key=lambda kv: -kv[1])}
    parser_cpu["(parse_report itself: the rest)"] = round(parse_report_s - sum(parsers.values()), 2)
    spans, seconds, events = load["spans"], load["stage_seconds"], load["events"]
    pipeline_s = spans.get("read_step", 0.0) + spans.get("ingest", 0.0)
    run_cpu_s = load["own_cpu_s"] + load["workers_cpu_s"]
    writer_s = seconds["validate"] + seconds["write"] + seconds["finish_and_publish"]  # the one writer's own work
    event_ms = check_event_ms(home)
    record_s = spans.get("record_events", 0.0)
    recorded = events.get("ASSET_MATERIALIZATION", 0) + events.get("ASSET_CHECK_EVALUATION", 0)
    result = {
        "reports": reports,
        "text_reports": texts,
        "pdf_reports": pdfs,
        "workers": workers,
        "corpus_build_s": round(build_s, 2),
        "total_s": round(load["total_s"], 2),
        "parse_cpu_s": round(parse_cpu_s, 2),
        "floor_s": round(floor_s, 2),
        "total_over_floor": round(load["total_s"] / floor_s, 2) if floor_s else None,
        **counts,
        "noop_rerun_s": round(noop_rerun_s, 2),
        "noop_rerun_in_process_s": round(noop_in_process_s, 2),
        "reports_per_s": round(reports / load["total_s"], 2),
        "peak_rss_mb": round(max(load["own_maxrss_mb"], load["workers_maxrss_mb"]), 1),
        "peak_rss_run_process_mb": round(load["own_maxrss_mb"], 1),
        "peak_rss_worker_mb": round(load["workers_maxrss_mb"], 1),
        "peak_rss_all_processes_mb": round(load["tree_peak_mb"], 1),
        # where the end-to-end time went
        "startup_and_import_s": round(load["import_s"], 2),
        "gx_import_s": round(load["gx_import_s"], 2),
        "read_step_s": round(spans.get("read_step", 0.0), 2),
        "ingest_s": round(spans.get("ingest", 0.0), 2),
        "ingest_waiting_for_parse_s": round(seconds["waiting_for_parse"], 2),
        "ingest_validate_s": round(seconds["validate"], 2),
        "ingest_write_s": round(seconds["write"], 2),
        "ingest_publish_s": round(seconds["finish_and_publish"], 2),
        "single_writer_docs_per_s": round(reports / writer_s, 1) if writer_s else None,
        "dagster_record_s": round(record_s, 2),
        "dagster_events": sum(events.values()),
        "dagster_events_by_type": events,
        "dagster_ms_per_recorded_event": round(record_s / recorded * 1000, 2) if recorded else None,
        "dagster_rest_s": round(load["main_s"] - pipeline_s - record_s, 2),
        "orchestration_s": round(load["total_s"] - pipeline_s, 2),
        "check_event_ms": round(event_ms, 2),
        "per_report_checks_s": round(reports * len(ALL_CHECKS) * event_ms / 1000, 1),
        # parsing, in the workers
        "workers_cpu_s": round(load["workers_cpu_s"], 2),
        # how much of the machine the load had: on a shared machine the wall times grow, CPU seconds do not
        "cpu_share": round(run_cpu_s / (load["total_s"] * (os.cpu_count() or 1)), 2),
        "run_process_cpu_s": round(load["own_cpu_s"], 2),
        "extract_cpu_s": round(stages.get("extract", 0.0), 2),
        "parse_report_cpu_s": round(parse_report_s, 2),
        "parse_cpu_ms_per_report": round(parse_cpu_s / max(1, files.get("files", 0)) * 1000, 1),
        "parser_cpu_s": parser_cpu,
        "pdf_pages": files.get("pdf_pages", 0),
        "pdf_pages_per_s": round(files["pdf_pages"] / files["pdf_extract_wall"], 1)
        if files.get("pdf_extract_wall")
        else None,
        "pdf_pages_per_cpu_s": round(files["pdf_pages"] / files["pdf_extract_cpu"], 1)
        if files.get("pdf_extract_cpu")
        else None,
    }
    if ocr_pages >= 0:
        result.update(ocr_stage(work, ocr_pages, workers))
    else:
        result.update({"ocr_pages": 0, "ocr_s": None, "ocr_pages_per_s": None, "ocr_skipped": "--ocr-pages -1"})
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["cpus"] = os.cpu_count()
    return result


def main(argv: list[str] | None = None) -> int:
    from finsam_pipeline.load.workers import default_workers

    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", type=Path, help="copy the corpus, warehouses and Dagster instance here")
    parser.add_argument(
        "--corpus-cache", type=Path, help="build the corpus here once and link it (a larger one holds smaller ones)"
    )
    parser.add_argument(
        "--ocr-pages", type=int, default=0, help="pages of the 12-page seed 004 to scan and OCR (0: all, -1: none)"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    result = run(args.reports, args.workers, args.keep, args.ocr_pages, args.corpus_cache)
    result["load_average_before"] = [round(x, 2) for x in load_before]
    width = max(len(key) for key in result)
    for key, value in result.items():
        if isinstance(value, dict):
            print(key, file=sys.stderr)
            for name, inner in value.items():
                print(f"  {name.ljust(width - 2)}  {inner}", file=sys.stderr)
        else:
            print(f"{key.ljust(width)}  {value}", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
