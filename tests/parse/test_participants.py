"""Participants per intervention read by structure and proven by arithmetic (`parse/participants.py`):
tables with any count header, `N (K a, M b)` cells, list lines and sentences; women + men = total or left out."""

from __future__ import annotations

import pytest
from conftest import text_lines

from finsam_pipeline.parse.interventions import counts_that_add_up, intervention_rows, unproven_participant_rows
from finsam_pipeline.parse.participants import participant_passages, participant_tables


def _counts(lines) -> dict[str, tuple]:
    rows, _ = intervention_rows(lines)
    return {
        r["name"]: (r["participants_total"], r["participants_women"], r["participants_men"])
        for r in rows
        if r["participants_total"] is not None
    }


@pytest.mark.parametrize(
    "header",
    [
        "| Insats | K | M | Tot |",
        "Insats\tKvinnor\tMän\tSumma",
        "\tKvinnor\tMän\tSumma",
        "Verksamhet\tvarav kvinnor\tvarav män\tAntal deltagare",
    ],
)
def test_a_count_table_is_read_by_its_header_words_in_any_order(header):
    def row(name: str, k: int, m: int, t: int) -> str:
        return f"| {name} | {k} | {m} | {t} |" if header.startswith("|") else f"{name}\t{k}\t{m}\t{t}"

    lines = text_lines("Deltagare 2023", header, row("Träffpunkten", 53, 43, 96), row("Totalt", 53, 43, 96))
    assert _counts(lines) == {"Träffpunkten": (96, 53, 43)}


def test_combined_cells_in_either_form_and_over_a_split_cell():
    lines = text_lines(
        "Verksamhet Antal deltagare (K/M)",
        "Livsstegen 21 (K 8, M 13)",
        "Kompassen\t135\t(K 60, M 75)",
        "Trappan\t135\t(M 75, K 60)",  # tagged in another order than the header: left out, never swapped
        "Lots för unga\t104 (47/57)",
    )
    assert _counts(lines) == {"Livsstegen": (21, 8, 13), "Kompassen": (135, 60, 75), "Lots för unga": (104, 47, 57)}


def test_a_table_runs_on_over_page_furniture_but_not_into_the_next_table():
    lines = text_lines(
        "Insats\tAntal deltagare\tvarav kvinnor\tvarav män",
        "Livsstegen\t34\t20\t14",
        "",
        "Signering av justerare på varje sida    Sida 6",
        "Samordningsförbundet X – Årsredovisning 2024",
        "Nästa steg\t54\t21\t33",
        "Kostnader per insats",
        "Balans\t300\t200\t100",
    )
    assert _counts(lines) == {"Livsstegen": (34, 20, 14), "Nästa steg": (54, 21, 33)}


def test_an_unnamed_extra_column_is_placed_by_the_one_reading_that_adds_up():
    lines = text_lines("Insats Nya under året Totalt antal deltagare Kvinnor Män", "Rehabteamet 37 117 66 51")
    assert _counts(lines) == {"Rehabteamet": (117, 66, 51)}


def test_rows_no_reading_makes_add_up_are_left_out_and_flagged():
    lines = text_lines(
        "Insats\tK\tM\tTot",
        "Kompassen\t10\t20\t40",  # 10 + 20 is not 40
        "Trappan\t4\t6\t10\t2\t8\t10",  # two placements add up to different counts
        "Balans\t3\t4\t7",
    )
    assert participant_tables(lines)[0][0]["name"] == "Balans"
    assert len(participant_tables(lines)[0]) == 1
    assert len(unproven_participant_rows(lines)) == 2
    assert _counts(lines) == {"Balans": (7, 3, 4)}


def test_list_lines_under_a_heading_give_the_counts():
    lines = text_lines(
        "#### Insats: Träffpunkten",
        "",
        "Träffpunkten vänder sig till personer i åldern 18–64 år.",
        "",
        "- Antal deltagare 2019: 178",
        "- Kvinnor: 97",
        "- Män: 81",
        "",
        "Kliv in (individinriktad insats)",
        "Målgruppen är personer med försörjningsstöd.",
        "   • Deltagare totalt: 28 (17 kvinnor, 11 män)",
    )
    assert _counts(lines) == {"Träffpunkten": (178, 97, 81), "Kliv in": (28, 17, 11)}


@pytest.mark.parametrize(
    "sentence",
    [
        ["I insatsen har 19 kvinnor och 16 män deltagit, totalt 35 personer."],
        ["Under 2021 har 35 personer deltagit i Balans, varav 19 kvinnor och 16", "män."],
        ["Totalt deltog 35 personer (19 kvinnor och 16 man) i insatsen under aret."],
        [
            "35 deltagare har medverkat i insatsen under 2023. Av dessa var 54 % kvinnor (19",
            "pers) och 46 % män (16 pers).",
        ],
    ],
)
def test_a_sentence_with_counts_that_add_up_belongs_to_its_sections_heading(sentence):
    lines = text_lines("Utökning av insats Balans", "Insatsen drivs av Hylte kommun i samverkan.", *sentence)
    assert _counts(lines) == {"Balans": (35, 19, 16)}


def test_counts_that_do_not_add_up_or_have_no_heading_are_not_read():
    wrong = text_lines("Balans", "I insatsen har 19 kvinnor och 17 män deltagit, totalt 35 personer.")
    assert participant_passages(wrong) == []
    no_heading = text_lines(
        "Förbundet har under året arbetat brett med samverkan mellan parterna i länet.",
        "I insatsen har 19 kvinnor och 16 män deltagit, totalt 35 personer.",
    )
    assert participant_passages(no_heading) == []


def test_a_heading_over_several_interventions_counts_names_none_of_them():
    lines = text_lines(
        "Insatser",
        "",
        "Samverkansarenan är en insats. Under 2014 har 15 personer deltagit, varav 9 kvinnor och 6 män.",
        "",
        "Steget vidare är en insats. Under 2014 har 67 personer deltagit, varav 30 kvinnor och 37 män.",
    )
    assert participant_passages(lines) == []
    assert participant_passages(lines[:3])[0]["name"] == "Insatser"  # alone under it, the heading is its name


def test_a_count_table_about_staff_is_no_participant_table():
    lines = text_lines("Personal", "", "Personal\tKvinnor\tMän\tTotalt", "Anställda\t2\t1\t3")
    assert participant_tables(lines) == ([], [])


@pytest.mark.parametrize(
    "passage",
    [
        [
            "• Resursteamet: 116 deltagare, varav 42 kvinnor och 74 män",
            "• Bryggan: 94 deltagare, varav 54 kvinnor och 40 män",
        ],
        ["  •  Resursteamet: 116 deltagare (42 kvinnor, 74 män)", "  •  Bryggan: 94 deltagare (54 kvinnor, 40 män)"],
        [
            "I insatsen Resursteamet deltog under året 116 personer, 42 kvinnor och 74 män. Bryggan har haft 94",
            "deltagare (54 kvinnor, 40 män).",
        ],
    ],
)
def test_list_items_and_sentences_that_name_their_intervention_are_each_read_and_proven(passage):
    lines = text_lines("Deltagare i individinriktade insatser 2019", "", *passage, "")
    assert _counts(lines) == {"Resursteamet": (116, 42, 74), "Bryggan": (94, 54, 40)}


def test_a_named_sentence_whose_counts_do_not_add_up_is_left_out():
    lines = text_lines("Deltagare 2019", "", "• Resursteamet: 116 deltagare, varav 42 kvinnor och 70 män", "")
    assert _counts(lines) == {}


def test_a_column_of_words_after_the_counts_is_passed_over_and_page_numbers_are_no_rows():
    lines = text_lines(
        "Insats\tDeltagare (K/M)\tTyp",
        "Nya Vägar\t78 (69/9)\tIndivid",
        "Sida 7 av 8",
        "Hälsolotsen\t48 (6/42)\tIndividinriktad",
    )
    rows, left_out = participant_tables(lines)
    assert {r["name"]: r["participants_total"] for r in rows} == {"Nya Vägar": 78, "Hälsolotsen": 48}
    assert left_out == []


def test_a_header_over_two_lines_names_the_count_cells_and_a_cost_beside_them_is_no_count():
    lines = text_lines(
        "Insatser och deltagare",
        "Insats\tDeltagare\tKostnad",
        "\ttotalt (kv/män)\ttkr",
        "Samverkansteamet\t131 (86/45)\t1 411",
        "Vägen framåt\t22 (10/12)\t2 129",
    )
    assert _counts(lines) == {"Samverkansteamet": (131, 86, 45), "Vägen framåt": (22, 10, 12)}


@pytest.mark.parametrize(
    ("sentence", "name", "counts"),
    [
        ("Insatsen Uppstart hade under året 74 deltagare, varav 39 kvinnor och 35 män.", "Uppstart", (74, 39, 35)),
        ("I Balans deltog 8 kvinnor och 6 män, totalt 14 personer.", "Balans", (14, 8, 6)),
        ("Lots för unga tog under året emot 20 deltagare (10 kvinnor och 10 män).", "Lots för unga", (20, 10, 10)),
    ],
)
def test_a_sentence_names_its_intervention_by_its_subject(sentence, name, counts):
    assert _counts(text_lines("Deltagare 2023", "", sentence, "")) == {name: counts}


def test_a_sentence_about_the_year_or_the_forbund_names_no_intervention():
    lines = text_lines("Deltagare 2023", "", "Under året deltog 85 personer, 58 kvinnor och 27 män.", "")
    assert _counts(lines) == {}


def test_antal_heads_the_total_unless_it_counts_women_or_men():
    table = text_lines("Deltagare", "Namn på insats\tAntal\tKvinnor\tMän", "IPS Haninge\t70\t35\t35")
    other = text_lines("Deltagare", "Insats\tAntal kvinnor\tAntal män\tTotalt", "IPS Haninge\t35\t35\t70")
    assert _counts(table) == _counts(other) == {"IPS Haninge": (70, 35, 35)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Arbetsförmedlingen har anvisat 45 deltagare, varav 20 kvinnor och 25 män.",  # an organisation
        "Region Halland hade 45 deltagare, varav 20 kvinnor och 25 män.",
        "Resultat: 45 deltagare, varav 20 kvinnor och 25 män.",  # a word of the text, not a list item's name
    ],
)
def test_a_sentence_under_an_interventions_heading_is_that_intervention_whatever_its_subject(sentence):
    assert _counts(text_lines("Bryggan", "", sentence, "")) == {"Bryggan": (45, 20, 25)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Föregående år hade Bryggan 40 deltagare, varav 18 kvinnor och 22 män.",  # last year's counts
        "Förbundets insatser hade totalt 300 deltagare, varav 150 kvinnor och 150 män.",  # all of them together
    ],
)
def test_last_years_counts_and_the_forbunds_total_name_no_intervention(sentence):
    lines = text_lines("Deltagare 2023", "", "• Bryggan: 45 deltagare, varav 20 kvinnor och 25 män", "", sentence, "")
    assert _counts(lines) == {"Bryggan": (45, 20, 25)}


def test_a_list_whose_marks_a_pdf_lost_is_still_a_list_of_named_items():
    lines = text_lines(
        "Under året har följande individinriktade insatser finansierats:",
        "",
        "     Kraftkällan: 131 deltagare, varav 88 kvinnor och 43 män",
        "     Bryggan: 132 deltagare, varav 76 kvinnor och 56 män",
        "",
    )
    assert _counts(lines) == {"Kraftkällan": (131, 88, 43), "Bryggan": (132, 76, 56)}


def test_counts_a_cell_off_their_header_columns_are_read_in_order():
    """A scan's columns came apart one cell off the header's (`Insats | | Deltagare | Kvinnor | | Män` over
    `Bergslagsporten | | 56 | | 34 | 22`): women had been read as missing and the row left out; the row fills as
    many cells as the header names counts, so they are read in order."""
    lines = text_lines(
        "Deltagare i insatserna",
        "Insats\t\tDeltagare\tKvinnor\t\tMän",
        "Bergslagsporten\t\t56\t\t34\t22",
        "Stödcoach Storfors\t\t11\t\t7\t4",
    )
    assert _counts(lines) == {"Bergslagsporten": (56, 34, 22), "Stödcoach Storfors": (11, 7, 4)}
    # a count under a column of its own (`Varav nya`) is never moved into another's: women stay unknown here
    other_column = text_lines(
        "Deltagare i insatserna",
        "Insats\tDeltagare\tKvinnor\tMän\tVarav nya",
        "Stödcoach Storfors\t11\t\t7\t4",
    )
    assert _counts(other_column).get("Stödcoach Storfors", (11, None, 7))[1:] == (None, 7)


def test_a_row_printing_only_the_total_under_a_header_naming_the_split_lost_cells_and_is_left_out():
    """OCR ran a scan's rows together and left `Bryggan  130`, where 130 was the next row's total: under a header
    that names women and men, a row with only a total proves nothing."""
    split = text_lines(
        "Deltagare per insats",
        "Insats\tKvinnor\tMän\tTotalt",
        "Nästa steg\t102\t65\t167",
        "Bryggan\t\t\t130",
    )
    assert _proven_counts(split) == {"Nästa steg": (167, 102, 65)}


def _proven_counts(lines) -> dict[str, tuple]:
    rows, _ = counts_that_add_up(intervention_rows(lines)[0])
    return {
        r["name"]: (r["participants_total"], r["participants_women"], r["participants_men"])
        for r in rows
        if r["participants_total"] is not None
    }


def test_a_count_tables_header_names_no_intervention_for_the_counts_below_it():
    """`Insats  Kvinnor  Män  Totalt` is a header: a count in prose further down had been given to an intervention
    named `Kvinnor`. A name one space after the word still names one (`insatsen Bryggan`)."""
    for header in ("Insats\tKvinnor\tMän\tTotalt", "Insats      Kvinnor      Män      Totalt"):
        lines = text_lines(
            "Deltagare per insats",
            header,
            "Nästa steg\t102\t65\t167",
            "",
            "Bryggan",
            "Under året har 130 deltagare varit inskrivna i insatsen.",
        )
        assert "Kvinnor" not in _counts(lines)
    named = text_lines("Om insatsen Bryggan", "Under året har 130 deltagare varit inskrivna i insatsen.")
    assert _counts(named) == {"Bryggan": (130, None, None)}


def test_a_header_cell_naming_two_counts_heads_the_empty_cell_after_it():
    """`Antal deltagare varav kvinnor` set one space apart, over two columns (a text report by an outside writer):
    the two counts it names stand in it and the empty cell after it, so the women's 40 is no longer skipped."""
    lines = text_lines(
        "Deltagare per insats",
        "Finansierad insats\tAntal deltagare varav kvinnor\t\tvarav män",
        "Navet\t83\t40\t43",
        "Trappan\t128\t61\t67",
    )
    assert _counts(lines) == {"Navet": (83, 40, 43), "Trappan": (128, 61, 67)}


def test_a_table_counting_two_years_is_read_in_the_columns_of_the_reports_year():
    """`Kvinnor 2024 | Män 2024 | Totalt 2024 | Kvinnor 2023 | …`: each count named twice, the last column had
    won, and last year's counts (which add up as well) were loaded as this year's. The report's year picks its
    columns; where the header's years do not tell them apart, the table is left out."""
    header = "Insats\tKvinnor 2024\tMän 2024\tTotalt 2024\tKvinnor 2023\tMän 2023\tTotalt 2023"
    lines = text_lines("Deltagare i insatser 2024", header, "Resursteam Söderköping\t52\t27\t79\t34\t14\t48")
    rows, _ = intervention_rows(lines, 2024)
    assert [(r["participants_women"], r["participants_men"], r["participants_total"]) for r in rows] == [(52, 27, 79)]
    rows, _ = intervention_rows(lines, 2025)
    assert all(r["participants_total"] is None for r in rows)
    undated = text_lines(
        "Deltagare", "Insats\tKvinnor\tMän\tTotalt\tKvinnor\tMän\tTotalt", "Resursteam\t52\t27\t79\t34\t14\t48"
    )
    assert all(r["participants_total"] is None for r in intervention_rows(undated, 2024)[0])
    targets = text_lines(  # a reviewer's case: the year names the targets, the outcome columns name none
        "Deltagare",
        "Insats\tKvinnor mål 2024\tMän mål 2024\tTotalt mål 2024\tKvinnor utfall\tMän utfall\tTotalt utfall",
        "Resursteam\t30\t30\t60\t52\t27\t79",
    )
    assert all(r["participants_total"] is None for r in intervention_rows(targets, 2024)[0])


def test_a_pipe_tables_rule_row_names_no_intervention():
    """`|---|---|…|` under a pipe table's header had become an intervention named `---`, and every row after it was
    merged into it (an empty name is in every name)."""
    lines = text_lines(
        "Deltagare i insatser",
        "| Insats | Kvinnor 2024 | Män 2024 | Totalt 2024 | Kvinnor 2023 | Män 2023 | Totalt 2023 |",
        "|---|---|---|---|---|---|---|",
        "| Resursteam | 52 | 27 | 79 | 34 | 14 | 48 |",
        "| Unga till arbete | 67 | 28 | 95 | 39 | 31 | 70 |",
    )
    rows, _ = intervention_rows(lines, 2024)
    assert {r["name"]: r["participants_total"] for r in rows} == {"Resursteam": 79, "Unga till arbete": 95}


def test_a_name_part_ending_in_a_hyphen_goes_on_the_next_row_and_the_table_goes_on():
    """`Vårgårda-` over `Herrljunga  19  25  44` (a two-line cell): the line had ended the table and every row under
    it was lost. A word without a hyphen alone on its line ends the table: it is a heading as much as a name's
    last part (`Utbildningsnivå` over counts by education, never participants of interventions)."""
    lines = text_lines(
        "Deltagare i insatser 2023",
        "Insats\tTyp\tKvinnor\tMän\tTotalt",
        "Finsam Halmstad\tIndividinriktad\t54\t51\t105",
        "Vårgårda-",
        "Herrljunga\tIndividinriktad\t19\t25\t44",
        "Stegen Varberg\tIndividinriktad\t67\t8\t75",
        "Utbildningsnivå",
        "Grundskola\tIndividinriktad\t40\t30\t70",
    )
    assert _counts(lines) == {
        "Finsam Halmstad": (105, 54, 51),
        "Vårgårda-Herrljunga": (44, 19, 25),
        "Stegen Varberg": (75, 67, 8),
    }


def test_a_count_table_ends_at_the_next_numbered_heading_and_the_statement_under_it_names_no_intervention():
    """`1.3  Ekonomi / Finances` after the count table, then the income statement: its lines are no interventions,
    not even rows whose counts are left out."""
    lines = text_lines(
        "1.2  Deltagare / Participants",
        "Insats\tKvinnor\tMän\tTotalt",
        "Framsteget\t43\t36\t79",
        "Unga Jobb\t25\t40\t65",
        "",
        "1.3  Ekonomi / Finances",
        "Årets resultat: 823 188 kr.",
        "",
        "2  RESULTATRÄKNING / INCOME STATEMENT (kr)",
        "\tNot\t2015\t2014",
        "Medlemsavgifter\t1\t7 296 136\t6 883 380",
        "Insatser\t2\t-4 786 722\t-4 491 945",
    )
    rows, _ = intervention_rows(lines)
    assert [row["name"] for row in rows] == ["Framsteget", "Unga Jobb"]


@pytest.mark.parametrize(
    "header",
    [
        ["\t2023\t\t\t2022", "Insats\tKvinnor\tMän\tTotalt\tKvinnor\tMän\tTotalt"],  # the years over their groups
        ["\t\t\t2023\t\t\t2022", "Insats\tKvinnor\tMän\tTotalt\tKvinnor\tMän\tTotalt"],  # set centred, or further right
        ["Insats\t2023 Kvinnor\t2023 Män\t2023 Totalt\t2022 Kvinnor\t2022 Män\t2022 Totalt"],  # the year in each cell
        ["\t2022\t\t\t2023", "Insats\tKvinnor\tMän\tTotalt\tKvinnor\tMän\tTotalt"],  # last year first
    ],
)
def test_a_count_table_of_two_years_is_read_in_the_reports_years_columns(header):
    this_year_first = header[0].index("2023") < header[0].index("2022")
    rows = ["Steget\t20\t25\t45\t18\t20\t38", "Vägen ut\t10\t12\t22\t9\t9\t18"]
    if not this_year_first:
        rows = ["Steget\t18\t20\t38\t20\t25\t45", "Vägen ut\t9\t9\t18\t10\t12\t22"]
    lines = text_lines("Deltagare per insats", *header, *rows)
    rows_read, _ = intervention_rows(lines, 2023)
    assert {
        r["name"]: (r["participants_total"], r["participants_women"], r["participants_men"]) for r in rows_read
    } == {
        "Steget": (45, 20, 25),
        "Vägen ut": (22, 10, 12),
    }


def test_a_count_table_whose_groups_no_year_tells_apart_is_left_out_with_a_message():
    lines = text_lines(
        "Deltagare per insats", "Insats\tKvinnor\tMän\tTotalt\tKvinnor\tMän\tTotalt", "Steget\t20\t25\t45\t18\t20\t38"
    )
    rows, _ = intervention_rows(lines, 2023)
    assert all(r["participants_total"] is None for r in rows)
    from finsam_pipeline.parse.interventions import intervention_reading

    assert any("does not tell 2023's apart" in message for message in intervention_reading(lines, 2023)[2])
