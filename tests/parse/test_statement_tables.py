"""Statements found by what they contain, columns by role, number forms, and the arithmetic that confirms them.

Every report here is written by hand for the behaviour it pins down; the expectations are the
numbers printed in it (times its unit), never the program's output.
"""


import polars as pl
import pytest
from conftest import parse_path, report_file

from finsam_pipeline.parse.numbers import NumberParseError, parse_decimal_amount, to_kronor
from finsam_pipeline.parse.statements import statement_facts
from finsam_pipeline.parse.tables import read_table
from finsam_pipeline.read.extract import TextLine

COVER = ["Samordningsförbundet Centrala Östergötland", "", "Årsredovisning 2023", ""]

INCOME = [
    "\t2023\t2022",
    "Bidrag från medlemmarna\t12 000\t11 000",
    "Övriga intäkter\t500\t400",
    "Summa intäkter\t12 500\t11 400",
    "Personalkostnader\t-4 000\t-3 900",
    "Köpta tjänster\t-7 000\t-7 100",
    "Summa kostnader\t-11 000\t-11 000",
    "Verksamhetens resultat\t1 500\t400",
    "Finansiella intäkter\t20\t10",
    "Resultat efter finansiella poster\t1 520\t410",
    "Årets resultat\t1 520\t410",
]
BALANCE_FIRST_PAGE = [
    "\t2023-12-31\t2022-12-31",
    "Kortfristiga fordringar\t300\t250",
    "Kassa och bank\t9 000\t7 500",
    "Summa omsättningstillgångar\t9 300\t7 750",
    "Summa tillgångar\t9 300\t7 750",
]
BALANCE_OVERLEAF = [
    "\t2023-12-31\t2022-12-31",
    "Eget kapital vid årets början\t6 000\t5 590",
    "Årets resultat\t1 520\t410",
    "Summa eget kapital\t7 520\t6 000",
    "Kortfristiga skulder\t1 780\t1 750",
    "Summa eget kapital och skulder\t9 300\t7 750",
]
PAGE_BREAK = ["", "Sida 3", "", "Samordningsförbundet Centrala Östergötland – Årsredovisning 2023", ""]



def amounts(report, statement: str, year: int) -> dict[str, int]:
    facts = report.facts.filter((report.facts["statement"] == statement) & (report.facts["fiscal_year"] == year))
    return {row["label"]: row["amount_sek"] for row in facts.iter_rows(named=True)}


def test_statements_are_found_under_headings_with_a_gloss_numbering_or_capitals_and_over_a_page_break(tmp_path):
    lines = [
        *COVER,
        "Belopp i tkr",
        "",
        "2. RESULTATRÄKNING (Income statement)",
        "",
        *INCOME,
        *PAGE_BREAK,
        "## 3. Balansräkning per den 31 december 2023",
        "",
        *BALANCE_FIRST_PAGE,
        *PAGE_BREAK,
        "Balansräkning (forts.)",
        "",
        *BALANCE_OVERLEAF,
        *PAGE_BREAK,
    ]
    report = parse_path(report_file(tmp_path, lines))
    assert report.document["status"] == "loaded", report.document["status_reason"]
    income, balance = amounts(report, "income", 2023), amounts(report, "balance", 2023)
    assert income["Summa intäkter"] == 12_500_000
    assert income["Årets resultat"] == 1_520_000
    assert balance["Kassa och bank"] == 9_000_000
    assert balance["Summa eget kapital och skulder"] == 9_300_000  # the row after the break overleaf
    assert not any("Sida" in label or "Årsredovisning" in label for label in balance)


def test_a_statement_without_any_heading_is_found_by_its_lines(tmp_path):
    lines = [*COVER, "Belopp i tkr", "", "Så gick året i siffror:", "", *INCOME, "", *BALANCE_FIRST_PAGE]
    lines += BALANCE_OVERLEAF[1:]
    report = parse_path(report_file(tmp_path, lines))
    assert amounts(report, "income", 2022)["Summa kostnader"] == -11_000_000
    assert amounts(report, "balance", 2023)["Summa tillgångar"] == 9_300_000


def test_columns_headed_innevarande_and_foregaende_ar_take_the_reports_years(tmp_path):
    relative = [line.replace("\t2023\t2022", "\tInnevarande år\tFöregående år") for line in INCOME]
    balance = [
        line.replace("\t2023-12-31\t2022-12-31", "\tInnevarande år\tFöregående år")
        for line in BALANCE_FIRST_PAGE + BALANCE_OVERLEAF[1:]
    ]
    lines = [*COVER, "Resultaträkning (tkr)", "", *relative, "", "Balansräkning (tkr)", "", *balance]
    report = parse_path(report_file(tmp_path, lines))
    assert amounts(report, "income", 2023)["Årets resultat"] == 1_520_000
    assert amounts(report, "income", 2022)["Årets resultat"] == 410_000


def test_budget_and_deviation_columns_are_never_outcomes(tmp_path):
    with_budget = ["\tUtfall 2023\tBudget 2023\tAvvikelse\tUtfall 2022"]
    for line in INCOME[1:]:
        label, current, prior = line.split("\t")
        with_budget.append(f"{label}\t{current}\t0\t{current}\t{prior}")
    lines = [*COVER, "Resultaträkning, tkr", "", *with_budget, "", "Balansräkning, tkr", "", *BALANCE_FIRST_PAGE]
    lines += BALANCE_OVERLEAF[1:]
    report = parse_path(report_file(tmp_path, lines))
    income = report.facts.filter(report.facts["statement"] == "income")
    assert sorted(set(income["fiscal_year"])) == [2022, 2023]
    assert amounts(report, "income", 2023)["Summa intäkter"] == 12_500_000  # not the budget's 0


def test_a_balance_sheet_printed_without_a_unit_takes_the_unit_the_income_statement_states(tmp_path):
    lines = [*COVER, "Resultaträkning (tkr)", "", *INCOME, "", "Balansräkning", "", *BALANCE_FIRST_PAGE]
    lines += BALANCE_OVERLEAF[1:]
    report = parse_path(report_file(tmp_path, lines))
    assert amounts(report, "balance", 2023)["Summa tillgångar"] == 9_300_000


def test_notes_under_the_same_column_header_are_not_read_as_part_of_a_statement(tmp_path):
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *INCOME, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:], "", "Not 1 Medlemsbidrag", "", "\t2023\t2022"]
    lines += ["Försäkringskassan\t6 000\t5 500", "Region Östergötland\t3 000\t2 750", "Summa\t9 000\t8 250"]
    report = parse_path(report_file(tmp_path, lines))
    labels = set(report.facts["label"])
    assert "Försäkringskassan" not in labels and "Summa" not in labels


def test_every_fact_the_reports_arithmetic_reproduces_says_how(tmp_path):
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *INCOME, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:]]
    report = parse_path(report_file(tmp_path, lines))
    how = {
        (row["statement"], row["label"]): row["confirmed_by"]
        for row in report.facts.filter(report.facts["fiscal_year"] == 2023).iter_rows(named=True)
    }
    assert how[("income", "Summa kostnader")] == "sum"  # -4 000 + -7 000
    assert how[("income", "Personalkostnader")] == "sum"
    assert how[("income", "Verksamhetens resultat")] in ("sum", "identity")  # 12 500 - 11 000, the lines above
    assert how[("balance", "Årets resultat")] in ("sum", "other_statement")
    assert all(value is not None for value in how.values())


def test_a_line_the_arithmetic_contradicts_is_left_unconfirmed_and_flagged(tmp_path):
    broken = [line.replace("Köpta tjänster\t-7 000", "Köpta tjänster\t-7 400") for line in INCOME]
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *broken, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:]]
    report = parse_path(report_file(tmp_path, lines))
    row = next(
        r
        for r in report.facts.iter_rows(named=True)
        if r["label"] == "Köpta tjänster" and r["fiscal_year"] == 2023
    )
    assert row["amount_sek"] == -7_400_000  # printed, loaded as printed
    assert row["confirmed_by"] is None
    flagged = [i for i in report.issues if i.check_name == "unconfirmed_facts" and i.fiscal_year == 2023]
    assert any("Köpta tjänster" in issue.message for issue in flagged)


@pytest.mark.parametrize(
    ("printed", "unit", "kronor"),
    [
        ("32.258.675", 1, 32_258_675),  # dot thousands
        ("423.245,22", 1, 423_245),  # dot thousands, öre rounded
        ("12 345,50", 1, 12_346),  # half away from zero
        ("-12 345,50", 1, -12_346),
        ("1'250'000", 1, 1_250_000),  # apostrophe thousands
        ("171,0", 1000, 171_000),  # tkr with one decimal
        ("1,23", 1_000_000, 1_230_000),  # Mkr with two decimals
        ("4 120-", 1, -4_120),  # trailing minus
    ],
)
def test_national_number_forms_read_as_whole_kronor(printed, unit, kronor):
    assert to_kronor(parse_decimal_amount(printed), unit) == kronor


def test_a_fraction_of_a_krona_under_a_larger_unit_is_refused_not_rounded():
    with pytest.raises(NumberParseError):
        to_kronor(parse_decimal_amount("12,3456"), 1000)


def test_a_date_is_no_amount_with_dot_thousands():
    with pytest.raises(NumberParseError):
        parse_decimal_amount("31.12.2022")


def test_one_decimal_amounts_under_no_stated_unit_are_left_out_not_read_as_kronor(tmp_path):
    tkr_one_decimal = [
        "\t2023\t2022",
        "Bidrag från medlemmarna\t12 000,0\t11 000,0",
        "Summa kostnader\t-11 000,0\t-11 000,0",
        "Årets resultat\t1 000,0\t0,0",
    ]
    lines = [*COVER, "Resultaträkning", "", *tkr_one_decimal, "", "Balansräkning", "", *BALANCE_FIRST_PAGE]
    report = parse_path(report_file(tmp_path, lines))
    assert report.facts.filter(report.facts["statement"] == "income").is_empty()
    assert any("one decimal" in issue.message for issue in report.issues if issue.check_name == "value_left_out")


def test_a_dash_in_an_amount_cell_is_a_printed_zero(tmp_path):
    dashed = [line.replace("Övriga intäkter\t500\t400", "Övriga intäkter\t–\t400") for line in INCOME]
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *dashed, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:]]
    report = parse_path(report_file(tmp_path, lines))
    assert amounts(report, "income", 2023)["Övriga intäkter"] == 0
    assert amounts(report, "income", 2022)["Övriga intäkter"] == 400_000


def test_numbered_upper_case_and_wrapped_labels_keep_their_rows(tmp_path):
    lines = [
        *COVER,
        "Resultaträkning (tkr)",
        "",
        "\t31 dec 2023\t31 dec 2022",
        "1. Bidrag från medlemmarna\t12 000\t11 000",
        "2. Övriga intäkter\t500\t400",
        "3. SUMMA",
        "INTÄKTER\t12 500\t11 400",
        "4. Summa kostnader\t-11 000\t-11 000",
        "5. Årets resultat\t1 500\t400",
        "",
        "Balansräkning (tkr)",
        "",
        *BALANCE_FIRST_PAGE,
        *BALANCE_OVERLEAF[1:],
    ]
    report = parse_path(report_file(tmp_path, lines))
    facts = report.facts.filter((report.facts["statement"] == "income") & (report.facts["fiscal_year"] == 2023))
    by_code = {row["line_code"]: row["amount_sek"] for row in facts.iter_rows(named=True)}
    assert by_code["revenue_total"] == 12_500_000  # `3. SUMMA` / `INTÄKTER`, the year from `31 dec 2023`
    assert by_code["net_result"] == 1_500_000


def test_a_statement_is_never_read_under_a_budget_tables_header_above_it(tmp_path):
    """A budget follow-up, then the income statement whose wrapped column words (`Innevarande  Föregående` over
    `år  år`) are no header: its rows must not be read in the budget table's columns."""
    lines = [
        *COVER,
        "Driftredovisning",
        "                       Budget    Utfall",
        " tkr                      2023   2023 Differens",
        " Intäkter                12000  12500       500",
        " Kostnader              -11500 -11000       500",
        "",
        "Resultaträkning, tkr",
        "                              Innevarande  Föregående",
        "                                       år          år",
        " Summa intäkter                   12 500      11 400",
        " Summa kostnader                 -11 000     -11 000",
        " Årets resultat                    1 500         400",
        "",
        "Balansräkning, tkr",
        "",
        *BALANCE_FIRST_PAGE,
        *BALANCE_OVERLEAF[1:],
    ]
    report = parse_path(report_file(tmp_path, lines))
    income = amounts(report, "income", 2023)
    assert income.get("Summa intäkter", 12_500_000) == 12_500_000  # never 11 400 000, the prior year's
    assert amounts(report, "income", 2022).get("Summa intäkter", 11_400_000) == 11_400_000


def test_a_contributions_note_that_fits_its_statement_line_in_no_unit_is_left_out_and_flagged(tmp_path):
    """The note sums to 9 000 000 under a report-wide `tkr`, ×1000 too much for the line `Not 1` points at
    (12 000 tkr); no unit makes them meet, so no payer row is loaded and the document says why."""
    income = [line.replace("Bidrag från medlemmarna\t", "Bidrag från medlemmarna, not 1\t") for line in INCOME]
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *income, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:], "", "Noter", "", "Not 1 Medlemsbidrag", "", "\t2023\t2022"]
    lines += ["Försäkringskassan\t6 000 000\t5 500 000", "Region Östergötland\t3 000 000\t2 750 000"]
    lines += ["Summa\t9 000 000\t8 250 000"]
    report = parse_path(report_file(tmp_path, lines))
    assert report.tables["member_contributions"].is_empty()
    flagged = [issue.message for issue in report.issues if issue.check_name == "value_left_out"]
    assert any("note 1" in message and "left out" in message for message in flagged)  # the note, or its payers


def test_participant_counts_that_do_not_add_up_are_left_out_and_flagged(tmp_path):
    """`Totalt` heads the total; a row whose women and men do not make its total (21 + 15 ≠ 42) is left out."""
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *INCOME, "", "Balansräkning", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:], "", "Insatser och deltagare", ""]
    lines += ["Insats\tKvinnor\tMän\tTotalt", "Steget\t16\t16\t32", "Arbetslivsresursen\t21\t15\t42"]
    report = parse_path(report_file(tmp_path, lines))
    counts = {
        row["name"]: (row["participants_total"], row["participants_women"], row["participants_men"])
        for row in report.tables["interventions"].iter_rows(named=True)
    }
    assert counts["Steget"] == (32, 16, 16)
    assert counts.get("Arbetslivsresursen", (None, None, None)) == (None, None, None)
    assert any("Arbetslivsresursen" in issue.message for issue in report.issues if issue.check_name == "value_left_out")


def test_a_statement_continued_pages_later_under_its_forts_heading_is_read_whole(tmp_path):
    lines = [*COVER, "Belopp i tkr", "", "Resultaträkning", "", *INCOME, "", "Balansräkning (Balance sheet)", ""]
    lines += [*BALANCE_FIRST_PAGE, *[""] * 20, "Sida 3 av 7", *[""] * 10, "Balansräkning (forts.)", ""]
    lines += BALANCE_OVERLEAF
    report = parse_path(report_file(tmp_path, lines))
    balance = amounts(report, "balance", 2023)
    assert balance["Kassa och bank"] == 9_000_000  # the first part
    assert balance["Summa eget kapital och skulder"] == 9_300_000  # the part printed pages later


def test_a_pipe_row_broken_over_two_lines_is_left_out_never_read_as_a_label_and_a_stray_amount():
    """A page broke `| … rörelsekapital |  | **639 396** | -724 018 |` after `**639`: read as a label with
    `**639` in it and `396` for 2019, it had loaded 396 kronor."""
    from finsam_pipeline.parse.tables import read_table
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "| Kassaflödesanalys | Not | 2019 | 2018 |",
        "| Resultat efter finansiella poster |  | 639 396 | -724 018 |",
        "| Kassaflöde från verksamheten före förändringar i rörelsekapital |  | **639",
        "396** | -724 018 |",
        "| Ökning (-)/minskning (+) av rörelsefordringar |  | -68 880 | 8 570 |",
    ]
    _, rows, _ = read_table([TextLine(i + 1, 2, text) for i, text in enumerate(texts)])
    broken = [row for row in rows if row.line.line_no in (3, 4)]
    assert broken and all(row.values is None and row.problem for row in broken)
    assert [row.values for row in rows if row.line.line_no == 5] == [(-68880, 8570)]


def test_a_table_ends_at_another_tables_header_and_lends_it_none_of_its_years():
    """A five-year overview followed by `Resultaträkning  2024  2023`: the statement's rows had been read under
    the overview's 2021–2024 columns and loaded as key figures of the wrong years, a thousand times too large."""
    from finsam_pipeline.parse.tables import read_table
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "Femårsöversikt\t2021\t2022\t2023\t2024",
        "Verksamhetens intäkter\t17 709\t16 997\t18 564\t18 052",
        "Årets resultat\t1 835\t1 401\t-466\t2 002",
        "",
        "Resultaträkning\t2024\t2023",
        "Verksamhetens nettokostnad\t1 880 492\t-638 617",
    ]
    header, rows, _ = read_table([TextLine(i + 1, 1, text) for i, text in enumerate(texts)])
    assert header is not None and header.years == (2021, 2022, 2023, 2024)
    assert [row.label for row in rows] == ["Verksamhetens intäkter", "Årets resultat"]


_RUNNING_HEADER = "Samordningsförbundet Västerås          Årsredovisning 2022"


def _report_with_unit_after(prose: list[str], unit_line: str) -> list[str]:
    page = ["", "Sida {n}", _RUNNING_HEADER, ""]
    return [
        "Samordningsförbundet Västerås",
        "Årsredovisning 2022",
        *[line.replace("{n}", "1") for line in page],
        "Förvaltningsberättelse",
        *prose,
        *[line.replace("{n}", "2") for line in page],
        unit_line,
        "",
        "Resultaträkning",
        "                                        2022           2021",
        "Medlemsbidrag                     21 844,0       21 324,0",
        "Verksamhetens kostnader          -21 190,0      -20 687,0",
        "Årets resultat                       654,0          637,0",
        *[line.replace("{n}", "3") for line in page],
        "Balansräkning",
        "                                  2022-12-31     2021-12-31",
        "Kassa och bank                    13 278,0       12 624,0",
        "Summa tillgångar                  13 278,0       12 624,0",
        "Eget kapital                      13 278,0       12 624,0",
        "Summa eget kapital och skulder    13 278,0       12 624,0",
        *[line.replace("{n}", "4") for line in page],
    ]


@pytest.mark.parametrize(
    ("prose", "unit_line"),
    [
        # a sum in prose wrapped before its unit (`… till 13,3` / `mkr.`) sets no unit for the tables after it
        (["Eget kapital uppgår vid årets slut till 13,3", "mkr."], "Belopp i tusentals kronor om inte annat anges."),
        # a unit sentence under the running header (page furniture, no table) is the report's, not a table's
        (["Insats        Deltagare", "Bryggan              94", "Trappan              21"],
         "Samtliga belopp i de finansiella rapporterna anges i tusentals kronor (tkr) med en decimal."),
    ],
)
def test_a_unit_stated_before_the_statements_holds_for_them(tmp_path, prose, unit_line):
    facts = parse_path(report_file(tmp_path, _report_with_unit_after(prose, unit_line))).facts
    revenue = facts.filter((facts["line_code"] == "member_contributions") & (facts["fiscal_year"] == 2022))
    assert revenue["amount_sek"].to_list() == [21_844_000]


def test_a_result_printed_alike_in_all_three_statements_is_no_running_header(tmp_path):
    """`Årets resultat   713   67` (tkr) on three pages looks like page furniture repeated with small numbers; its
    amount columns make it a row, and it is the year's result in each statement."""
    lines = ["Samordningsförbundet Östra Östergötland", "Årsredovisning 2024", ""]
    for heading, rows in (
        ("Resultaträkning", ["Medlemsbidrag   4 000   3 900", "Verksamhetens kostnader   -3 287   -3 833"]),
        ("Balansräkning", ["Kassa och bank   4 352   3 639", "Summa tillgångar   4 352   3 639",
                           "Övrigt eget kapital   3 639   3 572"]),
        ("Kassaflödesanalys", []),
    ):
        lines += [heading, "Belopp i tkr                       2024      2023", *rows,
                  "Årets resultat                      713        67", "", "Sida", ""]
    facts = parse_path(report_file(tmp_path, lines)).facts
    results = facts.filter(facts["label"] == "Årets resultat").sort("statement")
    assert results["line_code"].to_list() == ["equity_net_result"] * 2 + ["cf_net_result"] * 2 + ["net_result"] * 2
    assert sorted(set(results["amount_sek"].to_list())) == [67_000, 713_000]


def test_a_remark_in_brackets_under_a_label_completes_it_and_a_header_repeated_over_a_page_moves_the_columns(
    tmp_path,
):
    lines = [
        "Samordningsförbundet Östra Södertörn",
        "Årsredovisning 2021",
        "",
        "Resultaträkning",
        "  Belopp i kr                    Not    2021         2020",
        "  Medlemsbidrag                        9 000 000    8 000 000",
        "  Verksamhetens kostnader             -8 160 177   -7 499 138",
        "  Årets resultat",
        "  (överskott+/underskott-)               839 823      500 862",
        "",
        "Balansräkning",
        "  Belopp i kr                    Not    2021-12-31   2020-12-31",
        "  Kassa, bank                          6 266 706    5 300 870",
        "  Summa tillgångar                     6 266 706    5 300 870",
        "",
        "                                  Årsredovisning 2021 – sida 3 av 7",
        "Balansräkning (forts.)",
        "  Belopp i kr                           Not   2021-12-31  2020-12-31",
        "  Summa eget kapital                           3 933 188   3 181 367",
        "  Summa kortfristiga skulder              5    2 333 518   2 119 503",
        "  Eget kapital och skulder totalt              6 266 706   5 300 870",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts
    by = {(r["line_code"], r["fiscal_year"]): (r["amount_sek"], r["note_no"]) for r in facts.iter_rows(named=True)}
    assert by[("net_result", 2021)] == (839_823, None)
    assert by[("short_term_liabilities", 2021)] == (2_333_518, 5)
    assert by[("short_term_liabilities", 2020)] == (2_119_503, 5)


def test_narrow_columns_a_deviation_beside_its_year_labels_wrapped_three_deep_and_a_note_one_space_off(tmp_path):
    """A word processor's narrow table: `2021 Avvikelse` one space apart (a fourth column), amounts a single space
    apart where a sign or four digits part them, and labels wrapped over up to three lines."""
    lines = [
        "Samordningsförbund Sjuhärad",
        "Årsredovisning 2021",
        "",
        "Resultaträkning 2021",
        "                               Utfall   Budget                Utfall",
        "   Belopp i kronor    Not      2021       2021 Avvikelse      2020",
        "    Tilldelade medel",
        "    från medlemmarna    1   22468000  22468000         –   22788000",
        "   Verksamhetens",
        "   kostnader totalt     2 -21527738 -22255198     727460 -22308337",
        "   Resultat efter",
        "   finansiella intäkter",
        "   och kostnader             940262    212802    727460     479663",
        "   Periodens resultat        940262    212802    727460     479663",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts
    by = {(r["label"], r["fiscal_year"]): r["amount_sek"] for r in facts.iter_rows(named=True)}
    assert by[("Tilldelade medel från medlemmarna", 2021)] == 22_468_000
    assert by[("Verksamhetens kostnader totalt", 2021)] == -21_527_738
    assert by[("Verksamhetens kostnader totalt", 2020)] == -22_308_337
    assert by[("Resultat efter finansiella intäkter och kostnader", 2020)] == 479_663
    assert {r["fiscal_year"] for r in facts.iter_rows(named=True)} == {2020, 2021}  # no budget, no deviation


def test_a_statement_continued_on_the_next_page_without_its_unit_takes_the_unit_of_its_first_part(tmp_path):
    lines = [
        "FINSAM i Halland",
        "Årsredovisning 2024",
        "",
        "BALANSRÄKNING (Belopp i KSEK)",
        "",
        "                                2024-12-31     2023-12-31",
        "Omsättningstillgångar",
        "  Fordringar                          2048           1421",
        "  Kassa, bank                         7462          13386",
        "S:a omsättningstillgångar             9510          14807",
        "Totala tillgångar                     9510          14807",
        "",
        "Forts.",
        "",
        "",
        "                                                                  Sida 6 av 9",
        "",
        "",
        "",
        "FINSAM i Halland – Årsredovisning 2024",
        "",
        "BALANSRÄKNING – fortsättning",
        "",
        "                                             2024-12-31     2023-12-31",
        "  Balanserat resultat                             11110          13005",
        "  Årets resultat                                  -7010          -1895",
        "Summa eget kapital                                 4100          11110",
        "  Kortfristiga skulder                             5410           3697",
        "Totalt eget kapital och skulder                    9510          14807",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts.filter(pl.col("fiscal_year") == 2024)
    by = {r["line_code"]: (r["amount_sek"], r["label"]) for r in facts.iter_rows(named=True)}
    assert by["cash_and_bank"] == (7_462_000, "Kassa, bank")
    assert by["total_assets"] == (9_510_000, "Totala tillgångar")
    assert by["short_term_liabilities"][0] == 5_410_000
    assert by["total_equity_and_liabilities"][0] == 9_510_000


def test_labels_in_capitals_join_only_where_the_first_part_cannot_end(tmp_path):
    lines = [
        "Samordningsförbundet Finnveden",
        "Årsredovisning 2019",
        "",
        "KASSAFLÖDESANALYS – tkr",
        "                                                 2019      2018",
        "  Resultat efter finansiella poster             -96,2    -568,9",
        "  Förändring av kortfristiga fordringar          78,6      -80,1",
        "  MEDEL FRÅN DEN LÖPANDE",
        "  VERKSAMHETEN                                  -17,6    -649,0",
        "  SUMMA FINANSIERINGSVERKSAMHETEN",
        "  ÅRETS KASSAFLÖDE                              -17,6    -649,0",
        "",
        "BALANSRÄKNING – tkr",
        "                                                 2019      2018",
        "  Maskiner och inventarier                       56,9      71,1",
        "  ANLÄGGNINGSTILLGÅNGAR",
        "  TOTALT                                         56,9      71,1",
        "  Kassa och bank                                332,7     350,3",
        "  SUMMA TILLGÅNGAR                              389,6     421,4",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts.filter(pl.col("fiscal_year") == 2019)
    labels = {r["line_code"]: r["label"] for r in facts.iter_rows(named=True)}
    assert labels["cf_operating"] == "MEDEL FRÅN DEN LÖPANDE VERKSAMHETEN"
    assert labels["cf_total"] == "ÅRETS KASSAFLÖDE"
    assert labels["fixed_assets_total"] == "ANLÄGGNINGSTILLGÅNGAR TOTALT"


def test_a_result_row_alike_in_three_markdown_statements_is_no_running_header(tmp_path):
    lines = ["Samordningsförbundet Bjurholm", "Årsredovisning 2019", ""]
    for heading, rows in (
        ("## Resultaträkning", ["| Medlemsbidrag | 1 000 | 1 100 |", "| Verksamhetens kostnader | -1 175 | -977 |"]),
        ("## Balansräkning", ["| Kassa och bank | 900 | 1 000 |", "| Summa tillgångar | 900 | 1 000 |"]),
        ("## Kassaflödesanalys", []),
    ):
        lines += [heading, "", "| tkr | 2019 | 2018 |", "|---|---:|---:|", *rows, "| Årets resultat | -175 | 123 |", ""]
    facts = parse_path(report_file(tmp_path, lines, name="report.md")).facts
    results = facts.filter(facts["label"] == "Årets resultat")
    assert sorted(results["line_code"].to_list()) == sorted(["net_result", "equity_net_result", "cf_net_result"] * 2)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Bidrag från förbundets medlemmar, not 2", "Bidrag från förbundets medlemmar"),
        ("Driftkostnader (not 3)", "Driftkostnader"),
    ],
)
def test_a_note_number_after_the_word_not_in_the_label_is_the_note_not_an_amount(tmp_path, label, expected):
    lines = [
        "Samordningsförbundet Halland",
        "Årsredovisning 2021",
        "",
        "Resultaträkning (tkr)",
        "                                                   2021      2020",
        f"{label} 30 444 30 212",
        "Verksamhetens kostnader                          -30 000   -30 000",
        "Årets resultat                                       444       212",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts.filter(pl.col("fiscal_year") == 2021)
    row = next(r for r in facts.iter_rows(named=True) if r["label"] == expected)
    assert (row["amount_sek"], row["note_no"]) == (30_444_000, int(label.rstrip(")")[-1]))


def test_a_number_no_amount_reads_as_at_the_end_of_a_label_leaves_the_row_out(tmp_path):
    """OCR broke `-774 334` into `-7.74 334`: the broken part joins the label, and `334` is no amount of the row."""
    lines = [
        "Samordningsförbundet Östra Östergötland",
        "Årsredovisning 2015",
        "",
        "  Resultaträkning",
        "  Belopp i kronor",
        "                                                                  2015                       2014",
        "   Verksamhetens intäkter                                    10 400 000                10 196 080",
        "   Verksamhetens kostnader                                  -11 174 334                 -9 592 458",
        "   Årets resultat                                              -7.74 334                   603 622",
    ]
    report = parse_path(report_file(tmp_path, lines))
    assert "net_result" not in set(report.facts["line_code"].to_list())
    assert any("-7.74" in issue.message for issue in report.issues)


def test_a_masked_amount_whose_tail_ocr_set_apart_stays_in_its_own_column():
    """OCR lost the `942` of `2 942 000` and set `000` apart (`3 026 000    ?    000`): the row had been lost
    for both years. The lone group joins the masked cell: 2024 stands, 2023 is unknown, and `000` is never
    read as a zero."""
    from finsam_pipeline.parse.tables import read_table
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "  kr                                                   2024-12-31    2023-12-31",
        "  Driftbidrag från Region Jämtland Härjedalen          3 026 000     ?     000",
        "  Bidrag från Bergs kommun                               160 000       156 000",
    ]
    _, rows, _ = read_table([TextLine(i + 1, 7, text) for i, text in enumerate(texts)])
    region = next(row for row in rows if row.line.line_no == 2)
    assert region.values == (3_026_000, None) and region.unreadable_columns == (1,)
    assert next(row for row in rows if row.line.line_no == 3).values == (160_000, 156_000)


def test_a_unit_sentence_after_another_sentence_on_its_line_sets_the_unit():
    """`Rådet för kommunal redovisning. Belopp anges i kronor om inget annat anges.`: the declaration had been
    missed behind the sentence before it, the notes read in the tkr of a multi-year overview above."""
    from finsam_pipeline.parse.tables import running_units
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "Belopp i tusentals kronor",
        "  tkr              2017      2016",
        "  Intäkter        7 688     7 508",
        "Noter",
        "Årsredovisningen är upprättad enligt lagen om kommunal bokföring och redovisning samt rekommendationer från",
        "Rådet för kommunal redovisning. Belopp anges i kronor om inget annat anges.",
        "Not 1 Verksamhetens intäkter",
    ]
    units = running_units([TextLine(i + 1, 4, text) for i, text in enumerate(texts)])
    assert units[2] == 1000 and units[6] == 1


def test_a_number_left_in_the_label_with_a_bracket_leaves_the_row_out():
    """OCR read `–401 259    364 400` as `401259]    364  400`: the damaged first amount stayed in the label and
    364 and 400 were loaded as the two years' results."""
    from finsam_pipeline.parse.tables import read_table
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "  Kronor                                   2015              2016",
        "  Årets resultat                        401259]             364  400",
    ]
    _, rows, _ = read_table([TextLine(i + 1, 3, text) for i, text in enumerate(texts)])
    assert rows[0].values is None and "401259]" in rows[0].problem


def test_a_note_past_a_billion_that_does_not_add_up_is_left_out(tmp_path):
    """A revenue note read in a tkr that is not its own (`3 844 000` tkr) whose lines do not add up: nothing
    shows its unit, and 3.8 billion kronor must not be loaded, in the note or as the state's half."""
    lines = [
        "Samordningsförbundet Norra Bohuslän",
        "Årsredovisning 2017",
        "Alla belopp i tkr",
        "Resultaträkning                  Not      2017      2016",
        "Verksamhetens intäkter             1     7 688     7 508",
        "Verksamhetens kostnader                 -8 133    -7 370",
        "Årets resultat                            -445       138",
        "Balansräkning                            2017      2016",
        "Kassa och bank                           2 500     2 900",
        "Summa tillgångar                         2 500     2 900",
        "Eget kapital                             2 188     2 621",
        "Kortfristiga skulder                       312       279",
        "Summa eget kapital och skulder           2 500     2 900",
        "Not 1 Verksamhetens intäkter",
        "                                          2017              2016",
        "Försäkringskassan                    3 844 000         3 754 000",
        "Västra Götalandsregionen             1 922 000         1 877 000",
        "Lysekils kommun                        467 000",
        "Munkedals kommun                       335 000           327 000",
        "Summa bidrag från medlemmarna        7 688 000         7 508 000",
    ]
    report = parse_path(report_file(tmp_path, lines))
    assert report.tables["note_lines"].filter(report.tables["note_lines"]["note_no"] == 1).is_empty()
    assert (report.tables["member_contributions"]["amount_sek"].abs() < 10**9).all()
    assert any("pass a billion" in issue.message for issue in report.issues)


def test_a_note_past_a_billion_whose_total_meets_no_statement_line_keeps_no_unit(tmp_path):
    """Statements in mkr, a revenue note printed in tkr that adds up: a sum adds up in every unit, so only a
    statement line pointing at the note could show the note's unit; none does (7,7 mkr is not 7 688 kr), so the
    note is left out rather than loaded as 3 844 kronor."""
    lines = [
        "Samordningsförbundet Norra Bohuslän",
        "Årsredovisning 2017",
        "Alla belopp i mkr",
        "Resultaträkning                  Not      2017      2016",
        "Verksamhetens intäkter             1       7,7       7,5",
        "Verksamhetens kostnader                   -8,1      -7,4",
        "Årets resultat                            -0,4       0,1",
        "Not 1 Verksamhetens intäkter",
        "                                          2017              2016",
        "Försäkringskassan                        3 844             3 754",
        "Västra Götalandsregionen                 1 922             1 877",
        "Sotenäs kommun                           1 922             1 877",
        "Summa bidrag från medlemmarna            7 688             7 508",
    ]
    report = parse_path(report_file(tmp_path, lines))
    assert report.tables["note_lines"].filter(report.tables["note_lines"]["note_no"] == 1).is_empty()
    assert report.tables["member_contributions"].is_empty()


def test_a_header_with_a_year_ocr_could_not_read_keeps_its_column():
    """`2024   ????` over `1 156   318`: read under the one year alone, the two amounts had been taken for one,
    1 156 318 tkr. The unread header cell is a column: 2024 is 1 156, the other column is left out."""
    from finsam_pipeline.parse.tables import read_table
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "  (tkr)",
        "                                                                 2024       ????",
        "   Intäkter                                                    12 996     13 076",
        "   ÅRETS RESULTAT                                               1 156       318",
        "   Verksamhetsresultat                                          I ???        301",
    ]
    _, rows, unit = read_table([TextLine(i + 1, 3, text) for i, text in enumerate(texts)])
    assert unit == 1000
    assert [row.values for row in rows[:2]] == [(12_996,), (1_156,)]
    assert rows[2].values is None


def test_a_sentence_about_one_parts_amounts_inside_a_paragraph_sets_no_unit():
    """`… Beloppen som beviljats till insatserna anges i kronor i bilagan.` inside a paragraph is the appendix's
    unit; read as the report's it had made the statements under `Samtliga belopp … i tkr` a thousand times too
    small."""
    from finsam_pipeline.parse.tables import running_units
    from finsam_pipeline.read.extract import TextLine

    texts = [
        "Samtliga belopp i de finansiella rapporterna anges i tusentals kronor (tkr).",
        "Under 2017 beviljades 14 insatser med sammanlagt 42 deltagare. Beloppen som beviljats till insatserna "
        "anges i kronor i bilagan.",
        "Resultaträkning                  Not      2017      2016",
    ]
    assert running_units([TextLine(i + 1, None, text) for i, text in enumerate(texts)])[2] == 1000


def test_a_speck_after_a_rows_cells_does_not_end_the_statement():
    """`-88 222 .`: a lone mark after the row's last cell made the row read as a sentence, which ended the cash flow
    there, every line below it lost without a word. The row is left out, named; the statement goes on."""
    text = [
        "Kassaflödesanalys",
        "                                              2021          2022",
        "Årets resultat                           1 204 167      -722 993",
        "Förändring av kortfristiga fordringar       67 619       -88 222 .",
        "Förändring av kortfristiga skulder         -34 753      -588 086",
        "Kassaflöde från den löpande verksamheten 1 237 033    -1 399 301",
    ]
    facts, issues, _ = statement_facts([TextLine(n, 1, t) for n, t in enumerate(text, 1)], {})
    assert {(f["label"], f["fiscal_year"]) for f in facts} >= {("Kassaflöde från den löpande verksamheten", 2022)}
    assert any(i.source_line == 4 and i.check_name == "value_left_out" for i in issues)


def _values_by_label(texts: list[str]) -> dict[str, tuple | None]:
    """Each row's amounts by its label, the lines read as one table on page 1."""
    _, rows, _ = read_table([TextLine(n, 1, t) for n, t in enumerate(texts, 1)])
    return {row.label: row.values for row in rows}


def test_a_dash_beside_the_label_left_of_every_column_is_no_cell():
    """`Arbetsförmedlingen   -   1 098 236   1 048 013` (a scan's speck): three cells for two columns had left the row
    out, and with it the note's whole year of payers; a dash under a year column stays that year's nothing."""
    text = [
        "  Belopp i kronor                                    2021               2020",
        "  Försäkringskassan                              1 098 236         1 048 013",
        "  Arbetsförmedlingen   -                         1 098 236         1 048 013",
        "  Region Västmanland                                     -         1 048 013",
        "  Summa                                          2 196 472         3 144 039",
    ]
    values = _values_by_label(text)
    assert [int(v) for v in values["Arbetsförmedlingen"]] == [1_098_236, 1_048_013]
    assert values["Region Västmanland"][0] is None and int(values["Region Västmanland"][1]) == 1_048_013


def test_a_cell_ocr_could_not_read_left_of_every_year_column_is_none_of_the_years():
    """`Bidrag från Smedjebackens kommun   ???   231 000` under `Fördelning   2023`: the share OCR could not read
    had made two cells for one column and cost the note its year of payers; a masked cell under a year column
    stays that year's unknown."""
    text = [
        "  Belopp i kr                              Fördelning          2023            2022",
        "  Bidrag från Ludvika kommun                                560 000         555 000",
        "  Bidrag från Smedjebackens kommun              ???         231 000         229 000",
        "  Bidrag från Region Dalarna                            ? ??? ???         776 000",
    ]
    values = _values_by_label(text)
    assert [int(v) for v in values["Bidrag från Smedjebackens kommun"]] == [231_000, 229_000]
    assert values["Bidrag från Region Dalarna"][0] is None and int(values["Bidrag från Region Dalarna"][1]) == 776_000


def test_a_cell_ocr_could_not_read_under_no_header_may_be_an_amounts_first_digits():
    """`?  234 567` where OCR lost a digit of `1 234 567` and set its `1` apart (a reviewer's case): under no
    header word of its own, the masked cell may be the year's amount's head, so the row stays out, never 234 567.
    Before an amount opening with its sign it is no digit of it (`Årets resultat   ?   -1 842,0`, a speck)."""
    text = [
        "  Belopp i kr                          2024             2023",
        "  Medlemsavgifter                     1 100 000        1 000 000",
        "  Bidrag Region                 ?     234 567          1 100 000",
        "  Årets resultat                ?    -184 200            290 800",
    ]
    values = _values_by_label(text)
    assert values["Bidrag Region"] is None and [int(v) for v in values["Årets resultat"]] == [-184_200, 290_800]


def test_a_trace_after_the_last_column_makes_the_amount_before_it_unknown_not_the_row():
    """`Region Kalmar län   5419   531  Rn` (printed 5317: its last digit read as a trace of two letters) had lost the
    row as text among amounts, and read alone `531` would have been wrong: 2019 is unknown, 2020 stands. A masked
    cell there is read the same way; where nothing follows the columns, the row reads whole. A letter a space
    before an amount's digits (`i 141 769`, OCR's `1 141 769`) makes that cell unknown too."""
    text = [
        "   tkr                                                        2020         2019",
        "    Region Kalmar län                                         5419         531  Rn",
        "    Emmaboda                                                   202         199  ??",
        "    Hultsfred                                                  299         293",
        "    Högsby                                                     125   Ej angivet",
        "    Balanserat resultat                                    1 038 258   i 141 769",
    ]
    _, rows, _ = read_table([TextLine(n, 1, t) for n, t in enumerate(text, 1)])
    by_label = {row.label: row for row in rows}
    for label, value in (("Region Kalmar län", 5419), ("Emmaboda", 202), ("Balanserat resultat", 1_038_258)):
        assert by_label[label].values[0] == value and by_label[label].values[1] is None
        assert by_label[label].unreadable_columns == (1,)
    assert [int(v) for v in by_label["Hultsfred"].values] == [299, 293]
    assert by_label["Högsby"].values is None and "text among amounts" in by_label["Högsby"].problem
    budget_beside = [  # a reviewer's case: the trace follows an amount under the first year, a budget before it
        "                                       Budget          Utfall        Utfall",
        "  Belopp i kr                                             2023          2022",
        "  Medlemsavgifter                     4 100 000       4 000 000     3 800 000",
        "  Projektmedel                          150 000         200 000                a",
    ]
    assert _values_by_label(budget_beside)["Projektmedel"] is None  # never 150 000 (the budget) for 2023


def test_a_statement_heading_ocr_misread_by_a_letter_still_ends_the_statement_above(tmp_path):
    """`Kassafiödesanalys` (a scan's `fl` read `fi`) overleaf: the balance sheet had run on through the cash flow
    under its column header repeated, its rows loaded as balance lines no code fits (outside11's scan). A heading
    alone on its line a letter off its spelling is that heading; a longer line starting with a word like it is
    not (`Balansposterna nedan visar …`)."""
    from finsam_pipeline.parse.statement_tables import statement_of_heading

    lines = [
        *COVER,
        "Balansräkning",
        "                                                  2023          2022",
        "Kortfristiga fordringar                        387 339       589 869",
        "Kassa och bank                               2 712 731     1 867 058",
        "Summa tillgångar                             3 100 070     2 456 927",
        "Ingående eget kapital                        1 564 503     1 724 724",
        "Årets resultat                                 627 664      -160 221",
        "Summa eget kapital                           2 192 167     1 564 503",
        "Kortfristiga skulder                           907 903       892 424",
        "Summa eget kapital och skulder               3 100 070     2 456 927",
        "\fKassafiödesanalys",
        "Belopp I kronor",
        "                                                  2023          2022",
        "Den löpande verksamheten",
        "Årets resultat                                 627 664      -160 221",
        "Minskning(+)/ökning(-) av kortfristiga fordringar  202 530  -278 299",
        "Ökning(+)/minskning(-) av kortfristiga skulder  15 479      -147 041",
        "Årets kassaflöde                               845 673      -585 561",
        "Likvida medel vid årets början               1 867 058     2 452 619",
        "Likvida medel vid årets slut                 2 712 731     1 867 058",
    ]
    facts = parse_path(report_file(tmp_path, lines)).facts
    statements = dict(zip(facts["label"], facts["statement"], strict=False))
    assert statements["Årets kassaflöde"] == "cash_flow" and statements["Kassa och bank"] == "balance"
    assert statement_of_heading("Kassafiödesanalys") == "cash_flow" and statement_of_heading("Balansräknlng tkr")
    assert statement_of_heading("Balansposterna nedan visar att förbundet har en god likviditet") is None


def test_a_label_wrapped_with_its_amounts_spread_over_both_lines_is_one_row():
    """A scan's two-line cell: `SUMMA EGET KAPITAL OCH   ·   1 804` over `SKULDER   2 001   ·`. Read as two rows,
    each year's total had been lost (or coded `other`). The label cannot end at `OCH` (or the next part starts in
    lower case) and the lines print each column once between them: one row. Two rows of their own, each with a
    year empty, stay two."""
    text = [
        "                                         2020           2019",
        "  Summa kortfristiga skulder              476            348",
        "  SUMMA EGET KAPITAL OCH                                1 804",
        "  SKULDER                               2 001",
        "  Minskning(+)/ökning(-) av              128 497",
        "  kortfristiga fordringar                              -91 059",
        "  Nyemission                              1 000",
        "  Återbetalning av lån                                   500",
    ]
    _, rows, _ = read_table([TextLine(n, 1, t) for n, t in enumerate(text, 1)])
    values = {row.label: tuple(None if v is None else int(v) for v in row.values or ()) for row in rows}
    assert values["SUMMA EGET KAPITAL OCH SKULDER"] == (2001, 1804)
    assert values["Minskning(+)/ökning(-) av kortfristiga fordringar"] == (128_497, -91_059)
    assert values["Nyemission"] == (1000, None) and values["Återbetalning av lån"] == (None, 500)


def test_a_sentence_naming_budget_above_a_tab_header_is_no_header_line():
    """`Belopp i kronor. Avvikelse = utfall minus budget.` above `Not | Utfall 2025 | Budget 2025 | Avvikelse |
    Utfall 2024`: the header's column kinds were read from the sentence into a list they were not yet in, and the
    parser failed (a Chromium PDF quarantined whole). The header's own words say which column is the outcome."""
    text = [
        "Resultaträkning med budgetjämförelse",
        "Belopp i kronor. Avvikelse = utfall minus budget.",
        "\tNot\tUtfall 2025\tBudget 2025\tAvvikelse\tUtfall 2024",
        "Verksamhetens intäkter\t1\t5 240 464\t5 187 405\t53 059\t5 201 047",
    ]
    header, rows, _ = read_table([TextLine(n, 4, t) for n, t in enumerate(text, 1)])
    outcome = [year for year, kind in zip(header.years, header.column_kinds, strict=False) if kind == "outcome"]
    values = dict(zip(header.years, rows[0].values, strict=True))
    assert outcome == [2025, 2024] and values[2024] == 5_201_047


def test_a_year_ocr_split_in_two_is_read_whole_beside_the_year_before_it():
    """`2018    20 17` (a scan's header): the header had not been read, and with it neither statement, so the report
    was quarantined. A cell of `20 17` is 2017 where the line prints a year one or two from it; a row's label over
    such digits stays a row, and `20 25` beside 2018 is no year of its columns."""
    from finsam_pipeline.parse.tables import read_header

    header = read_header(TextLine(1, 3, "                                          2018           20 17"))
    assert header is not None and header.years == (2018, 2017)
    assert read_header(TextLine(1, 3, "  Summa intäkter               2018           20 17")) is None
    assert read_header(TextLine(1, 3, "                                          2018           20 25")) is None


def test_an_amount_ocr_read_only_in_part_leaves_its_column_unknown_not_the_row():
    """`Medlemsavgifter   4 584 000   4 408 000   ?????? 000` (a scan's 2017 amount, its leading groups unsure): the
    row had been left out as `not an amount`, and with it two years' members' contributions."""
    text = [
        "  Kronor                                 2019        2018         2017",
        "  Medlemsavgifter                    4 584 000   4 408 000    ?????? 000",
    ]
    _, rows, _ = read_table([TextLine(n, 3, t) for n, t in enumerate(text, 1)])
    assert rows[0].values[:2] == (4_584_000, 4_408_000) and rows[0].values[2] is None
    assert rows[0].unreadable_columns == (2,)


def test_statements_under_numbered_headings_ocr_could_not_read_are_each_found(tmp_path):
    """`2  ???????????????` and `3  ?????????????` over the income statement and the balance sheet of one page (a
    scan's `=====` under each heading masked its words): the numbered headings had read as page numbers, so the
    balance sheet's header looked repeated overleaf and both statements were one table; the report was
    quarantined with no income statement found."""
    lines = [*COVER, "Belopp i tkr", "", "2  ???????????????", "", *INCOME, "", "3  ?????????????", ""]
    lines += [*BALANCE_FIRST_PAGE, *BALANCE_OVERLEAF[1:]]
    report = parse_path(report_file(tmp_path, lines))
    assert amounts(report, "income", 2022)["Summa kostnader"] == -11_000_000
    assert amounts(report, "balance", 2023)["Summa eget kapital och skulder"] == 9_300_000
