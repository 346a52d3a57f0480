"""The shared text rules: whole words, OCR digits inside words, and what counts as a year."""

from finsam_pipeline.parse.goals import assessment_of
from finsam_pipeline.parse.indicators import indicator_for
from finsam_pipeline.parse.text_helpers import YEAR


def test_a_grouped_amount_is_never_a_year():
    assert YEAR.findall("Kompetenshöjande insatser 2 024 1 995 000") == []
    assert YEAR.findall("Utfall 2024   Utfall 2023") == ["2024", "2023"]


def test_an_indicator_keyword_matches_whole_words_only():
    assert indicator_for("Deltagarna bemöttes med respekt") == indicator_for("respekt")
    assert indicator_for("Svaren redovisas för respektive insats") is None


def test_an_ocr_digit_inside_a_word_does_not_change_the_goal_assessment():
    assert assessment_of("Målet är till 6vervagande del uppfyllt") == "delvis_uppfyllt"
    assert assessment_of("Målet är till övervägande del uppfyllt") == "delvis_uppfyllt"
