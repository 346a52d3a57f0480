"""Everything besides the statements: key figures, contributions (more to come per issue)."""

import polars as pl
import pytest
from conftest import text_lines


def _key_figures(report, year: int) -> dict[str, float]:
    frame = report.tables["key_figures"].filter(pl.col("fiscal_year") == year)
    return dict(zip(frame["metric"], frame["value"], strict=True))


@pytest.mark.parametrize(
    ("prefix", "year", "expected"),
    [
        # OCR table with merged digit groups: `2684 136 2 449 000 …`, `-330 463 191431 350935 154 413 -191 782`
        ("000", 2023, {"revenue": 2684136, "costs": -3014599, "net_result": -330463, "equity_ratio_pct": 64}),
        ("000", 2021, {"revenue": 2395000, "costs": -2043137, "net_result": 350935, "equity_ratio_pct": 78}),
        ("000", 2019, {"revenue": 2299500, "costs": -2491282, "net_result": -191782, "equity_ratio_pct": 61}),
        # costs printed positive, soliditet with a decimal comma
        (
            "001",
            2024,
            {"revenue": 8265184, "costs": -8285298, "net_result": -20114, "equity_ratio_pct": 63.3, "employees": 0},
        ),
        (
            "001",
            2020,
            {"revenue": 5259987, "costs": -4647659, "net_result": 612329, "equity_ratio_pct": 71.2, "employees": 0},
        ),
        # pipes; `Beloppen står i tkr` printed under the table
        (
            "003",
            2023,
            {"revenue": 4496000, "costs": -4336000, "net_result": 160000, "equity_ratio_pct": 93, "employees": 1},
        ),
        (
            "003",
            2019,
            {"revenue": 4543000, "costs": -4592000, "net_result": -52000, "equity_ratio_pct": 92, "employees": 1},
        ),
        # `Belopp tkr` header, costs positive, soliditet without a % sign
        (
            "004",
            2023,
            {"revenue": 8629000, "costs": -8323000, "net_result": 312000, "equity_ratio_pct": 48, "employees": 0},
        ),
        (
            "004",
            2020,
            {"revenue": 4160000, "costs": -3203000, "net_result": 957000, "equity_ratio_pct": 60, "employees": 0},
        ),
    ],
)
def test_key_figures_are_exact_for_every_annual_report(seed_reports, prefix, year, expected):
    assert _key_figures(seed_reports[prefix], year) == pytest.approx(expected)


@pytest.mark.parametrize(("prefix", "years"), [("000", 5), ("001", 5), ("003", 5), ("004", 4)])
def test_key_figures_cover_every_year_column(seed_reports, prefix, years):
    assert seed_reports[prefix].tables["key_figures"]["fiscal_year"].n_unique() == years


def _contributions(report, year: int) -> list[tuple[str, str | None, int]]:
    frame = report.tables["member_contributions"].filter(pl.col("fiscal_year") == year)
    return sorted(
        zip(frame["contributor_type"], frame["kommun_code"], frame["amount_sek"], strict=True),
        key=lambda row: (row[0], row[1] or "", row[2]),
    )


@pytest.mark.parametrize(
    ("prefix", "year", "expected"),
    [
        (
            "000",
            2023,
            [
                ("eu", None, 104135),
                ("municipality", "1762", 90300),
                ("municipality", "1763", 277350),
                ("municipality", "1783", 277350),
                ("region", None, 645000),
                ("state", None, 1290000),
            ],
        ),
        (
            "000",
            2022,
            [
                ("municipality", "1762", 79143),
                ("municipality", "1763", 284357),
                ("municipality", "1783", 272500),
                ("region", None, 636000),
                ("state", None, 1177000),
            ],
        ),
        (
            "001",
            2024,
            [
                ("municipality", "1438", 111385),
                ("municipality", "1460", 218763),
                ("municipality", "1492", 288001),
                ("municipality", "1730", 196686),
                ("municipality", "1765", 230812),
                ("municipality", "1784", 602100),
                ("municipality", "1785", 359253),
                ("region", None, 618156),
                ("region", None, 1388844),
                ("state", None, 4014000),
            ],
        ),
        (
            "003",
            2022,
            [
                ("municipality", "2061", 405000),
                ("municipality", "2085", 721000),
                ("other", None, 3336),
                ("region", None, 1126000),
                ("state", None, 2253000),
            ],
        ),
        (
            "004",
            2023,
            [
                ("municipality", "2080", 1113060),
                ("municipality", "2081", 1027440),
                ("other", None, 67008),
                ("region", None, 2140500),
                ("state", None, 4281000),
            ],
        ),
    ],
)
def test_member_contributions_are_exact_with_types_and_kommun_codes(seed_reports, prefix, year, expected):
    assert _contributions(seed_reports[prefix], year) == expected


def test_an_ocr_note_line_is_kept_only_when_the_notes_own_sum_settles_it(seed_reports):
    notes = seed_reports["000"].notes
    efs = notes.filter(pl.col("label") == "Driftbidrag EFS")
    assert efs.select("fiscal_year", "amount_sek").rows() == [(2023, 104135)]  # `104 135`: 2023 only, per Summa
    assert notes.filter(pl.col("label") == "Moms").is_empty()  # `5700`: no reading adds up, left out


@pytest.mark.parametrize(
    ("prefix", "chair", "vice_chair", "members", "deputies"),
    [
        ("000", "Mathias Lindquist", "Bjorn Eriksson", 6, 6),  # `Org: Name` lines + chair named in prose (OCR)
        ("001", "Henrik Axelsson", "Björn Eriksson", 11, 11),  # list of names, then list of organisations
        ("003", "John Andersson", "Anette Englund", 7, 6),  # pipe table, replacements `(from 230301)`
        ("004", "Jan Bohman", "Göran Forsén", 4, 5),  # tab table with a vacant seat
    ],
)
def test_board_members_with_chair_and_appointing_organisation(
    seed_reports, prefix, chair, vice_chair, members, deputies
):
    board = seed_reports[prefix].tables["board_members"]
    by_role = {role: board.filter(pl.col("role") == role)["name"].to_list() for role in board["role"].unique()}
    assert by_role["ordforande"] == [chair]
    assert by_role["vice_ordforande"] == [vice_chair]
    assert len(by_role["ordforande"] + by_role["vice_ordforande"] + by_role.get("ledamot", [])) == members
    assert len(by_role.get("ersattare", [])) == deputies
    assert board["appointed_by"].null_count() == 0


def test_a_board_row_names_its_organisation(seed_reports):
    board = seed_reports["004"].tables["board_members"]
    assert board.filter(pl.col("name") == "Christer Navjord").select("role", "appointed_by").row(0) == (
        "ersattare",
        "Region Dalarna",
    )


def _budget(report, **where) -> dict[tuple[str, int, str], int]:
    frame = report.tables["budget_lines"]
    for column, value in where.items():
        frame = frame.filter(pl.col(column) == value)
    return {(r["label"], r["fiscal_year"], r["measure"]): r["amount_sek"] for r in frame.iter_rows(named=True)}


def test_the_plans_budget_has_all_three_years_with_sections_and_totals(seed_reports):
    report = seed_reports["002"]
    lines = report.tables["budget_lines"]
    assert sorted(lines["fiscal_year"].unique().to_list()) == [2025, 2026, 2027]
    assert set(lines["measure"].unique()) == {"budget"}
    budget = _budget(report)
    assert budget[("Summa bidrag", 2025, "budget")] == 2_560_000
    assert budget[("ESF-projektet Lärande och Utveckling", 2026, "budget")] == 256_000
    assert budget[("Förbundschef", 2026, "budget")] == -200_987  # costs negative
    assert budget[("Totala summa kostnader", 2027, "budget")] == -3_205_000
    totals = lines.filter(pl.col("is_total"))["label"].unique().to_list()
    assert set(totals) >= {"Summa bidrag", "Summa budget", "Summa administration, kansli", "Totala summa kostnader"}
    sections = lines.filter(pl.col("label") == "Insats Rebus Hagfors")["section"].unique().to_list()
    assert sections == ["Finansierade individinsatser"]


def test_outcome_versus_budget_tables_give_three_measures_in_kronor(seed_reports):
    followup = _budget(seed_reports["001"], section="Kansli")  # `Jämförelse faktiskt utfall mot budget 2024 (tkr)`
    assert followup[("Styrelse", 2024, "outcome")] == -239_000
    assert followup[("Styrelse", 2024, "budget")] == -265_000
    assert followup[("Styrelse", 2024, "deviation")] == 26_000
    operating = _budget(seed_reports["004"])  # two-line header, Intäkt/Kostnad/Netto sub-columns, tkr
    assert operating[("Summa kostnader", 2023, "outcome")] == -8_323_000
    assert operating[("Summa kostnader", 2023, "budget")] == -8_894_000
    assert operating[("Summa kostnader", 2022, "outcome")] == -4_184_000
    projects = _budget(seed_reports["003"])  # `Budget | Kostnad | Avvikelse`, tkr
    assert projects[("Rehabteamet", 2023, "budget")] == -1_500_000
    assert projects[("Rehabteamet", 2023, "outcome")] == -1_067_000


@pytest.mark.parametrize(
    ("prefix", "name", "total", "women", "men"),
    [
        ("000", "Rebus", 56, 37, 19),  # prose: `56 deltagare varit inskrivna … 37 kvinnor och 19 män`
        ("001", "Drivhuset för unga Åmål", 112, 44, 68),  # participants table
        ("001", "Integrerad Samverkan Årjäng", 25, 16, 9),
        ("003", "Rehabkonsulentteamet", 57, 32, 25),  # result table + `kvinnor (32 pers) och … män (25 pers)`
        ("004", "Insteget", 67, 33, 34),  # `67 33 K 34 M`
        ("004", "Brobyggaren", 65, 32, 33),
    ],
)
def test_participants_per_intervention(seed_reports, prefix, name, total, women, men):
    rows = seed_reports[prefix].tables["interventions"].filter(pl.col("name") == name)
    assert rows.select("participants_total", "participants_women", "participants_men").rows() == [(total, women, men)]


def test_intervention_kind_budget_and_cost(seed_reports):
    rows = seed_reports["003"].tables["interventions"]
    as_dicts = {r["name"]: r for r in rows.iter_rows(named=True)}
    assert as_dicts["Rehabkonsulentteamet"]["kind"] == "individual"
    assert (as_dicts["Rehabkonsulentteamet"]["budget_sek"], as_dicts["Rehabkonsulentteamet"]["cost_sek"]) == (
        1_500_000,
        1_067_000,
    )
    assert (as_dicts["Samverkansarenan"]["kind"], as_dicts["Samverkansarenan"]["cost_sek"]) == ("structural", 40_000)
    assert seed_reports["000"].tables["interventions"].filter(pl.col("name") == "Rebus")["budget_sek"].to_list() == [
        1_762_000
    ]


def test_how_participants_left(seed_reports):
    outcomes = seed_reports["004"].tables["intervention_outcomes"].filter(pl.col("intervention") == "Brobyggaren")
    got = {r["outcome"]: (r["persons"], r["women"], r["men"]) for r in outcomes.iter_rows(named=True)}
    assert got["avslutade"] == (65, None, None)
    assert got["annan_arbetslivsinriktad_rehab"] == (21, 7, 14)
    assert got["medicinsk_rehab"] == (15, 10, 5)
    rehab = seed_reports["003"].tables["intervention_outcomes"]
    assert rehab.filter(pl.col("outcome") == "arbete")["persons"].to_list() == [1]
    assert seed_reports["000"].tables["intervention_outcomes"].select("outcome", "persons").rows() == [
        ("avslutade", 30)
    ]


def test_indicator_answer_distributions_from_ocr_text(seed_reports):
    rows = (
        seed_reports["000"]
        .tables["indicator_results"]
        .filter((pl.col("indicator_no") == 7) & (pl.col("respondent_group") == "deltagare_avslut"))
    )
    assert dict(zip(rows["answer"], rows["share_pct"], strict=True)) == {
        "Inte alls": 14,
        "Till liten del": 29,
        "Delvis": 14,
        "Till mycket stor del": 29,
        "Helt och hallet": 14,
    }
    groups = set(seed_reports["000"].tables["indicator_results"]["respondent_group"].to_list())
    assert groups == {"deltagare_avslut", "beredningsgrupp", "styrelse"}


def test_indicator_national_and_own_pairs_by_sex_and_group(seed_reports):
    rows = seed_reports["003"].tables["indicator_results"]
    first = rows.filter((pl.col("indicator_no") == 1) & (pl.col("fiscal_year") == 2023))
    got = {r["sex"]: (r["share_pct"], r["national_share_pct"]) for r in first.iter_rows(named=True)}
    assert got == {"total": (53, 77), "women": (40, 81), "men": (67, 73)}  # `77/53`, `81/40`, `73/67`
    assert first["respondent_group"].unique().to_list() == ["deltagare_pagaende"]
    board = rows.filter((pl.col("respondent_group") == "styrelse") & (pl.col("indicator_no") == 12))
    assert board.filter(pl.col("fiscal_year") == 2023).select("share_pct", "national_share_pct").rows() == [(100, 60)]
    assert set(rows["respondent_group"].unique()) == {"deltagare_pagaende", "chefsgrupp", "styrelse"}


def test_indicator_shares_of_clearly_positive_answers_from_prose(seed_reports):
    rows = seed_reports["001"].tables["indicator_results"].filter(pl.col("answer") == "klart_positiva")
    current = rows.filter(pl.col("fiscal_year") == 2024)
    assert current.filter(pl.col("respondent_group") == "personal")["share_pct"].to_list() == [84]
    assert current.filter(pl.col("respondent_group") == "chefsgrupp")["share_pct"].to_list() == [83]
    step = current.filter(pl.col("indicator_no") == 7)  # `stegförflyttat sig närmare arbetsmarknaden`
    assert dict(zip(step["respondent_group"], step["share_pct"], strict=True)) == {
        "deltagare_pagaende": 69,
        "deltagare_avslut": 79,
    }
    earlier = rows.filter((pl.col("fiscal_year") == 2023) & (pl.col("indicator_no") == 7))
    assert earlier["share_pct"].to_list() == [65]  # `(jfr 2023; 65%)`


@pytest.mark.parametrize(
    ("prefix", "fragment", "assessment"),
    [
        ("000", "Minst 50 individer tar del", "uppfyllt"),
        ("000", "egna kapitalet inte 6verstiga 20 %", "ej_uppfyllt"),  # OCR `Ej uppfylit`
        ("000", "Kostnader for administration", "delvis_uppfyllt"),
        ("003", "kunskaps-och samverkansarena", "uppfyllt"),  # `… för parterna! =uppfyllt`
        ("003", "överskottsmedel i form av eget kapital", "ej_uppfyllt"),  # `= målet ej uppfyllt`
        ("004", "minska det egna kapitalet", "ej_uppfyllt"),  # `Styrelsen bedömer att mål 8 inte är uppfyllt.`
        ("004", "kunskaps- och samverkansarena", "uppfyllt"),
    ],
)
def test_goals_with_their_assessment(seed_reports, prefix, fragment, assessment):
    goals = seed_reports[prefix].tables["goals"].filter(pl.col("goal").str.contains(fragment, literal=True))
    assert goals["assessment"].to_list() == [assessment]


def test_goal_targets_and_outcomes(seed_reports):
    goals = seed_reports["000"].tables["goals"]
    row = goals.filter(pl.col("goal").str.contains("styrelsens och beredningsgruppens", literal=True)).row(
        0, named=True
    )
    assert (row["target"], row["outcome"], row["assessment"]) == ("Minst 70 %", "40 %", "delvis_uppfyllt")
    assert len(seed_reports["003"].tables["goals"]) == 6 and len(seed_reports["004"].tables["goals"]) == 8


def test_contributions_come_from_the_financing_text_when_no_note_lists_them(tmp_path):
    from conftest import parse_path, seed_path

    text = seed_path("001").read_text(encoding="utf-8")
    start, end = text.index("Not 1. Verksamhetens medlemsavgifter"), text.index("Not 2. Fordringar")
    target = tmp_path / "001_without_note.txt"
    target.write_text(text[:start] + text[end:], encoding="utf-8")
    rows = parse_path(target).tables["member_contributions"]
    got = {
        r["contributor"]: (r["contributor_type"], r["kommun_code"], r["amount_sek"]) for r in rows.iter_rows(named=True)
    }
    assert got["Arbetsförmedlingen"] == ("state", None, 2_007_000)
    assert got["Västra Götalandsregionen"] == ("region", None, 618_156)
    assert got["Dals-Ed kommun"] == ("municipality", "1438", 111_385)
    assert "Eget kapital (sparade medel från tidigare år)" not in got
    assert len(got) == 11 and set(rows["fiscal_year"].to_list()) == {2024}


def test_a_sum_in_the_prose_above_a_budget_is_not_its_unit():
    from finsam_pipeline.parse.budget import budget_line_rows

    lines = text_lines(
        "För 2025 har Försäkringskassan meddelat preliminär tilldelning",
        "med 1 280 tkr. Region Värmland och kommunerna matchar beloppet",
        "Budget\t2025\t2026",
        "Region Värmland\t640 000\t640 000",
        "Summa bidrag\t2 560 000\t2 560 000",
    )
    amounts = {(r["label"], r["fiscal_year"]): r["amount_sek"] for r in budget_line_rows(lines, 2025)}
    assert amounts[("Region Värmland", 2025)] == 640_000  # kronor, as the table is; `1 280 tkr` is a sum
    caption = text_lines("Budget i tkr", "Budget\t2025\t2026", "Region Värmland\t640\t640")
    assert {abs(r["amount_sek"]) for r in budget_line_rows(caption, 2025)} == {640_000}  # its sign is another rule


def test_declared_units_and_sums_given_in_a_unit():
    from finsam_pipeline.parse.tables import declared_unit

    assert declared_unit("med 1 280 tkr. Region") is None
    assert declared_unit("minskning med sammanlagt 50 tkr jämfört med år 2024") is None
    assert declared_unit("Belopp i tkr") == 1000
    assert declared_unit("Budget 2025 tkr") == 1000  # a year before the unit is no sum
    assert declared_unit("Utfall 2023 (Mkr)") == 1_000_000


def test_a_markdown_rule_broken_at_a_space_is_still_a_rule_not_a_row():
    from finsam_pipeline.parse.budget import budget_line_rows
    from finsam_pipeline.read.textnorm import normalise_line

    printed = [
        "| | Utfall | Budget |",
        "|------ ---|-----|-----|",
        "| | 2023 | 2023 |",
        "| Administration | 867 | 873 |",
    ]
    rows = budget_line_rows(text_lines(*(normalise_line(line) for line in printed)), 2023)
    assert {(r["label"], r["fiscal_year"], abs(r["amount_sek"])) for r in rows} == {
        ("Administration", 2023, 867),
        ("Administration", 2023, 873),
    }


def test_a_count_belongs_to_the_intervention_named_in_its_own_sentence():
    from finsam_pipeline.parse.interventions import intervention_rows

    lines = text_lines(
        "Fyra frukostmöten har genomförts med Falu kommuns projekt Rätt använd kompetens. 140 personer har "
        "deltagit på frukostmötena.",
        "Inom projektet Insteget har 67 deltagare varit inskrivna under året.",
    )
    interventions, _ = intervention_rows(lines)
    assert [(row["name"], row["participants_total"]) for row in interventions] == [("Insteget", 67)]


def test_a_unit_a_pdf_wrapped_onto_its_own_line_after_a_sum_declares_nothing():
    from finsam_pipeline.parse.tables import running_units

    wrapped = text_lines("Medelstilldelningen från parterna uppgick 2022 till 6 336", "tkr.", "Resultaträkning")
    assert running_units(wrapped) == [None, None, None]
    declared = text_lines("Not 3", "Belopp i tkr", "Fordringar\t12\t14")
    assert running_units(declared) == [None, 1000, 1000]


def test_a_participant_table_whose_header_ran_two_columns_together_is_left_out_not_shifted():
    """OCR of a narrow table lost the gap between `Kvinnor` and `Män`: five header cells over six columns,
    so every count after the names would stand under the wrong header."""
    from finsam_pipeline.parse.interventions import intervention_rows

    header = "Insatsens namn\tMål antal deltagare 2024\tResultat antal deltagare 2024\tKvinnor Män\tKonsultationer"
    interventions, _ = intervention_rows(text_lines(header, "Plattformen Samverkan Arvika Eda\t60\t64\t41\t23\t45"))
    assert not [row for row in interventions if row.get("participants_total") or row.get("participants_women")]
    separate = header.replace("Kvinnor Män", "Kvinnor\tMän")
    interventions, _ = intervention_rows(text_lines(separate, "Plattformen Samverkan Arvika Eda\t60\t64\t41\t23\t45"))
    assert [(r["participants_total"], r["participants_women"], r["participants_men"]) for r in interventions] == [
        (64, 41, 23)
    ]


def test_a_signature_over_a_capitalised_vice_chair_role_names_no_chair():
    """`Maria Andersson` over `Vice ordförande` under the signatures: the vice chair, never a chair
    `Andersson Vice`; a sentence naming the vice chair with a capital V gives the vice chair."""
    from finsam_pipeline.parse.board import board_member_rows

    rows = board_member_rows(text_lines("John Andersson", "Ordförande", "", "Maria Andersson", "Vice ordförande"))
    assert "Andersson Vice" not in [row["name"] for row in rows]
    rows = board_member_rows(text_lines("Björn Eriksson, Vice ordförande, har lett mötet."))
    assert [(row["name"], row["role"]) for row in rows] == [("Björn Eriksson", "vice_ordforande")]
