"""The benchmark keeps working and its corpus is what it claims (its figures are measured by running it,
never asserted here: nothing in this file depends on the machine's speed)."""

import re

from benchmarks.national import SEED_NAMES, build_corpus, corpus_plan, org_number, run
from finsam_pipeline.parse.vocabulary import forbund_registry

KEYS = {
    "parse_cpu_s",
    "total_s",
    "total_over_floor",
    "loaded",
    "noop_rerun_s",
    "peak_rss_mb",
    "peak_rss_all_processes_mb",
    "pdf_pages_per_s",
    "ocr_pages_per_s",
    "parser_cpu_s",
    "gx_import_s",
    "dagster_record_s",
    "per_report_checks_s",
    "single_writer_docs_per_s",
}


def test_every_report_of_the_corpus_is_its_own_forbund_type_and_year():
    plan = corpus_plan(1000)
    assert len({name for name, *_ in plan}) == 1000
    assert sum(name.endswith(".pdf") for name, *_ in plan) == 100
    reports = {(forbund, prefix, shift) for _, prefix, forbund, shift, _ in plan}
    assert len(reports) == 1000  # a förbund is one seed's type, so (förbund, shift) is (förbund, type, year)
    names = {forbund: name for _, _, forbund, _, name in plan}
    assert len(set(names.values())) == len(names)  # one name per förbund, no name twice


def test_no_seed_name_or_registered_organisation_number_is_left(tmp_path):
    texts, pdfs = build_corpus(tmp_path, 5, pdf_every=6)
    assert (texts, pdfs) == (5, 0)
    registered = {f.org_number for f in forbund_registry() if f.org_number}
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        prefix, name = path.stem.split("_")[2], path.stem.split("_")[1]
        for pattern, _ in SEED_NAMES[prefix]:
            assert not re.search(pattern, text.replace(name, "")), (path.name, pattern)
        assert not any(number in text for number in registered)
        if prefix == "003":
            assert org_number(3) in text


def test_the_benchmark_loads_every_report_of_a_tiny_corpus():
    result = run(reports=10, workers=1, ocr_pages=-1)
    assert set(result) >= KEYS
    assert result["loaded"] == 10 and result["quarantined"] == 0 and result["superseded"] == 0
    assert result["distinct_reports_loaded"] == 10 and result["loaded_as_registered_forbund"] == 0
    assert result["forbund_loaded"] == 5  # five förbund, two years each
    assert {"statement_facts", "classify", "board_member_rows"} <= set(result["parser_cpu_s"])
