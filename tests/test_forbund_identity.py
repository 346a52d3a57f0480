"""Who wrote a report: its own name wins over every förbund it only mentions."""

import pytest

from finsam_pipeline.extract import TextLine
from finsam_pipeline.parse.forbund import identify_forbund, mentions_in_line


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
