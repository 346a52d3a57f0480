"""The seeds' statements, number by number, in every dress they may arrive in."""

import csv
from pathlib import Path

import polars as pl
import pytest
from conftest import RAW, parse_path, report_file, seed_path, text_lines

from benchmarks.pdf_print import text_to_pdf
from finsam_pipeline.parse.tables import read_table
from finsam_pipeline.read.textnorm import fold

EXPECTED = Path(__file__).resolve().parents[1] / "expected" / "financial_facts.csv"
KEY = ["statement", "line_code", "fiscal_year", "amount_sek"]
ANNUAL_REPORTS = ["000", "001", "003", "004"]


def expected_facts(prefix: str) -> pl.DataFrame:
    with EXPECTED.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["source_file"].startswith(prefix)]
    return pl.DataFrame(rows).select(
        pl.col("statement"),
        pl.col("line_code"),
        pl.col("fiscal_year").cast(pl.Int32),
        pl.col("amount_sek").cast(pl.Int64),
        pl.col("source_line").cast(pl.Int32),
    )


@pytest.mark.parametrize("prefix", ANNUAL_REPORTS)
def test_every_statement_line_matches_the_reviewed_expectation(seed_reports, prefix):
    got = seed_reports[prefix].facts.select([*KEY, "source_line"]).sort(KEY)
    assert got.equals(expected_facts(prefix).sort(KEY))


@pytest.mark.parametrize(
    ("prefix", "statement", "code", "year", "amount"),
    [
        ("003", "income", "net_result", 2023, 159492),  # printed '+159 492'
        ("001", "income", "operating_result", 2024, -17329),  # printed '- 17 329'
        ("001", "balance", "receivables", 2024, 133288),
        ("004", "income", "operating_result", 2022, -24224),  # inside <b>…</b>
        ("004", "balance", "equity_total", 2023, 2910748),  # 'Eget kapital' carrying the total
        ("000", "income", "revenue_total", 2023, 2684136),  # OCR: '2 2684136 2449 000' with note 2
        ("000", "income", "revenue_total", 2022, 2449000),
        ("000", "balance", "short_term_liabilities", 2023, 909576),  # '5 909 576 606 534'
        ("000", "cash_flow", "cf_before_working_capital", 2023, -330463),  # label wrapped over two lines
        ("003", "income", "operating_costs", 2022, -4689710),
        ("001", "cash_flow", "cash_end", 2023, 4060306),  # 'Likvida medel vid helår'
    ],
)
def test_hard_lines_read_exactly(seed_reports, prefix, statement, code, year, amount):
    facts = seed_reports[prefix].facts.filter(
        (pl.col("statement") == statement) & (pl.col("line_code") == code) & (pl.col("fiscal_year") == year)
    )
    assert facts["amount_sek"].to_list() == [amount]


def test_costs_are_negative_and_traceable_to_their_line(seed_reports):
    report = seed_reports["003"]
    costs = report.facts.filter(pl.col("line_code") == "operating_costs")
    assert (costs["amount_sek"] < 0).all()
    line = RAW.joinpath(report.document["source_file"]).read_text().splitlines()[costs["source_line"][0] - 1]
    assert "Verksamhetens kostnader" in line and "4 360 316" in line


def test_an_ocr_amount_whose_column_is_unknown_is_left_out_and_flagged(seed_reports):
    report = seed_reports["000"]
    assert report.facts.filter(pl.col("line_code") == "financial_costs").is_empty()
    flagged = [i for i in report.issues if i.check_name == "value_left_out" and "Finansiella kostnader" in i.message]
    assert len(flagged) == 1 and flagged[0].source_line is not None


def test_accuracy_on_annual_reports_is_at_least_99_percent_and_nothing_is_wrong(seed_reports):
    """Exact = equal to the reviewed expectation; wrong = an emitted amount the report does not print there."""
    exact = wrong = expected_total = 0
    for prefix in ANNUAL_REPORTS:
        expected = {tuple(r) for r in expected_facts(prefix).select(KEY).iter_rows()}
        emitted = {tuple(r) for r in seed_reports[prefix].facts.select(KEY).iter_rows()}
        exact += len(expected & emitted)
        wrong += len(emitted - expected)
        expected_total += len(expected)
    assert wrong == 0
    assert exact / expected_total >= 0.99


def _contract_signs() -> dict[str, str]:
    """line_code -> `negative` where the contract says costs, from the contract's own wording (docs/)."""
    source = Path(__file__).resolve().parents[2] / "docs" / "line_codes.csv"
    with source.open(encoding="utf-8") as handle:
        return {r["line_code"]: "negative" for r in csv.DictReader(handle) if "(negative)" in r["meaning"]}


def test_every_expected_fact_is_printed_on_its_source_line_with_the_contract_sign():
    """The expectation file is checked against the reports themselves, not against the program.

    Each row must name a line of the seed that carries the row's label and prints the amount
    (in kronor, or in tkr where the table is in tkr; OCR may have merged the digit groups), and
    its sign must be the contract's: costs negative.
    """
    negative = _contract_signs()
    with EXPECTED.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 200
    for row in rows:
        text = RAW.joinpath(row["source_file"]).read_text(encoding="utf-8").splitlines()[int(row["source_line"]) - 1]
        printed_label = " ".join(w for w in fold(text).split() if not w.isdigit())
        label = fold(row["label"])
        assert label in printed_label or label.startswith(printed_label), row  # a wrapped label starts here
        amount = int(row["amount_sek"])
        digits = "".join(ch for ch in text if ch.isdigit())
        printed = {str(abs(amount))} | ({str(abs(amount) // 1000)} if amount % 1000 == 0 else set())
        assert any(p in digits for p in printed), row
        if row["line_code"] in negative:
            assert amount <= 0, row


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_a_report_printed_to_pdf_gives_the_same_facts(tmp_path, seed_reports, prefix):
    pdf = text_to_pdf(seed_path(prefix).read_text(encoding="utf-8"), tmp_path / f"{prefix}.pdf")
    report = parse_path(pdf)
    assert report.facts.select(KEY).sort(KEY).equals(seed_reports[prefix].facts.select(KEY).sort(KEY))
    assert report.facts["source_page"].null_count() == 0 and report.facts["source_page"].min() >= 1
    assert report.document["forbund_id"] == seed_reports[prefix].document["forbund_id"]


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_a_report_that_lost_its_swedish_letters_gives_the_same_facts(tmp_path, seed_reports, prefix):
    text = seed_path(prefix).read_text(encoding="utf-8")
    stripped = text.translate(str.maketrans("åäöÅÄÖé", "aaoAAOe"))
    target = tmp_path / f"{prefix}_ascii.txt"
    target.write_text(stripped, encoding="utf-8")
    report = parse_path(target)
    assert report.facts.select(KEY).sort(KEY).equals(seed_reports[prefix].facts.select(KEY).sort(KEY))
    assert report.document["forbund_name"] == seed_reports[prefix].document["forbund_name"]


def test_tkr_tables_are_scaled_and_costs_made_negative_for_an_unregistered_forbund(tmp_path):
    report_text = "\n".join(
        [
            "Årsredovisning 2023",
            "Beslutad av styrelsen 2024-03-01",
            "Norrbyns Samordningsförbund finansierar insatser för samordnad rehabilitering.",
            "Resultaträkning",
            "Belopp tkr   Not   2023   2022",
            "Verksamhetens intäkter   1   4 508   4 509",
            "Verksamhetens kostnader      4 360   4 690",
            "Verksamhetens resultat        148    -181",
            "Not 1 Verksamhetens intäkter",
            "Belopp tkr   2023   2022",
            "Driftbidrag från staten   4 508   4 509",
            "Summa   4 508   4 509",
        ]
    )
    path = tmp_path / "norrbyn.md"
    path.write_text(report_text, encoding="utf-8")
    report = parse_path(path)
    amounts = {(r["line_code"], r["fiscal_year"]): r["amount_sek"] for r in report.facts.iter_rows(named=True)}
    assert amounts[("revenue_total", 2023)] == 4_508_000
    assert amounts[("operating_costs", 2022)] == -4_690_000
    assert amounts[("operating_result", 2022)] == -181_000
    assert (report.document["forbund_id"], report.document["forbund_name"]) == (
        "norrbyn",
        "Norrbyns Samordningsförbund",
    )
    assert report.document["decided_on"].isoformat() == "2024-03-01"
    assert [i.check_name for i in report.issues if i.check_name == "forbund_in_registry"] == ["forbund_in_registry"]


def test_a_typed_row_wrapped_at_the_margin_takes_its_last_amount_from_the_next_line():
    _, rows, _ = read_table(
        text_lines(
            "Belopp i kr.   Not   2023-12-31  2022-12-31",
            "Summa eget kapital,  avsättningar och skulder         6 036 648",
            "      2 775 748",
            "Medel från verksamheten före förändring av rörelsekapital   311 776",
            "-24 252",
            "Ansvarsförbindelser            0     0",
        )
    )
    assert [(row.label, row.values) for row in rows] == [
        ("Summa eget kapital, avsättningar och skulder", (6036648, 2775748)),
        ("Medel från verksamheten före förändring av rörelsekapital", (311776, -24252)),
        ("Ansvarsförbindelser", (0, 0)),
    ]


def test_a_small_number_before_the_amounts_under_a_header_without_not_is_a_note_only_if_the_note_exists():
    """`4   338 155   640 693`: note 4 and two amounts, or 4 338 155 and 640 693; only a note 4 tells."""
    lines = text_lines("Belopp i kr.   N   2023-12-31  2022-12-31", "Kortfristiga fordringar   4   338 155   640 693")
    _, (unknown,), _ = read_table(lines)
    assert unknown.values is None and "note number" in unknown.problem
    _, (known,), _ = read_table(lines, {4: "Kortfristiga fordringar"})
    assert (known.note, known.values) == (4, (338155, 640693))


def test_a_header_date_whose_day_ocr_could_not_read_still_names_its_year():
    for date in ("2024-12-??", "2024-12-"):
        header, rows, _ = read_table(
            text_lines(f"Belopp i kr.   {date}   2023-12-31", "Årets kassaflöde   646 601   1 570 165")
        )
        assert header is not None and header.years == (2024, 2023), date
        assert rows[0].values == (646601, 1570165)


def test_amounts_set_too_close_for_a_gap_are_parted_by_their_thousands_groups_alone():
    _, rows, _ = read_table(
        text_lines(
            "Belopp i kr.   2023-12-31  2022-12-31",
            "Likvida medel vid årets början                         1 232 085 2 003 147",
            "Likvida medel vid årets slut                         1 232 085 2 003 147 5",  # three amounts: out
        )
    )
    assert rows[0].values == (1232085, 2003147)
    assert rows[1].values is None and rows[1].problem


def test_a_row_whose_next_line_may_hold_the_rest_of_an_amount_is_left_out_not_joined():
    """`… 3 125 900` / `947 835`: wrapped at a tab, or inside `3 125 900 947` at its thousands space?"""
    _, rows, _ = read_table(
        text_lines(
            "Belopp i kr.   2023-12-31  2022-12-31",
            "Kortfristiga skulder, leverantörer och övriga                3 125 900",
            "947 835",
        )
    )
    assert [(row.values, bool(row.problem)) for row in rows] == [(None, True)]


def test_a_unit_line_under_a_table_ocr_damaged_is_that_tables_not_the_rest_of_the_report():
    """`Beloppen står i tkr` under a pipe table whose last row OCR left ragged belongs to that table; the
    notes further on, in kronor, do not become tkr (×1000)."""
    from finsam_pipeline.parse.tables import running_units

    units = running_units(
        text_lines(
            "| Årets resultat  |  160  |  -187  |",
            "| Antal anställda  |  1  |]  1  11  11  ??",
            "",
            "Beloppen står i tkr",
            "Not 2. Verksamhetens intäkter",
            "|  Driftbidrag från staten  |  2 248 000  |  2 253 000  |",
        )
    )
    assert units[-1] is None


def test_an_amount_ocr_broke_with_a_mark_leaves_its_row_out_instead_of_shifting_the_next_amount():
    """`1 7:77 335` and `311..776`: read as the label's last word, they would leave the next amount under the
    wrong year and the row unmapped; the row is left out and flagged."""
    _, rows, _ = read_table(
        text_lines(
            "Belopp i kr.   Not  2024-12-31  2023-12-31",
            "Summa skulder                       1 7:77 335  1 103 855",
            "Årets resultat          311..776   - 24 252",
            "Verksamhetens resultat            306-395                 - 24 224",
        )
    )
    assert [(row.label, row.values, bool(row.problem)) for row in rows] == [
        ("Summa skulder", None, True),
        ("Årets resultat", None, True),
        ("Verksamhetens resultat", None, True),
    ]
    _, rows, _ = read_table(  # a date or a span of years in a label is no broken amount
        text_lines(
            "Belopp i kr.   2024-12-31  2023-12-31",
            "Eget kapital 2024-01-01        3 082 974  2 263 403",
            "Avskrivning inventarier 2019-2023        12 000  10 000",
        )
    )
    assert [row.values for row in rows] == [(3082974, 2263403), (12000, 10000)]


def test_a_speck_before_an_amounts_first_digits_leaves_the_row_out_not_the_rest_of_the_amount():
    """OCR's `:2 804 514`: the `:2` read as the label's last word left 804 514 loaded as the opening equity. A
    cell of noise of its own (`'6,57`) costs its own column only, and a label's own figures stay words (`3-5 år`
    had been taken for an amount OCR broke, and the row lost)."""
    _, rows, _ = read_table(
        text_lines(
            "Belopp i kr                                   2020-12-31    2019-12-31",
            "Ingående eget kapital                        :2 804 514    3 188 153",
            "Summa omsättningstillgångar                   '6,57         4 005 820",
            "Avskrivningar inventarier 3-5 år                 12 000       10 000",
            "Kortfristiga skulder       2 1:03 855 l 103 855",  # a letter is no word: `1:03` is a broken amount
        )
    )
    assert [(row.label, row.values, bool(row.problem)) for row in rows] == [
        ("Ingående eget kapital", None, True),
        ("Summa omsättningstillgångar '6,57", (None, 4005820), False),
        ("Avskrivningar inventarier 3-5 år", (12000, 10000), False),
        ("Kortfristiga skulder", None, True),
    ]


def test_digits_no_grouping_reads_leave_their_column_unknown_and_the_rows_other_years_stand():
    """OCR's `2942 000` for `2 942 000` (a space lost, one kept): the row had been lost, and with it a note's
    whole year of payers; it leaves only its own column unknown, where every cell stands under its column."""
    _, rows, _ = read_table(
        text_lines(
            "  kr                                                    2024-12-31    2023-12-31",
            "   Driftbidrag från Region Jämtland Härjedalen             3 026 000     2942 000",
            "   Bidrag från Bergs kommun                                 160 000        156 000",
            "   Bidrag från Bräcke kommun                 142 000   2942 000",  # the cells not under their columns
        )
    )
    assert [(row.values, row.unreadable_columns, bool(row.problem)) for row in rows] == [
        ((3026000, None), (1,), False),
        ((160000, 156000), (), False),
        (None, (), True),
    ]


def _statement_in_kronor(*lines: str) -> list[str]:
    return [
        "Årsredovisning 2022",
        "Samordningsförbundet Jämtlands län",
        "Resultaträkning",
        "Belopp i kr                       2022          2021",
        *lines,
    ]


def _amounts_by_label(report) -> dict[tuple[str, int], int]:
    return {(r["label"], r["fiscal_year"]): r["amount_sek"] for r in report.facts.iter_rows(named=True)}


def test_kronor_with_three_decimals_are_a_thousands_group_behind_a_comma_never_kronor_and_ore(tmp_path):
    """OCR read `5.313` as `5,313` in a table in kronor: never 5 kronor, for öre have two decimals; öre stay."""
    path = report_file(
        tmp_path,
        _statement_in_kronor(
            "Verksamhetens intäkter            10 936 960    10 450 328",
            "Ränteintäkter                          5,313         0",
            "Övriga finansiella intäkter            1,250         0",
            "Räntekostnader                       -40,95         0",
        ),
    )
    report = parse_path(path)
    amounts = _amounts_by_label(report)
    assert ("Ränteintäkter", 2022) not in amounts and amounts[("Ränteintäkter", 2021)] == 0
    assert ("Övriga finansiella intäkter", 2022) not in amounts  # `1,250` is no 1,25 kr either
    assert amounts[("Räntekostnader", 2022)] == -41
    assert any("finer than öre" in i.message for i in report.issues if i.check_name == "value_left_out")


def test_an_amount_past_a_billion_kronor_is_left_out_and_several_leave_the_statement_out(tmp_path):
    """`1723` OCR read for `1,23` in Mkr is 1.7 billion kronor, which no förbund has: that amount is left out, the
    line's other year stays. Two lines past a billion mean the unit is not the statement's: none is loaded, for a
    wrong unit scales the small amounts too."""
    heading = ["Årsredovisning 2024", "Samordningsförbundet Uppsala län", "Balansräkning"]
    heading.append("Mkr   2024-12-31   2023-12-31")
    path = report_file(
        tmp_path,
        [
            *heading,
            "Kassa och bank                          8,76        7,55",
            "Summa tillgångar                        8,76        7,55",
            "Ingående eget kapital                   4,06        1723",
            "Årets resultat                         -0,33        2,83",
            "Summa eget kapital                      3,73        4,06",
        ],
    )
    report = parse_path(path)
    amounts = _amounts_by_label(report)
    assert ("Ingående eget kapital", 2023) not in amounts
    assert amounts[("Ingående eget kapital", 2024)] == 4_060_000 and amounts[("Kassa och bank", 2023)] == 7_550_000
    scaled = [*heading[:3], "Tkr   2024-12-31   2023-12-31"]  # printed in kronor, read in tkr
    path = report_file(
        tmp_path,
        [*scaled, "Kassa och bank   8 760 000   7 550 000", "Summa tillgångar   8 760 000   7 550 000"],
        name="scaled.txt",
    )
    report = parse_path(path)
    assert report.facts.filter(report.facts["statement"] == "balance").height == 0
    assert any("unit is not the statement's" in i.message for i in report.issues)


_SIDE_BY_SIDE_INCOME = [
    "Resultaträkning",
    "                                   2021         2020",
    "Verksamhetens intäkter        5 260 596    5 269 719",
    "Verksamhetens kostnader      -5 194 152   -5 061 452",
    "Verksamhetens resultat           66 444      208 267",
    "Årets resultat                   66 444      208 267",
]
_SIDE_BY_SIDE_BALANCE = [
    "Balansräkning",
    "                                    2021-12-31   2020-12-31",
    "Kundfordringar                        163 224      290 742",
    "Kassa och bank                      1 175 408    1 016 174",
    "Summa tillgångar                    1 338 632    1 306 916",
    "Eget kapital                        1 007 496      941 052",
    "Kortfristiga skulder                  331 136      365 864",
    "Summa eget kapital och skulder      1 338 632    1 306 916",
]


def _side_by_side(left: list[str], right: list[str], at: int) -> list[str]:
    rows = max(len(left), len(right))
    return [
        (left[i] if i < len(left) else "").ljust(at) + (right[i] if i < len(right) else "")
        for i in range(rows)
    ]


def test_statements_printed_side_by_side_are_read_as_if_one_stood_under_the_other(tmp_path):
    """A landscape page with the income statement left of the balance sheet under one line of both headings
    had been quarantined (`no income statement and no balance sheet found`). Each fact still points at the line
    it is printed on. Two headings in a table of contents are no such page."""
    cover = ["Årsredovisning 2021", "Samordningsförbundet Västra Mälardalen", ""]
    contents = ["Innehåll", "Resultaträkning   4                                     Balansräkning   5", ""]
    title = ["Resultat- och balansräkning 2021 (kronor)", ""]  # the page's title names them both: no summary
    printed = [*cover, *contents, *title, *_side_by_side(_SIDE_BY_SIDE_INCOME, _SIDE_BY_SIDE_BALANCE, 64)]
    apart = [*cover, *contents, *title, *_SIDE_BY_SIDE_INCOME, "", *_SIDE_BY_SIDE_BALANCE]
    beside = parse_path(report_file(tmp_path, printed, name="beside.txt"))
    one_under_other = parse_path(report_file(tmp_path, apart, name="apart.txt"))
    keys = ["statement", "line_code", "fiscal_year", "amount_sek"]
    assert beside.document["status"] == "loaded"
    assert beside.facts.height == one_under_other.facts.height == 2 * (4 + 6)
    assert beside.facts.select(keys).sort(keys).equals(one_under_other.facts.select(keys).sort(keys))
    for fact in beside.facts.iter_rows(named=True):
        assert fact["label"] in printed[fact["source_line"] - 1]
    assert beside.document["line_count"] == len(printed)
    # a statement printed across the page below them is no part of the two (a text file has no pages to end them)
    cash_flow = [
        "",
        "Kassaflödesanalys",
        "                                                      2021          2020",
        "Årets resultat                                      66 444       208 267",
        "Förändring av kortfristiga fordringar               -8 000        12 000",
        "Kassaflöde från den löpande verksamheten            58 444       220 267",
    ]
    below = parse_path(report_file(tmp_path, [*printed, *cash_flow], name="below.txt"))
    flows = below.facts.filter(below.facts["statement"] == "cash_flow")
    assert sorted(flows["amount_sek"].to_list()) == sorted([66444, 208267, -8000, 12000, 58444, 220267])


def test_statements_in_brief_side_by_side_stay_text_where_the_report_prints_them_in_full(tmp_path):
    """The administration report's `Resultaträkning i sammandrag` beside `Balansräkning i sammandrag`, in tkr:
    read as statements they had carried their tkr to the full statements printed later without a unit, whose
    amounts then passed a billion and the report was lost (found by a reviewer)."""
    years = "Tkr              2021      2020"
    brief_income = ["Resultaträkning i sammandrag", years, "Intäkter   5 261   5 270", "Kostnader   -5 194   -5 061"]
    brief_balance = ["Balansräkning i sammandrag", years, "Eget kapital   1 007   941", "Skulder   331   366"]
    cover = ["Årsredovisning 2021", "Samordningsförbundet Västra Mälardalen", "", "Förvaltningsberättelse", ""]
    brief = _side_by_side(brief_income, brief_balance, 50)
    full = [*_SIDE_BY_SIDE_INCOME, "", *_SIDE_BY_SIDE_BALANCE]
    report = parse_path(report_file(tmp_path, [*cover, *brief, "", *full]))
    alone = parse_path(report_file(tmp_path, [*cover, *full], name="alone.txt"))
    keys = ["statement", "line_code", "fiscal_year", "amount_sek"]
    assert report.document["status"] == "loaded"
    assert report.facts.select(keys).sort(keys).equals(alone.facts.select(keys).sort(keys))


def test_a_label_differing_from_a_known_one_by_a_word_of_its_own_is_not_taken_for_ocr_damage():
    """`före` is a word, not a misread `efter`: the operating result is not the result after financial items,
    while a misread letter (`Resu1tat`) still finds its label."""
    from finsam_pipeline.parse.statements import line_reading

    assert line_reading("income", "Resultat före finansnetto")[0] != "result_after_financial"
    assert line_reading("income", "Resu1tat efter finansnetto")[0] == "result_after_financial"


def test_a_left_statements_last_year_a_few_characters_left_of_the_right_heading_stays_its_own(tmp_path):
    """The balance sheet's heading starts a few characters right of where the income statement's last year column
    starts (`…  2020  Belopp i kr`): the cut had gone before `2020`, so the income statement lost a year and read
    the balance sheet's `Belopp i kr` as its own column. The cut goes before the cell nearest the heading."""
    rows = [
        ("Belopp i kr", "2021", "2020"),
        ("Verksamhetens intäkter", "5 260 596", "5 269 719"),
        ("Verksamhetens kostnader", "-5 194 152", "-5 061 452"),
        ("Verksamhetens resultat", "66 444", "208 267"),
        ("Årets resultat", "66 444", "208 267"),
    ]
    income = ["Resultaträkning", *(f"{label:<28}{this:>11}{last:>11}" for label, this, last in rows)]
    balance = ["Balansräkning", "Belopp i kr" + _SIDE_BY_SIDE_BALANCE[1][11:], *_SIDE_BY_SIDE_BALANCE[2:]]
    cover = ["Årsredovisning 2021", "Samordningsförbundet Västra Mälardalen", ""]
    printed = [*cover, *_side_by_side(income, balance, 52)]
    assert 52 - 6 <= printed[4].index("2020") < 52  # the left's last year stands within the cut's slack
    report = parse_path(report_file(tmp_path, printed, name="beside.txt"))
    facts = report.facts.iter_rows(named=True)
    read = {(f["statement"], f["line_code"], f["fiscal_year"]): f["amount_sek"] for f in facts}
    assert read[("income", "revenue_total", 2020)] == 5_269_719
    assert read[("balance", "total_assets", 2021)] == 1_338_632


def test_the_cut_goes_before_a_label_left_of_the_right_heading_not_the_note_after_it(tmp_path):
    """A reviewer's case: the balance sheet's heading stands indented past its labels, and `Bank  6  1 175 408` has
    its note nearer the heading's column than its label; the cut had gone before the note, `Bank` had joined the
    income statement, and the amounts had been loaded under the label-only line above (`Kortfristiga
    placeringar`). The cut goes before the first cell with words near the column."""
    income = [
        "Resultaträkning",
        "Belopp i kr                     2021        2020",
        "Verksamhetens intäkter      5 260 596   5 269 719",
        "Verksamhetens kostnader    -5 194 152  -5 061 452",
        "Verksamhetens resultat         66 444     208 267",
        "Årets resultat                 66 444     208 267",
    ]
    balance = [
        "    Balansräkning",
        "Belopp i kr  Not   2021-12-31   2020-12-31",
        "Fordringar    5       163 224      290 742",
        "Kortfristiga placeringar",
        "Bank  6             1 175 408    1 016 174",
        "Summa tillgångar    1 338 632    1 306 916",
    ]
    printed = ["Årsredovisning 2021", "Samordningsförbundet Västra Mälardalen", "", *_side_by_side(income, balance, 52)]
    report = parse_path(report_file(tmp_path, printed, name="beside.txt"))
    facts = report.facts.iter_rows(named=True)
    read = {(f["statement"], f["line_code"], f["fiscal_year"]): f["amount_sek"] for f in facts}
    assert read[("balance", "cash_and_bank", 2021)] == 1_175_408
    assert ("balance", "short_term_investments", 2021) not in read
