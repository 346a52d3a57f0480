"""National-scale benchmark: `python -m benchmarks.national --reports N`.

Builds a corpus from the bundled seeds (distinct förbund names and years, about one
in ten printed to PDF), runs the real pipeline end to end into a temporary
warehouse, runs it again unchanged, and prints per-stage times, throughput and peak
memory, then one JSON line. Amounts are kept as printed, so every report keeps the
seeds' own arithmetic (and their real inconsistencies).

The OCR stage scans a seed printed to PDF (`pdftoppm -r 200`, rebuilt image-only with
`img2pdf`, as a scanner would) and reads it with an empty OCR cache, then again from the
cache: OCR pages per second (one process, its pages read on `default_workers()` cores, as
`ocr/parallel.py` does outside a pool) beside the text-PDF pages per second.
`--ocr-pages 0` scans the whole document; it needs Tesseract, `pdftoppm` and `img2pdf`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

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


def ocr_stage(work: Path, pages: int, seed: str = "004") -> dict:
    """A seed printed to PDF, its first `pages` pages (0: all) scanned, read with an empty OCR cache and again."""
    from finsam_pipeline.read import ocr
    from finsam_pipeline.read.extract import extract
    from finsam_pipeline.read.files import SourceFile

    if ocr.unavailable_reason() or not (shutil.which("pdftoppm") and shutil.which("img2pdf")):
        missing = ocr.unavailable_reason() or "pdftoppm or img2pdf is not installed"
        return {"ocr_pages": 0, "ocr_pages_per_s": None, "ocr_skipped": missing}
    seed_text = next(SEEDS.glob(f"{seed}_*")).read_text(encoding="utf-8")
    printed = text_to_pdf(seed_text, work / f"{seed}.pdf")
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(printed)
    total = len(document)
    document.close()
    scan = scanned_pdf(printed, work / f"{seed}_scan.pdf", list(range(1, min(pages, total) + 1)) if pages else None)
    source = SourceFile(scan, scan.read_bytes())
    before = os.environ.get(ocr.CACHE_ENV)
    os.environ[ocr.CACHE_ENV] = str(work / "ocr-cache")
    try:
        clock = time.perf_counter()
        extracted = extract(source)
        ocr_s = time.perf_counter() - clock
        clock = time.perf_counter()
        extract(source)
        cached_s = time.perf_counter() - clock
    finally:
        if before is None:
            os.environ.pop(ocr.CACHE_ENV, None)
        else:
            os.environ[ocr.CACHE_ENV] = before
    done = extracted.pages_ocr or 0
    return {
        "ocr_pages": done,
        "ocr_s": round(ocr_s, 2),
        "ocr_pages_per_s": round(done / ocr_s, 2) if ocr_s else None,
        "ocr_mean_confidence": extracted.ocr_mean_confidence,
        "ocr_cached_rerun_s": round(cached_s, 2),
    }


def _peak_rss_mb() -> float:
    """The largest resident set of this process or any child it waited for (a parse worker), so far."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


class TreeMemory:
    """Samples the summed resident memory of this process and all its descendants (workers included)."""

    def __init__(self, every_s: float = 0.2) -> None:
        import threading

        self.peak_mb, self.every_s = 0.0, every_s
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
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(os.getpid()))


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


def run(reports: int, workers: int, keep: Path | None, ocr_pages: int = 1) -> dict:
    from finsam_pipeline.cli import main
    from finsam_pipeline.load.steps import StageSeconds, ingest, load_step, parse_step, read_step, validate_step
    from finsam_pipeline.quality import _gx_suite
    from finsam_pipeline.read.extract import extract
    from finsam_pipeline.read.files import SourceFile

    _gx_suite()  # one-time set-up (importing Great Expectations), paid before any timing
    home_before = os.environ.get("DAGSTER_HOME")
    work = Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    corpus = work / "raw"
    corpus.mkdir()
    started = time.perf_counter()
    texts, pdfs = build_corpus(corpus, reports)
    build_s = time.perf_counter() - started

    # End to end first, through `finsam ingest` and Dagster (a fresh instance of the project's configuration),
    # so that its peak memory is measured before any stage below holds a whole batch in memory.
    os.environ["DAGSTER_HOME"] = str(work / "dagster_home")
    end_to_end = work / "finsam.duckdb"
    clock = time.perf_counter()
    with TreeMemory() as tree, contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", str(corpus), "--warehouse", str(end_to_end), "--workers", str(workers)]) == 0
    total_s = time.perf_counter() - clock
    peak_rss_mb, peak_tree_mb = _peak_rss_mb(), tree.peak_mb
    clock = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", str(corpus), "--warehouse", str(end_to_end), "--workers", str(workers)]) == 0
    noop_rerun_s = time.perf_counter() - clock

    # The same streamed load without Dagster: what Dagster's events and the run cost on top of it.
    streamed = StageSeconds()
    clock = time.perf_counter()
    ingest(read_step([corpus], work / "streamed.duckdb"), work / "streamed.duckdb", workers=workers, seconds=streamed)
    pipeline_s = time.perf_counter() - clock

    # Stage by stage over the whole batch in memory: parsing alone is the yardstick (total_s / parse_s).
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
    del parsed, validated
    con = duckdb.connect(str(end_to_end), read_only=True)
    statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
    con.close()

    pdf_files = sorted(corpus.glob("*.pdf"))
    clock = time.perf_counter()
    pages = sum(extract(SourceFile(path, path.read_bytes())).page_count or 0 for path in pdf_files)
    pdf_s = time.perf_counter() - clock
    ocr = ocr_stage(work, ocr_pages) if ocr_pages >= 0 else {}

    result = {
        "reports": reports,
        "text_reports": texts,
        "pdf_reports": pdfs,
        "workers": workers,
        "corpus_build_s": round(build_s, 2),
        **{key: round(value, 2) for key, value in timings.items()},
        "pipeline_s": round(pipeline_s, 2),
        "pipeline_waiting_for_parse_s": round(streamed.waiting_for_parse, 2),
        "pipeline_validate_s": round(streamed.validate, 2),
        "pipeline_write_s": round(streamed.write, 2),
        "pipeline_publish_s": round(streamed.finish_and_publish, 2),
        "orchestration_s": round(max(0.0, total_s - pipeline_s), 2),
        "total_s": round(total_s, 2),
        "total_over_parse": round(total_s / timings["parse_s"], 2) if timings["parse_s"] else None,
        "noop_rerun_s": round(noop_rerun_s, 2),
        "reports_per_s": round(reports / total_s, 1),
        "pdf_pages": pages,
        "pdf_pages_per_s": round(pages / pdf_s, 1) if pdf_s else None,
        **ocr,
        "peak_rss_mb": round(peak_rss_mb, 1),
        "peak_rss_all_processes_mb": round(peak_tree_mb, 1),
        "loaded": statuses.get("loaded", 0),
        "quarantined": statuses.get("quarantined", 0),
        "superseded": statuses.get("superseded", 0),
    }
    if home_before is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = home_before
    if keep is not None:
        shutil.copytree(work, keep, dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    from finsam_pipeline.load.workers import default_workers

    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", type=Path, help="copy the corpus and warehouses here")
    parser.add_argument(
        "--ocr-pages", type=int, default=4, help="pages of a scanned seed to OCR (0: the whole report, -1: none)"
    )
    args = parser.parse_args(argv)
    result = run(args.reports, args.workers, args.keep, args.ocr_pages)
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
