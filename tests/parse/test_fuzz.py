"""Any text, however broken, gives values or the project's own refusal: never another exception."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.parse.sections import find_sections
from finsam_pipeline.parse.tables import read_table
from finsam_pipeline.read.extract import TextLine

_PIECES = st.sampled_from([*"0123456789 -+|\t.,%()*Årsäöåkrtnot", "2023", "2022", "Not", "Summa", "tkr", "  "])
_LINES = st.lists(st.lists(_PIECES, max_size=30).map("".join), max_size=25)


def _as_lines(texts: list[str]) -> list[TextLine]:
    return [TextLine(line_no=i + 1, page=None, text=t) for i, t in enumerate(texts)]


@settings(max_examples=300, deadline=None)
@given(_LINES)
@example(["2023-"])  # a date cut on a line of its own under the header, going on nowhere, had joined the header
def test_the_table_reader_never_fails_on_any_text(texts):
    header, rows, unit = read_table(_as_lines(["Belopp i kr  Not  2023  2022", *texts]))
    assert header is not None and header.years == (2023, 2022) and unit == 1
    for row in rows:
        assert row.values is None or len(row.values) == 2
        assert row.problem is None or isinstance(row.problem, str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-99_999_999, max_value=99_999_999), min_size=2, max_size=2))
def test_a_tab_table_reads_back_exactly(values):
    line = "Verksamhetens intäkter\t2\t" + "\t".join(group_thousands(v) for v in values)
    _, rows, _ = read_table(_as_lines(["Belopp i kr.\tNot\t2023\t2022", line]), {2: "Verksamhetens intäkter"})
    assert rows[0].values == tuple(values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=40))
def test_the_section_finder_never_fails_on_any_text(texts):
    lines = _as_lines(texts)
    for section in find_sections(lines):
        assert 0 <= section.start < section.end <= len(lines)
