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
    ("Övriga intäkter                       200 000       ? ??? ???", "1 150 000"),
    ("Övriga bidrag                               0       ??? ???", "150 000"),
    ("Summa intäkter                      4 200 000       3 950 000", None),
    ("Verksamhetens kostnader            -3 900 000      ??????????", "-3 700 000"),
    ("Verksamhetens resultat                300 000         250 000", None),
    ("Finansiella intäkter                    1 000             500", None),
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
    are gone. `1 150 000` for the other line makes no sum hold and stays out, still named."""
    report = parse_report(_scanned(_PAGE))
    amounts = _amounts(report)
    assert amounts[("Övriga bidrag", 2022)] == 150_000
    assert amounts[("Verksamhetens kostnader", 2022)] == -3_700_000
    assert ("Övriga intäkter", 2022) not in amounts and amounts[("Övriga intäkter", 2023)] == 200_000
    confirmed = {
        (row["label"], row["fiscal_year"]): row["confirmed_by"] for row in report.facts.iter_rows(named=True)
    }
    assert confirmed[("Övriga bidrag", 2022)] and confirmed[("Verksamhetens kostnader", 2022)]
    left_out = {issue.source_line for issue in report.issues if issue.check_name == "value_left_out"}
    assert 7 in left_out and not {8, 10} & left_out


def test_two_unsure_amounts_that_only_agree_with_each_other_stay_out():
    """Both balance totals read `9 999 999` (one misreading, printed twice): they agree with each other, but no
    number read for sure gives them, so neither loads. The sure lines say 3 000 000."""
    amounts = _amounts(parse_report(_scanned(_PAGE)))
    assert ("Summa tillgångar", 2023) not in amounts and ("Summa eget kapital och skulder", 2023) not in amounts
    assert amounts[("Summa tillgångar", 2022)] == 2_400_000


def test_without_the_reading_the_unsure_amounts_stay_out():
    report = parse_report(_scanned([(text, None) for text, _ in _PAGE]))
    amounts = _amounts(report)
    assert ("Övriga bidrag", 2022) not in amounts and ("Verksamhetens kostnader", 2022) not in amounts
