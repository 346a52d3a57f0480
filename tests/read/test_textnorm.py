"""Folding: the one key every parser matches Swedish text by, whatever letters and spaces a report used."""

import pytest

from finsam_pipeline.read.textnorm import fold, normalise_unicode


@pytest.mark.parametrize(
    ("printed", "folded"),
    [
        (
            "Årsredovisning för Samordningsförbundet Östra Skaraborg",
            "arsredovisning for samordningsforbundet ostra skaraborg",
        ),
        ("ÄRSREDOVISNING 2023", "arsredovisning 2023"),
        ("Ærø Café Müller Crème", "aro cafe muller creme"),
        ("A\u030arsredovisning", "arsredovisning"),  # å written as a + combining ring
        ("\ufb01nansiell\u00a0samordning", "finansiell samordning"),
        ("Resultat\u200b\u2212 12\u202f345", "resultat 12 345"),
        ("  Belopp i tkr:  ", "belopp i tkr"),
        ("", ""),
    ],
)
def test_fold(printed, folded):
    assert fold(printed) == folded


def test_normalise_unicode_keeps_plain_text_and_makes_exotic_spaces_and_minus_plain():
    assert normalise_unicode("Belopp i tkr") == "Belopp i tkr"
    assert normalise_unicode("12\u00a0345 \u2212 6\u202f000 e\ufb00ekt") == "12 345 - 6 000 effekt"
