"""Amounts OCR was unsure of (`?`s in the text, `TextLine.as_read` beside it) load only where the report's own
arithmetic proves them from numbers read for sure (`parse.unsure`)."""

from __future__ import annotations

import re

from finsam_pipeline.parse import parse_report
from finsam_pipeline.read.extract import ExtractedText, PageReading, TextLine

# (text as the parsers see it, what OCR read where it shows `?`s)
_PAGE = [
    ("Samordningsförbundet Göteborg", None),
    ("Årsredovisning 2023", None),
    ("", None),
    ("Resultaträkning", None),
    ("                                         2023            2022", None),
    ("Medlemsavgifter                     4 000 000       3 800 000", None),
    ("Övriga intäkter                       200 000               0", None),
    ("Projektmedel                                0       ??? ???", "150 000"),
    ("Summa intäkter                      4 200 000       3 950 000", None),
    ("Verksamhetens kostnader            -3 900 000      ??????????", "-3 700 000"),
    ("Verksamhetens resultat                300 000         250 000", None),
    ("Finansiella intäkter                    1 000             ???", "900"),
    ("Resultat efter finansiella poster     301 000         250 500", None),
    ("Årets resultat                        301 000         250 500", None),
    ("", None),
    ("Balansräkning", None),
    ("                                   2023-12-31      2022-12-31", None),
    ("Kundfordringar                        120 000          90 000", None),
    ("Kassa och bank                      2 880 000       2 310 000", None),
    ("Summa tillgångar                    ? ??? ???       2 400 000", "9 999 999"),
    ("Eget kapital                        2 800 000       2 100 000", None),
    ("Kortfristiga skulder                  200 000         300 000", None),
    ("Summa eget kapital och skulder      ? ??? ???       2 400 000", "9 999 999"),
]  # fmt: skip


def _as_read(text: str, read: str | None) -> str | None:
    """The line with its `?`s replaced by what OCR read there (as long as they are)."""
    return None if read is None else re.sub(r"\?[? ]*\?|\?", read, text, count=1)


def _scanned(page: list[tuple[str, str | None]]) -> ExtractedText:
    lines = tuple(TextLine(n, 1, text, _as_read(text, read)) for n, (text, read) in enumerate(page, start=1))
    return ExtractedText("d", "scan.pdf", "0" * 64, lines, 1, "pdf", (PageReading(1, "ocr", 200, 88.0),))


def _amounts(report) -> dict[tuple[str, int], int]:
    return {(row["label"], row["fiscal_year"]): row["amount_sek"] for row in report.facts.iter_rows(named=True)}


def test_an_unsure_amount_the_arithmetic_proves_from_sure_numbers_is_loaded():
    """`150 000` makes the revenue lines add up to their printed sum, and `-3 700 000` the revenue and costs to the
    printed result: both proven from numbers read for sure, so both load, confirmed, and their lines' warnings
    are gone. `900` for the financial income makes no identity hold (the result after financial items says 500)
    and stays out, still named."""
    report = parse_report(_scanned(_PAGE))
    amounts = _amounts(report)
    assert amounts[("Projektmedel", 2022)] == 150_000
    assert amounts[("Verksamhetens kostnader", 2022)] == -3_700_000
    assert ("Finansiella intäkter", 2022) not in amounts and amounts[("Finansiella intäkter", 2023)] == 1_000
    confirmed = {
        (row["label"], row["fiscal_year"]): row["confirmed_by"] for row in report.facts.iter_rows(named=True)
    }
    assert confirmed[("Projektmedel", 2022)] and confirmed[("Verksamhetens kostnader", 2022)]
    left_out = {issue.source_line for issue in report.issues if issue.check_name == "value_left_out"}
    assert 12 in left_out and not {8, 10} & left_out


def test_a_misread_that_makes_up_for_a_line_left_out_proves_nothing():
    """The project grants' line is unread: `150 000` read for the other revenue (truly 0) makes the revenue lines
    add up only if that line were nothing, so the sum proves neither; both stay out."""
    page = list(_PAGE)
    page[6] = ("Övriga intäkter                       200 000         ??? ???", "150 000")  # truth 0
    page[7] = ("Projektmedel                                0       ??? ???", None)  # truth 150 000, unread
    amounts = _amounts(parse_report(_scanned(page)))
    assert ("Övriga intäkter", 2022) not in amounts and ("Projektmedel", 2022) not in amounts


def test_two_unsure_amounts_that_only_agree_with_each_other_stay_out():
    """Both balance totals read `9 999 999` (one misreading, printed twice): they agree with each other, but no
    number read for sure gives them, so neither loads. The sure lines say 3 000 000."""
    amounts = _amounts(parse_report(_scanned(_PAGE)))
    assert ("Summa tillgångar", 2023) not in amounts and ("Summa eget kapital och skulder", 2023) not in amounts
    assert amounts[("Summa tillgångar", 2022)] == 2_400_000


def test_without_the_reading_the_unsure_amounts_stay_out():
    report = parse_report(_scanned([(text, None) for text, _ in _PAGE]))
    amounts = _amounts(report)
    assert ("Projektmedel", 2022) not in amounts and ("Verksamhetens kostnader", 2022) not in amounts


_NOTE = [
    ("", None),
    ("Noter", None),
    ("Not 1 Medlemsavgifter", None),
    ("                                         2023", None),
    ("Försäkringskassan                   2 000 000", None),
    ("Region Västra Götaland              1 000 000", None),
    ("Göteborgs Stad                      ? ??? ???", "1 000 000"),
    ("Summa medlemsavgifter               4 000 000", None),
]  # fmt: skip


def _contributions(report) -> dict[str, int]:
    rows = report.tables["member_contributions"].iter_rows(named=True)
    return {row["contributor"]: row["amount_sek"] for row in rows if row["fiscal_year"] == 2023}


def test_a_payer_read_unsure_loads_where_the_notes_sure_total_proves_it():
    """One payer of the revenue note read unsure: the note's total, read for sure, is what the payers add up to with
    its reading, so the year's payers load, and the payer's warning goes."""
    report = parse_report(_scanned(_PAGE + _NOTE))
    assert _contributions(report) == {
        "Försäkringskassan": 2_000_000,
        "Region Västra Götaland": 1_000_000,
        "Göteborgs Stad": 1_000_000,
    }
    assert not any(i.check_name == "value_left_out" and i.source_line == len(_PAGE) + 7 for i in report.issues)


def test_a_payer_read_unsure_proves_nothing_where_the_total_disagrees():
    note = [*_NOTE[:6], ("Göteborgs Stad                      ? ??? ???", "1 900 000"), _NOTE[7]]
    assert "Göteborgs Stad" not in _contributions(parse_report(_scanned(_PAGE + note)))


def test_a_reading_proves_nothing_by_turning_a_sure_lines_sign():
    """`300 000` read for the operating result (truly 100 000) would hold if the depreciation's minus were turned:
    a proof may change nothing read for sure, so the reading stays out and the depreciation keeps its sign."""
    page = [
        *_PAGE[:4],
        ("                                         2023            2022", None),
        ("Medlemsavgifter                     1 000 000         900 000", None),
        ("Verksamhetens kostnader              -800 000        -700 000", None),
        ("Avskrivningar                        -100 000        -100 000", None),
        ("Verksamhetens resultat                ??? ???         100 000", "300 000"),
        ("Årets resultat                        100 000         100 000", None),
        *_PAGE[14:],
    ]
    amounts = _amounts(parse_report(_scanned(page)))
    assert ("Verksamhetens resultat", 2023) not in amounts
    assert amounts[("Avskrivningar", 2023)] == -100_000


def test_a_line_keeps_its_warning_while_a_cell_of_it_stays_unread():
    """Both costs read unsure: 2023's reading is proven, 2022's (`-3 800 000`) is not. The line's warning stays,
    for 2022's costs are still left out."""
    page = list(_PAGE)
    page[9] = ("Verksamhetens kostnader            ??????????      ??????????", "-3 900 000      -3 800 000")
    report = parse_report(_scanned(page))
    amounts = _amounts(report)
    assert amounts[("Verksamhetens kostnader", 2023)] == -3_900_000
    assert ("Verksamhetens kostnader", 2022) not in amounts
    assert any(i.check_name == "value_left_out" and i.source_line == 10 for i in report.issues)


def test_digits_ocr_grouped_as_no_amount_is_grouped_load_where_the_sum_proves_them_read_together():
    """`1000 000` for Göteborgs Stad (a space lost, one kept; an outside scan's `2942 000`): which space is wrong
    is unknown, so the amount is left out; read together (1 000 000) the note's sure total proves it, and the
    year's payers load."""
    note = [*_NOTE[:6], ("Göteborgs Stad                       1000 000", None), _NOTE[7]]
    report = parse_report(_scanned(_PAGE + note))
    assert _contributions(report)["Göteborgs Stad"] == 1_000_000
    mixed = [*_NOTE[:6], ("Göteborgs Stad                      ?????????", "1,000.000"), _NOTE[7]]  # a mark misread
    assert _contributions(parse_report(_scanned(_PAGE + mixed)))["Göteborgs Stad"] == 1_000_000
    statement = list(_PAGE)
    statement[6] = ("Övriga intäkter                       2000 00               0", None)  # no reading
    statement[9] = ("Verksamhetens kostnader            -3900 000      ??????????", "-3 700 000")
    amounts = _amounts(parse_report(_scanned(statement)))
    assert amounts[("Verksamhetens kostnader", 2023)] == -3_900_000  # proven by revenue minus costs
    assert ("Övriga intäkter", 2023) not in amounts  # `2000 00`: no reading, left out


def test_digits_grouped_as_no_amount_is_grouped_prove_nothing_where_the_sum_disagrees():
    note = [*_NOTE[:6], ("Göteborgs Stad                       1900 000", None), _NOTE[7]]
    assert "Göteborgs Stad" not in _contributions(parse_report(_scanned(_PAGE + note)))
    text_file = _scanned([*_PAGE, *_NOTE[:6], ("Göteborgs Stad                       1000 000", None), _NOTE[7]])
    text_file = ExtractedText(**{**text_file.__dict__, "pages": (PageReading(1, "text", 0, None),)})
    assert "Göteborgs Stad" not in _contributions(parse_report(text_file))  # a text layer's digits are as printed
