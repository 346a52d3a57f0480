"""Who wrote a report: its own name wins over every förbund it only mentions."""

import pytest

from finsam_pipeline.parse.classify import classify
from finsam_pipeline.parse.forbund import identify_forbund, mentions_in_line
from finsam_pipeline.read.extract import TextLine


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(i + 1, None, t) for i, t in enumerate(texts)]


_BODY_MENTIONING_OTHERS = [
    "Förbundet samarbetar med Samordningsförbundet Halland och Samordningsförbundet Halland i flera projekt.",
    "Vi värnar om samverkan, och värna är ett ord vi använder; Samordningsförbundet Göteborg deltar.",
    "Samordningsförbundet Göteborg och Samordningsförbundet Halland har liknande insatser.",
] * 3


@pytest.mark.parametrize(
    ("title", "expected_id", "expected_name", "registered"),
    [
        ("Samordningsförbundet Mälardalen Syd", "malardalen_syd", "Samordningsförbundet Mälardalen Syd", False),
        ("Norrtäljes samordningsförbund", "norrtalje", "Norrtäljes samordningsförbund", False),
        ("Samordningsförbundet i Kalmar län", "kalmar_lan", "Samordningsförbundet i Kalmar län", False),
        ("Finsam Gotland", "gotland", "Finsam Gotland", False),
        ("Västerbergslagens Samordningsförbund", "vasterbergslagen", "Västerbergslagens Samordningsförbund", True),
    ],
)
def test_the_title_name_wins_over_registered_forbund_mentioned_more_often(
    title, expected_id, expected_name, registered
):
    lines = _lines("Årsredovisning 2023", title, "", *_BODY_MENTIONING_OTHERS, f"Styrelsen för {title}")
    identity = identify_forbund(lines, 2023)
    assert (identity.forbund_id, identity.forbund_name, identity.in_registry) == (
        expected_id,
        expected_name,
        registered,
    )


@pytest.mark.parametrize(
    "form",
    ["Samordningsförbundet Kalmar län", "Kalmar läns samordningsförbund", "Samordningsförbundet i Kalmar län"],
)
def test_an_unregistered_forbund_keeps_one_id_in_every_name_form(form):
    identity = identify_forbund(_lines("Årsredovisning 2024", form, "Text om verksamheten."), 2024)
    assert identity.forbund_id == "kalmar_lan" and not identity.in_registry


def test_a_common_word_never_names_a_forbund():
    assert mentions_in_line("Vi värnar om deltagarna och VärNa-modellen är känd.") == ()
    assert mentions_in_line("Samtliga samordningsförbund i länet deltog.") == ()


def test_a_signature_place_after_a_comma_is_not_part_of_the_name():
    found = mentions_in_line("Styrelsen för Samordningsförbundet Sjuhärad, Borås den 12 mars 2024")
    assert [key for _, key in found] == [("sjuharad",)]


def test_a_list_of_kommuner_in_a_name_is_kept_whole():
    found = mentions_in_line("Samordningsförbundet Huddinge, Botkyrka och Salem har fyra medlemmar")
    assert found[0][0] == "Samordningsförbundet Huddinge, Botkyrka och Salem"


def test_a_predecessor_mentioned_in_the_text_does_not_take_a_later_years_report():
    lines = _lines(
        "Årsredovisning 2023",
        "Finsam Falun och Finsam Borlänge slogs samman. Finsam Falun var störst. Finsam Falun.",
        "Samordningsförbundet Finsam Falun - Borlänge bildades 1 januari 2023.",
    )
    assert identify_forbund(lines, 2023).forbund_id == "falun_borlange"


def test_a_printed_organisation_number_known_to_the_registry_decides():
    lines = _lines(
        "Årsredovisning 2023",
        "Samordningsförbundet Halland samarbetar med oss.",
        "Org.nr 222000-1735",
    )
    assert identify_forbund(lines, 2023).forbund_id == "vasterbergslagen"


def test_no_name_at_all_identifies_nothing():
    assert identify_forbund(_lines("Årsredovisning 2023", "Förbundet har haft ett bra år."), 2023).forbund_id is None


# --- names by structure: the forms reports print, wherever the registry's spelling differs -------------------------

_PROSE_NAMING_NEIGHBOURS = [
    "Förbundschefen har haft ett erfarenhetsutbyte med Sjuhärads samordningsförbund kring uppföljning.",
    "I likhet med Samordningsförbundet Centrala Östergötland har förbundet tagit fram en ny verksamhetsplan.",
    "Under hösten gjorde styrelsen ett studiebesök hos Samordningsförbundet Centrala Östergötland.",
]


@pytest.mark.parametrize(
    ("title", "expected_id"),
    [
        ("Samordningsförbund Gävleborg", "gavleborg"),  # the marker before the name, without -et
        ("Samordningsförbund Östra Södertörn", "ostra_sodertorn"),
        ("VärNa samordningsförbund", "varna"),  # a name with capitals inside it before the marker
        ("Samordningsförbund RAR i Sörmland", "rar_sormland"),  # an acronym that places itself with `i`
        ("SAMORDNINGSFÖRBUNDET GÄVLEBORG ÅRSREDOVISNING 2020", "gavleborg"),  # a title in capitals
    ],
)
def test_the_title_in_every_name_form_wins_over_neighbours_the_prose_names(title, expected_id):
    lines = _lines(title, "", "Årsredovisning 2020", "", *_PROSE_NAMING_NEIGHBOURS)
    assert identify_forbund(lines, 2020).forbund_id == expected_id


@pytest.mark.parametrize(
    ("cover", "expected_id"),
    [
        (("Samordningsförbundet Östra", "", "Östergötland"), "ostra_ostergotland"),  # not cut after a direction
        (("Samordningsförbund", "", "Västerbergslagen"), "vasterbergslagen"),  # the marker alone on its line
        (("Västerbergslagens", "Samordningsförbund"), "vasterbergslagen"),
    ],
)
def test_a_name_a_cover_sets_over_two_lines_is_read_whole(cover, expected_id):
    lines = [TextLine(i + 1, 1, text) for i, text in enumerate((*cover, "Årsredovisning 2020"))]
    lines += [TextLine(10 + i, 2, text) for i, text in enumerate(_PROSE_NAMING_NEIGHBOURS)]
    assert identify_forbund(lines, 2020).forbund_id == expected_id


def test_an_address_after_the_name_is_not_part_of_it():
    found = mentions_in_line("Samordningsförbundet Uppsala län Storgatan 27, 751 85 Uppsala")
    assert found == (("Samordningsförbundet Uppsala län", ("uppsala", "lan")),)


def test_an_acronym_beside_the_full_name_still_finds_the_registered_forbund():
    identity = identify_forbund(_lines("Samordningsförbundet SVM Västra Mälardalen", "Årsredovisning 2021"), 2021)
    assert (identity.forbund_id, identity.in_registry) == ("vastra_malardalen", True)


def test_a_title_naming_a_forbund_outside_its_registry_years_keeps_it_and_warns():
    # Norrköpings Samordningsförbund is registered until 2009-03-31; the report names itself so for 2012.
    lines = _lines("Norrköpings Samordningsförbund", "Årsredovisning 2012", "", *_PROSE_NAMING_NEIGHBOURS)
    identity = identify_forbund(lines, 2012)
    assert identity.forbund_id == "norrkoping"
    assert [name for name, _ in identity.warnings] == ["forbund_outside_validity"]


# --- how strong the evidence is: only a title, running headers on several pages or an org number decide ----------


def test_a_title_on_the_cover_is_strong_evidence():
    identity = identify_forbund(_lines("Samordningsförbundet Halland", "Årsredovisning 2023", "Text."), 2023)
    assert identity.strong and identity.warnings == ()


def test_a_forbund_found_only_in_prose_is_flagged_uncertain():
    lines = _lines("Årsredovisning 2023", "", "Vi har samarbetat med Samordningsförbundet Halland under året.")
    identity = identify_forbund(lines, 2023)
    assert identity.forbund_id == "halland" and not identity.strong
    assert [name for name, _ in identity.warnings] == ["forbund_uncertain"]


def _pages(*pages: list[str]) -> list[TextLine]:
    lines, number = [], 0
    for page, texts in enumerate(pages, 1):
        for text in texts:
            number += 1
            lines.append(TextLine(number, page, text))
    return lines


def test_one_running_header_is_weak_and_the_same_header_on_two_pages_is_strong():
    cover = ["Årsredovisning 2023"]
    body = ["Förbundet har haft ett bra år med många deltagare i insatserna."]
    header = "Samordningsförbundet Halland"
    once = identify_forbund(_pages(cover, [header, *body], body), 2023)
    twice = identify_forbund(_pages(cover, [header, *body], [header, *body]), 2023)
    assert once.forbund_id == twice.forbund_id == "halland"
    assert [name for name, _ in once.warnings] == ["forbund_uncertain"] and not once.strong
    assert twice.strong and twice.warnings == ()


def test_a_running_header_with_a_file_number_gives_the_type_and_year():
    header = "Dnr Årsredovisning 2016 Beslutad av styrelsen 2017-03-29 Sida {}"
    lines = _pages(
        [header.format(1), "Samordningsförbundet Halland", "Förbundet har haft ett bra år."],
        [header.format(2), "Samordningsförbundet har fyra medlemmar."],
    )
    kind = classify(lines, statement_year=None, has_statements=False)
    assert (kind.document_type, kind.fiscal_year) == ("arsredovisning", 2016)


def test_a_cover_line_going_on_after_its_title_gives_the_year_and_an_adoption_sentence_does_not():
    """`Årsredovisning för räkenskapsåret 2022 – Samordningsförbundet Göteborg, org.nr …` is a title too long to
    be one whole; `Årsredovisningen godkändes av styrelsen den 10 mars 2023.` is a sentence, whose year had been
    taken for the report's (a 2022 report loaded as 2023 would supersede the förbund's real 2023 report)."""
    lines = _lines(
        "Finsam Göteborg",
        "Årsredovisning för räkenskapsåret 2022 – Samordningsförbundet Göteborg, org.nr 222000-3178",
        "Förbundet bildades den 1 juli 2019.",
        "Årsredovisningen godkändes av styrelsen den 10 mars 2023.",
    )
    assert classify(lines, statement_year=None, has_statements=False).fiscal_year == 2022
    sentence_first = _lines("Finsam Göteborg", *[line.text for line in lines[2:]], "Årsredovisning 2022")
    assert classify(sentence_first, statement_year=None, has_statements=False).fiscal_year == 2022


@pytest.mark.parametrize(
    "title",
    [
        "Årsredovisning fastställd av styrelsen 2022-03-15 – Samordningsförbundet Västra Mälardalen",
        "Årsredovisning Samordningsförbundet Västra Mälardalen 222000-2014 – räkenskapsåret 2021",
        "Årsredovisningen godkändes av styrelsen den 10 mars 2023",  # a sentence wrapped before its full stop
    ],
)
def test_a_date_or_an_organisation_number_in_a_title_is_not_the_reports_year(title):
    """The day something was done and an organisation number's last four digits name no year the report is for
    (the reviewer's probes had 2022 and 2014 for a report of 2021); a period's first or last day does."""
    lines = _lines("Samordningsförbundet Västra Mälardalen", title, "och överlämnas till medlemmarna.")
    assert classify(lines, statement_year=2021, has_statements=True).fiscal_year == 2021
    period = _lines("Samordningsförbundet Västra Mälardalen", "Årsredovisning 2022-01-01 – 2022-12-31")
    assert classify(period, statement_year=None, has_statements=True).fiscal_year == 2022


_HEADER_PAGES = ["", "Sida {n}", "{header}  |  Årsredovisning 2024", "Förbundet finansierar insatser."]


def _with_running_header(title: list[str], header: str) -> list[TextLine]:
    pages = [line.format(n=n, header=header) for n in range(2, 8) for line in _HEADER_PAGES]
    return _lines(*title, "Årsredovisning 2024", *pages)


@pytest.mark.parametrize(
    ("title", "header", "expected_id"),
    [
        # the acronym declared beside the registered name counts for it in every running header
        (["Samordningsförbundet Huddinge, Botkyrka och Salem (HBS)"], "Samordningsförbundet HBS",
         "huddinge_botkyrka_och_salem"),
        # an acronym of the initials of the registered name on the title page
        (["Samordningsförbundet Sollentuna, Upplands Väsby och Sigtuna"], "Samordningsförbundet SUVS",
         "sollentuna_upplands_vasby_och_sigtuna"),
        # a registered acronym declared before a full name the registry does not know
        (["VärNa – Samordningsförbundet Värmdö och Nacka"], "VärNa – Samordningsförbundet Värmdö och Nacka", "varna"),
        # initials that are no other name's stay their own förbund: no registered name is ever taken over
        (["Samordningsförbundet Halland"], "Samordningsförbundet SUVS", "suvs"),
        # a registered acronym beside a full name of other kommuner than its members is not that förbund
        (["Samordningsförbundet Värnamo och Nässjö (VärNa)"], "Samordningsförbundet Värnamo och Nässjö",
         "varnamo_nassjo"),
    ],
)
def test_an_acronym_the_report_ties_to_a_full_name_is_one_forbund_with_it(title, header, expected_id):
    assert identify_forbund(_with_running_header(title, header), 2024).forbund_id == expected_id


@pytest.mark.parametrize(
    ("title", "expected_id"),
    [("Samordningsforbundet Uppsala lan", "uppsala_lan"), ("Samordningsforbundet i Kalmar lan", "kalmar_lan")],
)
def test_a_name_printed_without_swedish_letters_keeps_its_lan(title, expected_id):
    """A report written without å, ä and ö (`Uppsala lan`) had lost `län` from its name and become a förbund
    `uppsala` of its own, apart from Samordningsförbundet Uppsala län's other reports."""
    lines = _lines(title, "Box 971, 621 95 Uppsala", "", "ARSREDOVISNING 2020", *_BODY_MENTIONING_OTHERS)
    assert identify_forbund(lines, 2020).forbund_id == expected_id
