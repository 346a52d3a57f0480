"""Statements as other förbund print them: units, signs, number forms, column orders, wordings."""

from pathlib import Path

import pytest
from conftest import parse_path

_TITLE = ["Samordningsförbundet Testdalen", "Årsredovisning 2023", ""]


def _parse(tmp_path: Path, body: list[str], name: str = "report.txt"):
    path = tmp_path / name
    path.write_text("\n".join([*_TITLE, *body]), encoding="utf-8")
    return parse_path(path)


def _amounts(report) -> dict[tuple[str, int], int]:
    return {(r["line_code"], r["fiscal_year"]): r["amount_sek"] for r in report.facts.iter_rows(named=True)}


_BALANCE_KR = [
    "Balansräkning",
    "Belopp i kr\t2023-12-31\t2022-12-31",
    "Kassa och bank\t1 200 000\t1 100 000",
    "Summa tillgångar\t1 200 000\t1 100 000",
    "Eget kapital\t900 000\t800 000",
    "Kortfristiga skulder\t300 000\t300 000",
    "Summa eget kapital och skulder\t1 200 000\t1 100 000",
]


@pytest.mark.parametrize(
    ("heading", "header", "above", "below"),
    [
        ("Resultaträkning (tkr)", "\t2023\t2022", None, None),
        ("Resultaträkning", "Tkr\t2023\t2022", None, None),
        ("Resultaträkning", "(tkr)\t2023\t2022", None, None),
        ("Resultaträkning", "\t2023\t2022", "Belopp i tusental kronor", None),
        ("Resultaträkning", "\t2023\t2022", None, "Beloppen anges i tkr"),
    ],
)
def test_a_unit_stated_in_the_heading_a_header_or_a_line_above_or_below_scales_the_statement(
    tmp_path, heading, header, above, below
):
    body = [
        heading,
        *([above] if above else []),
        header,
        "Verksamhetens intäkter\t4 508\t4 509",
        "Verksamhetens kostnader\t4 360\t4 690",
        "Årets resultat\t148\t-181",
        *([below] if below else []),
        "",
        *_BALANCE_KR,
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("revenue_total", 2023)] == 4_508_000
    assert amounts[("operating_costs", 2022)] == -4_690_000
    assert amounts[("net_result", 2022)] == -181_000
    assert amounts[("cash_and_bank", 2023)] == 1_200_000  # the balance sheet says kr


def test_a_unit_stated_once_for_the_financial_part_holds_until_another_is_stated(tmp_path):
    body = [
        "Ekonomisk redovisning",
        "Alla belopp i tkr",
        "",
        "Resultaträkning",
        "\t2023\t2022",
        "Verksamhetens intäkter\t4 508\t4 509",
        "Verksamhetens kostnader\t-4 360\t-4 690",
        "Årets resultat\t148\t-181",
        "",
        "Balansräkning",
        "\t2023\t2022",
        "Kassa och bank\t1 200\t1 100",
        "Summa tillgångar\t1 200\t1 100",
        "",
        "Kassaflödet redovisas i hela kronor.",
        "Belopp i kr",
        "Kassaflödesanalys",
        "\t2023\t2022",
        "Årets resultat\t148 000\t-181 000",
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("revenue_total", 2022)] == 4_509_000
    assert amounts[("cash_and_bank", 2023)] == 1_200_000
    assert amounts[("cf_net_result", 2023)] == 148_000


@pytest.mark.parametrize(
    "cost",
    [
        "4 360 000",
        "-4 360 000",
        "\u22124 360 000",
        "\u2013 4 360 000",
        "(4 360 000)",
        "4\u00a0360\u00a0000",
        "4\u202f360\u202f000",
        "4360000",
    ],
)
def test_costs_are_negative_in_every_print_and_thousands_separator(tmp_path, cost):
    body = [
        "Resultaträkning",
        "\t2023\t2022",
        "Verksamhetens intäkter\t4 508 000\t4 509 000",
        f"Verksamhetens kostnader\t{cost}\t4 690 000",
        "Årets resultat\t148 000\t-181 000",
        "",
        *_BALANCE_KR,
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("operating_costs", 2023)] == -4_360_000
    assert amounts[("operating_costs", 2022)] == -4_690_000


@pytest.mark.parametrize(("printed_2023", "printed_2022"), [("148 000", "181 000"), ("-148 000", "-181 000")])
def test_a_net_cost_line_takes_its_sign_from_revenue_and_costs(tmp_path, printed_2023, printed_2022):
    body = [
        "Resultaträkning",
        "\t2023\t2022",
        "Verksamhetens intäkter\t4 508 000\t4 509 000",
        "Verksamhetens kostnader\t-4 360 000\t-4 690 000",
        f"Verksamhetens nettokostnad\t{printed_2023}\t{printed_2022}",
        "",
        *_BALANCE_KR,
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("operating_result", 2023)] == 148_000
    assert amounts[("operating_result", 2022)] == -181_000


@pytest.mark.parametrize(
    "header",
    [
        "\t2022\t2023",
        "\tUtfall 2022\tUtfall 2023",
        "\tBokslut 2022\tBokslut 2023",
        "\t2022-01-01–2022-12-31\t2023-01-01–2023-12-31",
        "\tNot\t2022-12-31\t2023-12-31",
    ],
)
def test_year_columns_in_any_order_and_header_form(tmp_path, header):
    note = "\t" if "Not" in header else ""
    body = [
        "Resultaträkning",
        header,
        f"Verksamhetens intäkter{note}\t4 509 000\t4 508 000",
        f"Verksamhetens kostnader{note}\t-4 690 000\t-4 360 000",
        "",
        *_BALANCE_KR,
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("revenue_total", 2023)] == 4_508_000
    assert amounts[("revenue_total", 2022)] == 4_509_000


@pytest.mark.parametrize(
    "header_lines",
    [
        ["\tBudget 2023\tUtfall 2023\tUtfall 2022"],
        ["\tBudget\tUtfall\tUtfall", "\t2023\t2023\t2022"],
    ],
)
def test_a_budget_column_inside_a_statement_is_never_an_outcome(tmp_path, header_lines):
    body = [
        "Resultaträkning",
        *header_lines,
        "Verksamhetens intäkter\t4 600 000\t4 508 000\t4 509 000",
        "Verksamhetens kostnader\t-4 600 000\t-4 360 000\t-4 690 000",
        "",
        *_BALANCE_KR,
    ]
    report = _parse(tmp_path, body)
    amounts = _amounts(report)
    assert amounts[("revenue_total", 2023)] == 4_508_000
    assert amounts[("operating_costs", 2022)] == -4_690_000
    assert 4_600_000 not in {abs(v) for v in amounts.values()}


def test_an_unknown_label_is_other_with_a_warning_never_a_wrong_code(tmp_path):
    body = [
        "Resultaträkning",
        "\t2023\t2022",
        "Verksamhetens intäkter\t4 508 000\t4 509 000",
        "Jämförelsestörande poster\t12 000\t0",
        "Verksamhetens kostnader\t-4 360 000\t-4 690 000",
        "",
        *_BALANCE_KR,
    ]
    report = _parse(tmp_path, body)
    other = report.facts.filter(report.facts["label"] == "Jämförelsestörande poster")
    assert set(other["line_code"]) == {"other"}
    assert any(i.check_name == "label_unmapped" and "Jämförelsestörande" in i.message for i in report.issues)


def test_an_annual_report_without_statements_is_quarantined_with_the_reason(tmp_path):
    report = _parse(tmp_path, ["Förvaltningsberättelse", "Året har varit bra för samordningsförbundet."])
    assert report.document["status"] == "quarantined"
    assert "no income statement" in report.document["status_reason"]


@pytest.mark.parametrize(
    "heading",
    [
        "RESULTATRÄKNING",
        "Resultaträkning för perioden 2023-01-01 – 2023-12-31",
        "Resultaträkning 2023",
        "Resultaträkning (belopp i kr)",
        "3. Resultaträkning",
    ],
)
def test_a_statement_heading_with_its_period_unit_or_numbering_is_found(tmp_path, heading):
    body = [heading, "\t2023\t2022", "Verksamhetens intäkter\t4 508 000\t4 509 000", "", *_BALANCE_KR]
    assert _amounts(_parse(tmp_path, body))[("revenue_total", 2023)] == 4_508_000


def test_a_heading_that_carries_the_table_header_on_its_line(tmp_path):
    body = [
        "Resultaträkning                 Not        2023         2022",
        "Verksamhetens intäkter           1     4 508 000    4 509 000",
        "Verksamhetens kostnader          2    -4 360 000   -4 690 000",
        "",
        *_BALANCE_KR,
    ]
    amounts = _amounts(_parse(tmp_path, body))
    assert amounts[("revenue_total", 2022)] == 4_509_000
    assert amounts[("operating_costs", 2023)] == -4_360_000


def test_a_masked_ocr_amount_is_flagged_and_the_rows_other_year_kept(tmp_path):
    body = [
        "Resultaträkning",
        "                                 2023          2022",
        "Verksamhetens intäkter      4 508 000     ? ??? ???",
        "Verksamhetens kostnader    -4 360 000    -4 690 000",
        "",
        *_BALANCE_KR,
    ]
    report = _parse(tmp_path, body)
    amounts = _amounts(report)
    assert amounts[("revenue_total", 2023)] == 4_508_000
    assert ("revenue_total", 2022) not in amounts
    assert any(i.check_name == "value_left_out" and "2022 amount could not be read" in i.message for i in report.issues)
