"""The benchmark keeps working (its figures are measured by running it, never asserted here)."""

from benchmarks.national import build_corpus, run


def test_the_corpus_gives_every_report_its_own_forbund_and_year(tmp_path):
    texts, pdfs = build_corpus(tmp_path, 10)
    assert (texts, pdfs) == (9, 1)
    names = {path.stem.split("_")[1] for path in tmp_path.iterdir()}
    assert len(names) == 5  # five förbund, each with two years


def test_the_benchmark_runs_end_to_end_at_a_tiny_size():
    result = run(reports=10, workers=1, keep=None)
    assert result["loaded"] == 10 and result["quarantined"] == 0 and result["superseded"] == 0
    assert {"reports", "total_s", "parse_s", "noop_rerun_s", "peak_rss_mb", "pdf_pages_per_s"} <= set(result)
