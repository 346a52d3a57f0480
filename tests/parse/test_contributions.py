"""Member contributions from reports of förbund never seen: payers in any wording, tables in any
dress, amounts in kr or tkr, `Kommunen` named only when the document or the registry settles it.

The texts are small hand-written reports; the expectations are read off the texts by hand
(kommun codes from the official list in assets/reference/kommuner.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from finsam_pipeline.parse.contributions import Payer, member_contribution_rows, payer, sole_member_kommun
from finsam_pipeline.parse.sections import find_sections
from finsam_pipeline.parse.statements import note_lines, note_titles_of, statement_facts
from finsam_pipeline.parse.vocabulary import REFERENCE_DIR
from finsam_pipeline.read.extract import extract
from finsam_pipeline.read.files import SourceFile


def _read(
    text: str, year: int, forbund_id: str | None = None, suffix: str = ".txt", forbund_name: str | None = None
) -> list[dict]:
    lines = extract(SourceFile(path=Path(f"report{suffix}"), content=text.encode("utf-8"))).lines
    sections = find_sections(lines)
    facts, _, _ = statement_facts(lines, note_titles_of(sections))
    notes, _ = note_lines(lines, sections, facts)
    return member_contribution_rows(lines, sections, facts, notes, year, forbund_id, forbund_name)


def _of_year(rows: list[dict], year: int) -> list[tuple[str, str | None, int]]:
    return sorted(
        ((r["contributor_type"], r["kommun_code"], r["amount_sek"]) for r in rows if r["fiscal_year"] == year),
        key=lambda row: (row[0], row[1] or "", row[2]),
    )


# --- every municipality by its official name ------------------------------------------------


def _kommuner() -> list[tuple[str, str]]:
    with (REFERENCE_DIR / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["kommun_name"], row["kommun_code"]) for row in csv.DictReader(handle)]


def test_the_official_list_has_290_kommuner():
    assert len(_kommuner()) == 290


@pytest.mark.parametrize(("name", "code"), _kommuner())
def test_every_kommun_resolves_by_name_and_genitive(name, code):
    genitive = name if name[-1] in "sxz" else name + "s"  # Borås kommun, Halmstads kommun
    for written in (
        f"{name} kommun",
        f"{genitive} kommun",
        f"Driftbidrag från {genitive} kommun",
        f"Medlemsavgift {genitive} kommun",
        f"{genitive} stad",
        f"{name.upper()} KOMMUN",
        name,  # a list of payers under `Kommuner`
    ):
        assert payer(written) == Payer("municipality", code), written


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Halmstads kommun", "1380"),
        ("Uppsala kommun", "0380"),  # no genitive s
        ("Kalmar kommun", "0880"),
        ("Borås stad", "1490"),
        ("Göteborgs Stad", "1480"),
        ("Stockholms stad", "0180"),
        ("Falu kommun", "2080"),  # the old genitive
        ("Dals Eds kommun", "1438"),
        ("Malungs kommun", "2023"),  # the name before Malung-Sälen
        ("Ale kommun", "1440"),  # a prefix of Alingsås
        ("Alingsås kommun", "1489"),
        ("Kalix kommun", "2514"),
        ("Överkalix kommun", "2513"),
        ("Håbo kommun", "0305"),  # Håbo and Habo fold to the same letters
        ("Habo kommun", "0643"),
        ("HÅBO KOMMUN", "0305"),
        ("Lilla Edets kommun", "1462"),
        ("Upplands-Bro kommun", "0139"),
        ("Upplands Väsby kommun", "0114"),
        ("Vara kommun", "1470"),
        ("Marks kommun", "1463"),
        ("Driftbidrag från Hagfors kommun", "1783"),
        ("Driftbidrag fran Hagfors kommun", "1783"),  # OCR without Swedish letters
        ("Driftbidrag från Hagfors", "1783"),
        ("varav Halmstads kommun", "1380"),
    ],
)
def test_municipality_names_match_whole_names(written, code):
    assert payer(written).kind == "municipality"
    assert payer(written).kommun_code == code


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Försäkringskassan", "state"),
        ("Staten genom Försäkringskassan", "state"),
        ("Staten", "state"),
        ("Arbetsförmedlingen", "state"),
        ("Driftbidrag från staten/Försäkringskassan", "state"),
        ("Statligt bidrag", "state"),
        ("Forsdkringskassan", "state"),  # OCR
        ("Medlemsavgift Region Halland", "region"),
        ("Västra Götalandsregionen", "region"),
        ("Landstinget Sörmland", "region"),
        ("Region Uppsala", "region"),  # not Uppsala kommun
        ("Uppsala läns landsting", "region"),
        ("Region Jönköpings län", "region"),
        ("Region Gotland", "region"),
        ("Driftbidrag från landsting/region", "region"),
        ("ESF-rådet", "eu"),
        ("Europeiska socialfonden", "eu"),
        ("Övriga intäkter", "other"),
        ("Ränteintäkter", "other"),
    ],
)
def test_payer_types_and_no_code_outside_municipalities(written, kind):
    assert payer(written).kind == kind
    assert payer(written).kommun_code is None


@pytest.mark.parametrize(
    "written",
    [
        "Ludvika och Smedjebackens kommuner",  # two payers on one line
        "Ludvika/Smedjebackens kommun",
        "Kommunerna",
        "Bidrag från Halmstads kommun för mark",  # a second name (Mark) on the line: not settled
        "Kommunen",
    ],
)
def test_a_line_that_names_no_single_municipality_gets_no_code(written):
    assert payer(written).kind == "municipality"
    assert payer(written).kommun_code is None


# --- notes in any dress ---------------------------------------------------------------------

TAB_NOTE = """Samordningsförbundet Halland Syd
Årsredovisning 2024

Resultaträkning
Belopp i kr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t4 600 000\t4 400 000
Verksamhetens kostnader\t3\t-4 500 000\t-4 300 000
Årets resultat\t\t100 000\t100 000

Noter

Not 2 Verksamhetens intäkter
\t2024\t2023
Staten genom Försäkringskassan\t2 300 000\t2 200 000
Medlemsavgift Region Halland\t1 150 000\t1 100 000
Halmstads kommun\t900 000\t860 000
Hylte kommun\t250 000\t240 000
Summa\t4 600 000\t4 400 000

Not 3 Verksamhetens kostnader
\t2024\t2023
Personalkostnader\t-4 500 000\t-4 300 000
"""

PIPE_NOTE = """Resultaträkning

| Belopp i kr | Not | 2024 | 2023 |
|---|---|---|---|
| Verksamhetens intäkter | 1 | 6 000 000 | 5 800 000 |
| Verksamhetens kostnader | 2 | -5 900 000 | -5 700 000 |

Noter

Not 1 Medlemsavgifter

| | 2024 | 2023 |
|---|---|---|
| Försäkringskassan | 1 500 000 | 1 450 000 |
| Arbetsförmedlingen | 1 500 000 | 1 450 000 |
| Västra Götalandsregionen | 1 500 000 | 1 450 000 |
| Borås Stad | 900 000 | 870 000 |
| Marks kommun | 350 000 | 340 000 |
| Bollebygds kommun | 250 000 | 240 000 |
| Summa | 6 000 000 | 5 800 000 |

Not 2 Verksamhetens kostnader
"""

ALIGNED_NOTE = """                                RESULTATRÄKNING
   Belopp i kr                               Not          2024          2023
   Verksamhetens intäkter                      2     3 000 000     2 900 000
   Verksamhetens kostnader                     3    -2 950 000    -2 800 000

   Not 2   Verksamhetens intäkter
                                                          2024          2023
   Staten                                            1 500 000     1 450 000
   Region Kalmar län                                   750 000       725 000
   Kalmar kommun                                       500 000       480 000
   Driftbidrag från Nybro kommun                       250 000       245 000
   Summa                                             3 000 000     2 900 000

   Not 3   Verksamhetens kostnader
"""

OCR_NOTE = """Resultatrakning
Belopp i kr Not 2024 2023
Verksamhetens intakter 2 2 400 000 2 300 000

Not 2. Verksamhetens intakter
2024 2023
Driftbidrag fran staten 1 200 000 1 150 000
Driftbidrag fran Region Varmland 600 000 575 000
Driftbidrag fran Hagfors kommun 600 000 575 000
Summa 2 400 000 2 300 000
Not 3. Verksamhetens kostnader
"""


@pytest.mark.parametrize(
    ("text", "suffix", "expected_2024", "expected_2023"),
    [
        (
            TAB_NOTE,
            ".txt",
            [
                ("municipality", "1315", 250_000),
                ("municipality", "1380", 900_000),
                ("region", None, 1_150_000),
                ("state", None, 2_300_000),
            ],
            [
                ("municipality", "1315", 240_000),
                ("municipality", "1380", 860_000),
                ("region", None, 1_100_000),
                ("state", None, 2_200_000),
            ],
        ),
        (
            PIPE_NOTE,
            ".md",
            [
                ("municipality", "1443", 250_000),
                ("municipality", "1463", 350_000),
                ("municipality", "1490", 900_000),
                ("region", None, 1_500_000),
                ("state", None, 1_500_000),
                ("state", None, 1_500_000),
            ],
            [
                ("municipality", "1443", 240_000),
                ("municipality", "1463", 340_000),
                ("municipality", "1490", 870_000),
                ("region", None, 1_450_000),
                ("state", None, 1_450_000),
                ("state", None, 1_450_000),
            ],
        ),
        (
            ALIGNED_NOTE,
            ".txt",
            [
                ("municipality", "0880", 500_000),
                ("municipality", "0881", 250_000),
                ("region", None, 750_000),
                ("state", None, 1_500_000),
            ],
            [
                ("municipality", "0880", 480_000),
                ("municipality", "0881", 245_000),
                ("region", None, 725_000),
                ("state", None, 1_450_000),
            ],
        ),
        (
            OCR_NOTE,
            ".txt",
            [("municipality", "1783", 600_000), ("region", None, 600_000), ("state", None, 1_200_000)],
            [("municipality", "1783", 575_000), ("region", None, 575_000), ("state", None, 1_150_000)],
        ),
    ],
    ids=["tab", "pipe", "aligned", "ocr"],
)
def test_a_revenue_note_in_any_dress(text, suffix, expected_2024, expected_2023):
    rows = _read(text, 2024, suffix=suffix)
    assert _of_year(rows, 2024) == expected_2024
    assert _of_year(rows, 2023) == expected_2023
    assert all(r["note_no"] is not None for r in rows)


def test_a_breakdown_with_varav_counts_the_parts_not_the_whole():
    text = """Resultaträkning
Belopp i kr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t4 005 000\t4 002 000

Not 2 Verksamhetens intäkter
\t2024\t2023
Medlemsavgifter\t4 000 000\t4 000 000
varav Försäkringskassan\t2 000 000\t2 000 000
varav Region Örebro län\t1 000 000\t1 000 000
varav Örebro kommun\t1 000 000\t1 000 000
Ränteintäkter\t5 000\t2 000
Summa\t4 005 000\t4 002 000
"""
    assert _of_year(_read(text, 2024), 2024) == [
        ("municipality", "1880", 1_000_000),
        ("other", None, 5_000),
        ("region", None, 1_000_000),
        ("state", None, 2_000_000),
    ]


def test_a_payer_with_its_own_varav_parts_is_counted_once():
    text = """Resultaträkning
Belopp i kr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t3 000 000\t3 000 000

Not 2 Verksamhetens intäkter
\t2024\t2023
Försäkringskassan\t2 000 000\t2 000 000
Lunds kommun\t1 000 000\t1 000 000
varav projektmedel\t200 000\t200 000
Summa\t3 000 000\t3 000 000
"""
    assert _of_year(_read(text, 2024), 2024) == [("municipality", "1281", 1_000_000), ("state", None, 2_000_000)]


# --- the unit question ----------------------------------------------------------------------

_STATEMENT_KR = """Resultaträkning
Belopp i kr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t4 000 000\t3 900 000
Verksamhetens kostnader\t3\t-3 800 000\t-3 700 000
"""
_STATEMENT_TKR = """Resultaträkning
Belopp i tkr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t4 000\t3 900
Verksamhetens kostnader\t3\t-3 800\t-3 700
"""
_PAYERS_TKR = """Staten genom Försäkringskassan\t2 000\t1 950
Region Halland\t1 000\t975
Laholms kommun\t1 000\t975
Summa\t4 000\t3 900
"""
_PAYERS_KR = """Staten genom Försäkringskassan\t2 000 000\t1 950 000
Region Halland\t1 000 000\t975 000
Laholms kommun\t1 000 000\t975 000
Summa\t4 000 000\t3 900 000
"""
_IN_KRONOR_2024 = [("municipality", "1381", 1_000_000), ("region", None, 1_000_000), ("state", None, 2_000_000)]
_IN_KRONOR_2023 = [("municipality", "1381", 975_000), ("region", None, 975_000), ("state", None, 1_950_000)]


@pytest.mark.parametrize(
    "text",
    [
        # the note's title states tkr, the statement is in kr: the note's sum meets the statement in tkr
        _STATEMENT_KR + "\nNot 2 Verksamhetens intäkter (tkr)\n\t2024\t2023\n" + _PAYERS_TKR,
        # a unit cell in the header
        _STATEMENT_KR + "\nNot 2 Verksamhetens intäkter\nTkr\t2024\t2023\n" + _PAYERS_TKR,
        # a line above the table
        _STATEMENT_KR + "\nNot 2 Verksamhetens intäkter\nBelopp i tkr\n\t2024\t2023\n" + _PAYERS_TKR,
        # a line below the table
        _STATEMENT_KR + "\nNot 2 Verksamhetens intäkter\n\t2024\t2023\n" + _PAYERS_TKR + "Beloppen anges i tkr\n",
        # once for the whole notes section
        _STATEMENT_KR
        + "\nNoter\nBelopp i tkr om inget annat anges\n\nNot 2 Verksamhetens intäkter\n\t2024\t2023\n"
        + _PAYERS_TKR,
        # everything in tkr: scaled once, not twice
        _STATEMENT_TKR + "\nNot 2 Verksamhetens intäkter\nBelopp i tkr\t2024\t2023\n" + _PAYERS_TKR,
        # the statement in tkr, the note in kr
        _STATEMENT_TKR + "\nNot 2 Verksamhetens intäkter\nBelopp i kr\t2024\t2023\n" + _PAYERS_KR,
        _STATEMENT_TKR + "\nNot 2 Verksamhetens intäkter\n\t2024\t2023\n" + _PAYERS_KR,
        # both in kr
        _STATEMENT_KR + "\nNot 2 Verksamhetens intäkter\n\t2024\t2023\n" + _PAYERS_KR,
    ],
    ids=[
        "title-tkr",
        "header-cell-tkr",
        "line-above-tkr",
        "line-below-tkr",
        "notes-section-tkr",
        "all-tkr",
        "statement-tkr-note-kr-stated",
        "statement-tkr-note-kr",
        "all-kr",
    ],
)
def test_the_note_is_read_in_its_own_unit_and_scaled_once(text):
    rows = _read(text, 2024)
    assert _of_year(rows, 2024) == _IN_KRONOR_2024
    assert _of_year(rows, 2023) == _IN_KRONOR_2023


def test_a_note_in_kronor_is_not_scaled_by_a_statement_misread_a_thousandfold():
    text = """Resultaträkning
Belopp i tkr\tNot\t2024
Verksamhetens intäkter\t2\t4 000 000

Not 2 Verksamhetens intäkter
\t2024
Försäkringskassan\t4 000 000
Summa\t4 000 000
"""
    assert _of_year(_read(text, 2024), 2024) == [("state", None, 4_000_000)]


# --- the financing text, when no note lists payers -------------------------------------------


def _financing(body: str) -> str:
    return f"Samordningsförbundet Södra Kalmar län\nÅrsredovisning 2024\n\nFinansiering\n\n{body}\n\nVerksamhetsidé\n"


_FINANCED_2024 = [
    ("municipality", "0862", 150_000),
    ("municipality", "0881", 350_000),
    ("region", None, 500_000),
    ("state", None, 1_000_000),
]


@pytest.mark.parametrize(
    ("body", "suffix"),
    [
        (
            "Förbundet finansieras av medlemmarna enligt lagen om finansiell samordning. Årets tilldelning "
            "fördelas enligt nedan.\n\nFörsäkringskassan\t1 000 000\nRegion Kalmar län\t500 000\n"
            "Nybro kommun\t350 000\nEmmaboda kommun\t150 000\nEget kapital från tidigare år\t800 000",
            ".txt",
        ),
        (
            "| Finansiär | Belopp |\n|---|---|\n| Staten genom Försäkringskassan | 1 000 000 |\n"
            "| Region Kalmar län | 500 000 |\n| Nybro kommun | 350 000 |\n| Emmaboda kommun | 150 000 |\n"
            "| Summa | 2 000 000 |",
            ".md",
        ),
        (
            "   Staten                                   1 000 000\n"
            "   Region Kalmar län                          500 000\n"
            "   Nybro kommun                               350 000\n"
            "   Emmaboda kommun                            150 000",
            ".txt",
        ),
        (
            "- Försäkringskassan: 1 000 000 kr\n- Region Kalmar län: 500 000 kr\n- Nybro kommun: 350 000 kr\n"
            "- Emmaboda kommun: 150 000 kr",
            ".txt",
        ),
        # tkr: a line above, a header cell, the cells, a line below, the heading, the stated total
        (
            "Belopp i tkr\nFörsäkringskassan\t1 000\nRegion Kalmar län\t500\nNybro kommun\t350\nEmmaboda kommun\t150",
            ".txt",
        ),
        (
            "Finansiär\tBelopp (tkr)\nStaten\t1 000\nRegion Kalmar län\t500\nNybro kommun\t350\nEmmaboda kommun\t150",
            ".txt",
        ),
        ("Staten\t1 000 tkr\nRegion Kalmar län\t500 tkr\nNybro kommun\t350 tkr\nEmmaboda kommun\t150 tkr", ".txt"),
        ("Staten\t1 000\nRegion Kalmar län\t500\nNybro kommun\t350\nEmmaboda kommun\t150\n(tkr)", ".txt"),
        (
            "Årets tilldelning från medlemmarna uppgick till 2 000 tkr och fördelades enligt nedan mellan "
            "parterna.\nStaten\t1 000\nRegion Kalmar län\t500\nNybro kommun\t350\nEmmaboda kommun\t150",
            ".txt",
        ),
        (
            "Årets tilldelning från medlemmarna uppgick till 2 000 tkr och fördelades enligt nedan mellan "
            "parterna.\nStaten\t1 000 000\nRegion Kalmar län\t500 000\nNybro kommun\t350 000\nEmmaboda kommun\t150 000",
            ".txt",
        ),
    ],
    ids=[
        "tab",
        "pipe",
        "aligned",
        "bullets-kr",
        "line-above-tkr",
        "header-tkr",
        "cells-tkr",
        "line-below-tkr",
        "stated-total-tkr",
        "stated-total-kr",
    ],
)
def test_the_financing_list_in_any_dress_and_unit(body, suffix):
    rows = _read(_financing(body), 2024, suffix=suffix)
    assert _of_year(rows, 2024) == _FINANCED_2024
    assert {r["fiscal_year"] for r in rows} == {2024}


def test_a_financing_heading_that_states_its_unit():
    text = _financing("x").replace("Finansiering\n\nx", "Finansiering (tkr)\n\nStaten\t1 000\nNybro kommun\t350")
    assert _of_year(_read(text, 2024), 2024) == [("municipality", "0881", 350_000), ("state", None, 1_000_000)]


def test_a_financing_list_with_year_columns():
    body = "\t2024\t2023\nFörsäkringskassan\t1 000 000\t950 000\nNybro kommun\t350 000\t340 000"
    rows = _read(_financing(body), 2024)
    assert _of_year(rows, 2024) == [("municipality", "0881", 350_000), ("state", None, 1_000_000)]
    assert _of_year(rows, 2023) == [("municipality", "0881", 340_000), ("state", None, 950_000)]


def test_a_budget_under_the_financing_heading_is_not_money_paid():
    body = "Budget\t2025\t2026\nFörsäkringskassan\t1 000 000\t1 000 000\nNybro kommun\t350 000\t350 000"
    assert _read(_financing(body), 2024) == []


def test_the_financing_list_ends_where_the_prose_resumes():
    body = (
        "Försäkringskassan\t1 000 000\nNybro kommun\t350 000\n\n"
        "Förbundet har under året även haft intäkter från andra håll, vilka redovisas nedan i tabellen.\n"
        "Kalmar kommun, projekt\t90 000"
    )
    assert _of_year(_read(_financing(body), 2024), 2024) == [
        ("municipality", "0881", 350_000),
        ("state", None, 1_000_000),
    ]


# --- `Kommunen`: the förbund's own municipality, only when it is known -------------------------

_KOMMUNEN_NOTE = """
Resultaträkning
Belopp i kr\tNot\t2024\t2023
Verksamhetens intäkter\t2\t2 000 000\t2 000 000

Not 2 Verksamhetens intäkter
\t2024\t2023
Försäkringskassan\t1 000 000\t1 000 000
Region Skåne\t500 000\t500 000
Kommunen\t500 000\t500 000
Summa\t2 000 000\t2 000 000
"""


def _kommunen_code(text: str, forbund_id: str | None = None, forbund_name: str | None = None) -> str | None:
    rows = [r for r in _read(text, 2024, forbund_id, forbund_name=forbund_name) if r["fiscal_year"] == 2024]
    (kommunen,) = [r for r in rows if r["contributor"] == "Kommunen"]
    assert kommunen["contributor_type"] == "municipality" and kommunen["amount_sek"] == 500_000
    return kommunen["kommun_code"]


@pytest.mark.parametrize(
    ("preamble", "forbund_id", "code"),
    [
        # the members named in a sentence about them
        (
            "Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Skåne och Lunds kommun.",
            None,
            "1281",
        ),
        # the förbund's own name, as the classifier found it (a neighbour named in the text says nothing)
        ("Vi samarbetar med Samordningsförbundet i Eslöv.", None, "1281"),
        # named once, nowhere as a member: still the only municipality the document names
        ("Insatsen Steget drivs tillsammans med socialtjänsten i Lunds kommun.", None, "1281"),
        # the registry knows the förbund's single member, the text names none
        ("Förbundet har under året arbetat med tre insatser.", "sodertalje", "0181"),
        # nothing names the municipality
        ("Förbundet har under året arbetat med tre insatser.", None, None),
        # two municipalities named: which one is `Kommunen` is not settled
        ("Insatsen drivs av Lunds kommun och Eslövs kommun tillsammans.", None, None),
        # the members are several municipalities
        ("Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Skåne och kommunerna.", None, None),
        # a member sentence whose verb is also a municipality's name (Vara) names none
        ("Medlemmarna ska vara överens om budgeten.", None, None),
        # the registry knows several members
        ("Samordningsförbundet i Lund har arbetat med tre insatser.", "falun_borlange", None),
    ],
)
def test_kommunen_is_named_only_when_the_document_or_registry_settles_it(preamble, forbund_id, code):
    own_name = "Samordningsförbundet i Lund" if preamble.startswith("Vi samarbetar") else None
    assert _kommunen_code(preamble + "\n" + _KOMMUNEN_NOTE, forbund_id, own_name) == code


def test_kommunen_beside_a_named_municipality_stays_unnamed():
    # a second kommun in the note, and the statement line the note explains grown by the same 100 000
    text = "Förbundets medlemmar är Lunds kommun.\n" + _KOMMUNEN_NOTE.replace(
        "Summa\t2 000 000\t2 000 000", "Eslövs kommun\t100 000\t100 000\nSumma\t2 100 000\t2 100 000"
    ).replace("Verksamhetens intäkter\t2\t2 000 000\t2 000 000", "Verksamhetens intäkter\t2\t2 100 000\t2 100 000")
    assert _kommunen_code(text) is None


def test_sole_member_by_registry_respects_validity():
    # Norrköpings Samordningsförbund had Norrköping as its single member until 2009
    assert sole_member_kommun((), "norrkoping", 2008) == "0581"
    assert sole_member_kommun((), "norrkoping", 2012) is None


def _note_line(label: str, amount: int, line_no: int, *, total: bool = False) -> dict:
    return {
        "note_no": 2,
        "note_title": "Verksamhetens intäkter",
        "label": label,
        "fiscal_year": 2024,
        "amount_sek": amount,
        "is_total": total,
        "source_page": None,
        "source_line": line_no,
    }


_READER_MISSED_TKR = [
    _note_line("Försäkringskassan", 2_000, 1),
    _note_line("Region Halland", 1_000, 2),
    _note_line("Laholms kommun", 1_001, 3),
    _note_line("Summa", 4_001, 4, total=True),
]


def _revenue_fact(amount: int) -> dict:
    return {
        "statement": "income",
        "line_code": "revenue_total",
        "fiscal_year": 2024,
        "amount_sek": amount,
        "note_no": 2,
    }


@pytest.mark.parametrize(
    ("statement_revenue", "laholm"),
    [
        (4_000_600, 1_001_000),  # the note's sum meets the statement only in tkr (rounded): read in tkr
        (4_001, 1_001),  # the note agrees with the statement as it is: left alone
        (4_001_000_000, 1_001),  # a thousandfold statement (over a billion kronor) is no evidence
    ],
)
def test_a_tkr_the_reader_missed_is_settled_by_the_statement_line_pointing_at_the_note(statement_revenue, laholm):
    from finsam_pipeline.parse.contributions import contribution_rows

    rows = contribution_rows(_READER_MISSED_TKR, [2], facts=[_revenue_fact(statement_revenue)])
    assert {r["contributor"]: r["amount_sek"] for r in rows}["Laholms kommun"] == laholm
    assert len(rows) == 3


def test_a_note_no_unit_reconciles_with_its_statement_line_is_left_out():
    """The note sums to 4 001 kr; the statement line pointing at it says 5 500 000: neither kr nor tkr fits."""
    from finsam_pipeline.parse.contributions import contribution_rows

    assert contribution_rows(_READER_MISSED_TKR, [2], facts=[_revenue_fact(5_500_000)]) == []


def test_a_note_a_thousandfold_above_its_statement_line_is_not_scaled_down_but_left_out():
    """A reader that over-scaled the note and a statement left in unscaled tkr look alike: nothing is divided,
    and the note, which cannot fit the report as read, is not loaded."""
    from finsam_pipeline.parse.contributions import contribution_rows

    note = [_note_line("Försäkringskassan", 2_000_000_000, 1)]
    assert contribution_rows(note, [2], facts=[_revenue_fact(2_000_000)]) == []


# --- a note with a share column, a sentence listing the payers: loaded only where they add up --------------


def _share_note(*body: str) -> tuple[list, list]:
    from conftest import text_lines

    from finsam_pipeline.parse.sections import Section

    lines = text_lines("Not 2 Medlemsbidrag", "", *body, "", "Not 3 Kostnader")
    return lines, [Section("note", 0, len(lines) - 1, "Medlemsbidrag", 2)]


_SHARE_ROWS = (
    "Försäkringskassan\t25 %\t2 784\t2 711",
    "Region Stockholm\t25 %\t2 784\t2 711",
    "Värmdö kommun\t7,5 %\t839\t817",
)


@pytest.mark.parametrize(
    ("header", "total", "facts", "expected"),
    [
        ("tkr\tAndel %\t2020\t2019", "Totalt\t\t6 407\t6 239", [], 839_000),  # its own total and unit
        ("\tFördelning\tUtfall 2020\tUtfall 2019", "Totalt\t\t6 407\t6 239", [], 839),  # no unit: kronor
        ("\tAndel\t2020\t2019", "", [_revenue_fact(6_407_000) | {"fiscal_year": 2020}], 839_000),  # tkr by the line
    ],
)
def test_a_note_with_a_share_column_is_read_by_its_columns(header, total, facts, expected):
    from finsam_pipeline.parse.contributions import share_note_rows

    lines, sections = _share_note(header, *_SHARE_ROWS, total)
    rows = share_note_rows(lines, sections, facts, messages := [])
    assert {(r["contributor"], r["fiscal_year"]): r["amount_sek"] for r in rows}[("Värmdö kommun", 2020)] == expected
    assert {r["kommun_code"] for r in rows if r["contributor_type"] == "municipality"} == {"0120"}
    assert len(rows) == (6 if total else 3)  # without a total row 2019 has nothing to meet: left out, said so
    assert len(messages) == (0 if total else 1)


def test_a_share_note_that_does_not_add_up_or_meets_its_line_in_no_unit_is_left_out_and_said_so():
    from finsam_pipeline.parse.contributions import share_note_rows

    lines, sections = _share_note("tkr\tAndel %\t2020\t2019", *_SHARE_ROWS, "Totalt\t\t6 407\t6 240")
    rows = share_note_rows(lines, sections, [], messages := [])
    assert {r["fiscal_year"] for r in rows} == {2020}
    assert len(messages) == 1 and "2019" in messages[0]
    lines, sections = _share_note("\tAndel\t2020", *(row.rsplit("\t", 1)[0] for row in _SHARE_ROWS))
    assert share_note_rows(lines, sections, [_revenue_fact(7_000_000) | {"fiscal_year": 2020}], []) == []


def test_payers_listed_in_a_sentence_are_read_when_they_add_up_to_a_printed_total():
    from conftest import text_lines

    from finsam_pipeline.parse.contributions import prose_rows

    listing = (
        "Bidragen från medlemmarna 2024 var: staten genom Försäkringskassan 3 076 000 kr, Region Värmland "
        "1 538 000 kr, Arvika 464 500 kr och Eda kommun 150 000 kr."
    )
    stated = "Medelstilldelningen från parterna uppgick 2024 till 5 228 500 kr."
    rows = prose_rows(text_lines(stated, listing), 2023, [], messages := [])
    assert _of_year(rows, 2024) == [
        ("municipality", "1730", 150_000),
        ("municipality", "1784", 464_500),
        ("region", None, 1_538_000),
        ("state", None, 3_076_000),
    ]
    assert messages == []
    wrong_total = stated.replace("5 228 500", "5 228 000")
    assert prose_rows(text_lines(wrong_total, listing), 2023, [], messages := []) == []
    assert len(messages) == 1


def test_a_stop_ocr_glued_between_a_payer_and_its_amount_ends_no_sentence():
    """`Arbetsförmedlingen.7 763 tkr`: a stop with no space after it, between a word and a digit, is a speck OCR read,
    not the end of the listing; the listing is read whole and proven by the total stated."""
    from conftest import text_lines

    from finsam_pipeline.parse.contributions import prose_rows

    listing = (
        "Bidragen från medlemmarna 2023 var: Försäkringskassan 7 763 tkr, Arbetsförmedlingen.7 763 tkr, Region "
        "Halland 7 763 tkr, Hylte kommun 250 tkr och Halmstad 2 391 tkr."
    )
    stated = "Medlemsavgifterna uppgick 2023 till 25 930 tkr."
    rows = prose_rows(text_lines(stated, listing), 2023, [], [])
    assert _of_year(rows, 2023) == [
        ("municipality", "1315", 250_000),
        ("municipality", "1380", 2_391_000),
        ("region", None, 7_763_000),
        ("state", None, 7_763_000),
        ("state", None, 7_763_000),
    ]


def test_a_row_naming_several_member_municipalities_is_their_group():
    """`Medlemskommunerna (Umeå, Vindeln, Vännäs)`: the compound names no payer type, the registry names three
    municipalities: the group's money, municipal and with no single code."""
    assert payer("Medlemskommunerna (Umeå, Vindeln, Vännäs)") == Payer("municipality", None)
    assert payer("Övriga intäkter") == Payer("other", None)
    assert payer("Ersättning från Samordningsförbundet Falun Borlänge").kind == "other"  # another förbund's money


def test_a_tab_separated_share_note_may_leave_its_trailing_empty_cells_off():
    from finsam_pipeline.parse.contributions import share_note_rows

    lines, sections = _share_note(
        "kr\tAndel %\t2023\t2022",
        "Försäkringskassan\t50 %\t5.679.000\t5.559.000",
        "Europeiska socialfonden (ESF)\t\t2.891.000",
        "Summa\t\t8.570.000\t5.559.000",
    )
    rows = share_note_rows(lines, sections, [], messages := [])
    assert {(r["contributor_type"], r["fiscal_year"], r["amount_sek"]) for r in rows} == {
        ("state", 2023, 5_679_000),
        ("state", 2022, 5_559_000),
        ("eu", 2023, 2_891_000),
    }
    assert messages == []


def test_a_scanned_note_whose_payers_miss_its_total_is_left_out_but_the_states_half_stays():
    from finsam_pipeline.parse.contributions import unproven_ocr_notes

    def row(kind: str, amount: int, line: int) -> dict:
        return {
            "contributor_type": kind,
            "fiscal_year": 2024,
            "amount_sek": amount,
            "note_no": 2,
            "source_page": 8,
            "source_line": line,
        }

    rows = [row("state", 1_544_000, 175), row("municipality", 547_000, 177), row("municipality", 220_000, 178)]
    notes = [{"note_no": 2, "fiscal_year": 2024, "amount_sek": 3_088_000, "is_total": True, "source_page": 8}]
    kept, messages = unproven_ocr_notes(rows, notes, frozenset({8}))
    assert [r["contributor_type"] for r in kept] == ["state"]  # half of the members' 3 088 000 by law
    assert messages and "left out" in messages[0]
    printed, _ = unproven_ocr_notes(rows, notes, frozenset())  # a text layer is never gated here
    assert len(printed) == 3


def _with_income_statement(text: str, year: int, contributions: int) -> str:
    """The text with an income statement whose members' contributions line is `contributions` kronor: the
    revenue line that payers found in the text must add up to."""
    amount = f"{contributions:,}".replace(",", " ")
    return (
        f"{text}\nResultaträkning\n\nBelopp i kr                     {year}            {year - 1}\n"
        f"Medlemsbidrag              {amount:>14}   {amount:>14}\n"
        f"Verksamhetens kostnader    {'-' + amount:>14}   {'-' + amount:>14}\n"
        f"Årets resultat             {0:>14}   {0:>14}\n"
    )


# --- a payer note found by what it holds, a note with one year's column ------------------------------------

_UNTITLED_PAYER_NOTE = """Samordningsförbundet Umeåregionen
Årsredovisning 2024

Resultaträkning

Belopp i tkr                          2024        2023
Erhållna medlemsavgifter            22 532      21 576
Verksamhetens kostnader            −21 849     −22 495
Årets resultat                         683       −919

Noter

Not 2 Bidrag från förbundsmedlemmarna

  Belopp i tkr                  2024        2023
  Försäkringskassan             5 633       5 394
  Arbetsförmedlingen            5 633       5 394
  Region Västerbotten           5 633       5 394
  Umeå kommun                   {umea}       5 178
  Vindelns kommun                 225         216
  Summa                        {total}      21 576
"""


@pytest.mark.parametrize(
    ("umea", "total", "found_2024"),
    [
        ("5 408", "22 532", True),  # the payers add up to the revenue line the statement prints: the note lists them
        ("5 000", "22 124", False),  # they do not: a note of some other payments, nothing is loaded from it
    ],
)
def test_a_note_of_payers_under_a_title_no_vocabulary_knows_is_found_by_its_sum(umea, total, found_2024):
    rows = _read(_UNTITLED_PAYER_NOTE.format(umea=umea, total=total), 2024, "umearegionen")
    of_2024 = _of_year(rows, 2024)
    if found_2024:
        assert ("municipality", "2480", 5_408_000) in of_2024 and ("state", None, 5_633_000) in of_2024
    else:
        assert of_2024 == []


def test_a_note_of_payers_is_found_by_the_years_it_prints_whole():
    """2023's Umeå line could not be read: that year's payers miss the revenue line, which had kept the note from
    being found at all (a scan's `Not 1 Medlemsinsatser per huvudman`, 14 payers lost). The year printing every
    payer adds up to the statement and finds it."""
    text = _UNTITLED_PAYER_NOTE.format(umea="5 408", total="22 532").replace("5 178", "? ???")
    rows = _read(text, 2024, "umearegionen")
    assert ("municipality", "2480", 5_408_000) in _of_year(rows, 2024)


@pytest.mark.parametrize(
    ("amounts", "read"),
    [
        (("2 995,0", "2 995,0", "1 497,5", "1 497,5", "8 985,0"), True),  # tkr with a decimal: no year is printed so
        (("2019", "2020", "2021", "2022", "8 082"), False),  # the rows print years' shapes: `2019` may be an amount
    ],
)
def test_a_note_with_one_year_over_its_column_is_read_when_its_rows_show_the_year_is_no_amount(amounts, read):
    fk, af, region, kommun, total = amounts
    text = f"""Samordningsförbundet Södertälje
Årsredovisning 2019

Resultaträkning

Tkr\t2019\t2018
Medlemsbidrag (not 1)\t{total}\t8 000,0
Verksamhetens kostnader\t-8 000,0\t-8 000,0
Årets resultat\t985,0\t0,0

Not 1 Medlemsbidrag

Belopp i tkr.

Medlem\t2019
Försäkringskassan\t{fk}
Arbetsförmedlingen\t{af}
Region Stockholm\t{region}
Södertälje kommun\t{kommun}
Summa medlemsbidrag\t{total}
"""
    rows = _of_year(_read(text, 2019, "sodertalje"), 2019)
    if read:
        assert rows == [
            ("municipality", "0181", 1_497_500),
            ("region", None, 1_497_500),
            ("state", None, 2_995_000),
            ("state", None, 2_995_000),
        ]
    else:
        assert rows == []


def test_a_note_headed_this_year_and_last_year_takes_the_reports_years(tmp_path):
    text = """Samordningsförbundet Södra Vätterbygden
Årsredovisning 2018

Resultaträkning

Belopp i tkr                             Not   Innevarande år   Föregående år
Medlemsbidrag                              1          12 400          11 896
Verksamhetens kostnader                              -12 000         -11 500
Årets resultat                                           400             396

Balansräkning

Belopp i tkr                                   Innevarande år   Föregående år
Kassa och bank                                         3 400           3 000
Summa tillgångar                                       3 400           3 000

Not 1 Medlemsbidrag

Belopp i tkr                                       Innevarande år   Föregående år
Staten (Försäkringskassan/Arbetsförmedlingen)           6 200           5 948
Region Jönköpings län                                   3 100           2 974
Jönköpings kommun                                       3 100           2 974
Summa                                                  12 400          11 896
"""
    from conftest import parse_path, report_file

    report = parse_path(report_file(tmp_path, text.splitlines()))
    rows = report.tables["member_contributions"].to_dicts()
    assert {r["fiscal_year"] for r in rows} == {2017, 2018}
    assert ("state", None, 6_200_000) in _of_year(rows, 2018)
    assert set(report.notes["fiscal_year"].to_list()) == {2017, 2018}


@pytest.mark.parametrize(("kumla", "loaded"), [("451,8", True), ("415,8", False)])
def test_contributions_told_one_payer_a_sentence_are_kept_when_they_add_up_to_the_total_stated(kumla, loaded):
    text = f"""Samordningsförbundet Sydnärke
Årsredovisning 2022

Förbundets medel från medlemmarna uppgick 2022 till totalt 5 200,0 tkr.
Av dessa kom 2 600,0 tkr från staten genom Försäkringskassan.
Region Örebro län bidrog med 1 300,0 tkr.
Kumla kommun betalade in {kumla} tkr.
Hallsbergs kommun betalade in 328,6 tkr.
Askersunds kommun betalade in 234,1 tkr.
Laxå kommun betalade in 115,0 tkr.
Lekebergs kommun betalade in 170,5 tkr.
"""
    rows = _of_year(_read(_with_income_statement(text, 2022, 5_200_000), 2022, "sydnarke"), 2022)
    if loaded:
        assert ("municipality", "1881", 451_800) in rows and ("state", None, 2_600_000) in rows and len(rows) == 7
    else:
        assert rows == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Medlemsbidragen för 2024 uppgick till sammanlagt 20 276 000 kr och fördelades enligt följande: "
        "Försäkringskassan 10 138 000 kr, Region Stockholm 5 069 000 kr, Huddinge kommun 2 401 000 kr, "
        "Botkyrka kommun 2 134 000 kr samt Salems kommun 534 000 kr.",
        "Medlemmarnas bidrag för 2024 uppgick till 20 276 tkr och fördelades enligt förbundsordningen: "
        "Försäkringskassan och Arbetsförmedlingen med sammanlagt 10 138 tkr, Region Stockholm med 5 069 tkr, "
        "Huddinge kommun med 2 401 tkr, Botkyrka kommun med 2 134 tkr och Salems kommun med 534 tkr.",
    ],
)
def test_a_sentence_listing_the_payers_with_samt_or_med_is_read_whole(sentence):
    cover = "Samordningsförbundet Huddinge, Botkyrka och Salem\nÅrsredovisning 2024\n\nNot 1 Medlemsbidrag\n\n"
    text = f"{cover}{sentence}\n"
    rows = _of_year(_read(text, 2024, "huddinge_botkyrka_och_salem"), 2024)
    assert ("municipality", "0128", 534_000) in rows and ("state", None, 10_138_000) in rows and len(rows) == 5


def test_a_markdown_note_with_one_year_and_group_titles_is_read():
    text = """Samordningsförbundet Halland
Årsredovisning 2021

### Not 1 Medlemsbidrag

Belopp i tkr.

| Medlem | 2021 |
|---|---:|
| Staten |  |
|   Staten via Försäkringskassan | 9 176 |
| Region |  |
|   Region Halland | 4 588 |
| Kommunerna |  |
|   Halmstad | 2 294 |
|   Kungsbacka | 2 294 |
| Summa kommunerna | 4 588 |
| Summa medlemsbidrag | 18 352 |
"""
    rows = _of_year(_read(text, 2021, "halland", suffix=".md"), 2021)
    assert rows == [
        ("municipality", "1380", 2_294_000),
        ("municipality", "1384", 2_294_000),
        ("region", None, 4_588_000),
        ("state", None, 9_176_000),
    ]


@pytest.mark.parametrize(("region", "loaded"), [("740000", True), ("704000", False)])
def test_payers_listed_under_a_caption_no_vocabulary_knows_are_kept_where_they_add_up(region, loaded):
    text = f"""Finsam Stockholm
Årsredovisning 2020

Not 2 Verksamhetens intäkter
Bidragen från medlemmarna 2020 (kr):
• Försäkringskassan: 1480000
• Region Stockholm: {region}
• Stockholms stad: 740000
Totalt: 2960000
"""
    rows = _of_year(_read(_with_income_statement(text, 2020, 2_960_000), 2020, "stockholm"), 2020)
    if loaded:
        assert rows == [("municipality", "0180", 740_000), ("region", None, 740_000), ("state", None, 1_480_000)]
    else:
        assert rows == []


def test_a_share_table_ends_at_its_total_and_the_table_after_it_costs_nothing():
    text = """Finsam Västra Mälardalen
Årsredovisning 2025

Not 2 Verksamhetens intäkter
Medlem\tAndel\t2025 (tkr)
Försäkringskassan\t50 %\t3 702
Region Västmanland\t25 %\t1 851
Köpings kommun\t12,5 %\t925
Arboga kommun\t12,5 %\t926
Summa medlemsbidrag\t100 %\t7 404
Insatser  och  deltagare
Antal deltagare anges som totalt (kvinnor/män).
"""
    rows = _of_year(_read(text, 2025, "vastra_malardalen"), 2025)
    assert ("municipality", "1983", 925_000) in rows and ("state", None, 3_702_000) in rows and len(rows) == 4


def test_a_sentence_listing_payers_without_a_colon_and_with_decimals_is_read_whole():
    text = """Samordningsförbundet i Kalmar län
Årsredovisning 2022

Medlemmarnas bidrag uppgick 2022 till 12 880,0 tkr. Staten genom Försäkringskassan och Arbetsförmedlingen bidrog \
med 6 440,0 tkr, Region Kalmar län med 3 220,0 tkr, Kalmar kommun med 1 610,5 tkr och Nybro kommun med 1 609,5 tkr.
"""
    rows = _of_year(_read(_with_income_statement(text, 2022, 12_880_000), 2022, "kalmar_lan"), 2022)
    assert rows == [
        ("municipality", "0880", 1_610_500),
        ("municipality", "0881", 1_609_500),
        ("region", None, 3_220_000),
        ("state", None, 6_440_000),
    ]


def test_a_payer_sentence_may_name_the_reports_year():
    text = """Samordningsförbundet Östra Södertörn
Årsredovisning 2024

Medlemmarnas bidrag uppgick till 4 600,0 tkr.
Försäkringskassan har betalat 2 300,0 tkr för 2024.
Region Stockholm har betalat 1 150,0 tkr för 2024.
Haninge kommun har betalat 1 150,0 tkr för 2024.
"""
    rows = _of_year(_read(_with_income_statement(text, 2024, 4_600_000), 2024, "ostra_sodertorn"), 2024)
    assert rows == [("municipality", "0136", 1_150_000), ("region", None, 1_150_000), ("state", None, 2_300_000)]


def test_a_share_column_without_per_cent_signs_under_its_header_is_read(tmp_path):
    from conftest import parse_path, report_file

    text = """Samordningsförbundet Uppsala län
Årsredovisning 2021

Resultaträkning
Belopp i tkr                         Not         2021          2020
Medlemsbidrag                          2       24 000        23 000
Verksamhetens kostnader                       -23 000       -23 500
Årets resultat                                  1 000          -500

Balansräkning
Belopp i tkr                                     2021          2020
Kassa och bank                                  5 000         4 000
Summa tillgångar                                5 000         4 000

Not 2 Medlemsbidrag

Medlem                          Andel (%)      2021 (tkr)
Försäkringskassan                    50          12 000
Region Uppsala                       25           6 000
Uppsala kommun                     15,3           3 672
Enköpings kommun                    9,7           2 328
Summa                               100          24 000
"""
    report = parse_path(report_file(tmp_path, text.splitlines()))
    rows = _of_year(report.tables["member_contributions"].to_dicts(), 2021)
    assert ("municipality", "0380", 3_672_000) in rows and ("state", None, 12_000_000) in rows and len(rows) == 4


@pytest.mark.parametrize(
    "passage",
    [
        # counts, not money: a list with its own total proves nothing about the members' payments
        "Remitterande aktörer 2022\n• Försäkringskassan: 12\n• Arbetsförmedlingen: 8\n• Kumla kommun: 20\n"
        "• Region Örebro län: 5\nTotalt: 45",
        # next year's decision
        "Beslutade medlemsbidrag för 2023 (tkr):\n• Försäkringskassan: 2 600\n• Region Örebro län: 1 300\n"
        "• Kumla kommun: 1 300\nTotalt: 5 200",
        # next year's budget told one payer a sentence
        "Inför nästa år budgeterar Försäkringskassan 2 600,0 tkr. Region Örebro län budgeterar 1 300,0 tkr. "
        "Kumla kommun budgeterar 1 300,0 tkr.",
        # costs told one payee a sentence
        "Insatsen Lots i Kumla kommun kostade 400,0 tkr. Insatsen Steget i Hallsbergs kommun kostade 300,0 tkr. "
        "Region Örebro län fick 200,0 tkr för samverkan. Totalt kostade insatserna 900,0 tkr.",
        # purchases listed without a colon
        "Under året köpte förbundet tjänster av Region Örebro län för 400 tkr, Kumla kommun för 300 tkr och "
        "Försäkringskassan för 100 tkr. Totalt köptes tjänster för 800 tkr.",
        # another year's payers listed without a colon
        "Under 2021 bidrog Staten genom Försäkringskassan med 2 600 tkr, Region Örebro län med 1 300 tkr och "
        "Kumla kommun med 1 300 tkr.",
    ],
)
def test_payers_found_in_the_text_that_are_not_the_years_contributions_are_left_out(passage):
    text = f"Samordningsförbundet Sydnärke\nÅrsredovisning 2022\n\n{passage}\n"
    assert _of_year(_read(_with_income_statement(text, 2022, 5_200_000), 2022, "sydnarke"), 2022) == []


def test_each_payer_told_in_a_sentence_points_at_its_own_line():
    text = """Samordningsförbundet Sydnärke
Årsredovisning 2022

Förbundets medel från medlemmarna uppgick 2022 till totalt 5 200,0 tkr.
Av dessa kom 2 600,0 tkr från staten genom Försäkringskassan.
Region Örebro län bidrog med 1 300,0 tkr.
Kumla kommun betalade in 1 300,0 tkr.
"""
    rows = _read(_with_income_statement(text, 2022, 5_200_000), 2022, "sydnarke")
    assert {(r["contributor_type"], r["amount_sek"]): r["source_line"] for r in rows} == {
        ("state", 2_600_000): 5,
        ("region", 1_300_000): 6,
        ("municipality", 1_300_000): 7,
    }


def test_a_note_in_kronor_under_a_declaration_of_tkr_is_read_in_kronor():
    """`Samtliga belopp … anges i tusentals kronor (tkr)` was said of the statements; the revenue note beneath
    prints kronor (`5 872 000`). Read in tkr its payers came to 5.9 billion kronor, which no förbund has, and
    the note was left out; its lines adding up to its total show it is printed in kronor."""
    text = "\n".join(
        [
            "Samordningsförbundet Södra Vänern",
            "Årsredovisning 2023",
            "",
            "Samtliga belopp i de finansiella rapporterna anges i tusentals kronor (tkr) med en decimal.",
            "",
            "Resultaträkning",
            "                                     Not      Bokslut 2023      Bokslut 2022",
            "  Summa erhållna medel                 2          11 823,9          11 348,0",
            "  Totala kostnader                               -12 464,8         -12 368,1",
            "  Verksamhetens nettoresultat                       -640,9          -1 020,1",
            "  Årets resultat                                    -640,9          -1 020,1",
            "",
            "Noter",
            "",
            "Not 2. Verksamhetens intäkter",
            "",
            "                                                   2023-12-31      2022-12-31",
            "  Försäkringskassan och Arbetsförmedlingen          5 872 000       5 674 000",
            "  Driftbidrag från Västra Götalandsregionen         2 936 000       2 837 000",
            "  Trollhättans Stad, medlemsbidrag                  1 455 700       1 406 600",
            "  Vänersborgs kommun, medlemsbidrag                   986 900         953 600",
            "  Lilla Edets kommun, medlemsbidrag                   352 800         340 900",
            "  Grästorps kommun, medlemsbidrag                     140 600         135 900",
            "  Övriga ersättningar                                  79 900               0",
            "  Summa bidrag                                     11 823 900      11 348 000",
        ]
    )
    rows = _read(text, 2023)
    assert ("municipality", "1488", 1_455_700) in _of_year(rows, 2023)
    assert ("state", None, 5_674_000) in _of_year(rows, 2022)
    assert max(r["amount_sek"] for r in rows) < 10**9


def test_a_share_table_set_with_single_spaces_and_dot_thousands_is_read():
    """`Andel Utfall 2018 Utfall 2017` over `Bidrag Haninge kommun 13,8 % 2.073.200 2.000.250`, one space between
    cells and no diacritics: the share column's title had stopped the header being read, and the note was lost."""
    text = "\n".join(
        [
            "Samordningsforbundet Ostra Sodertorn",
            "Arsredovisning 2018",
            "",
            "Resultatrakning",
            "Belopp i kronor Utfall 2018 Utfall 2017",
            "Intakter not 1 15.190.278 14.611.588",
            "Verksamhetens kostnader - 16.494.173 - 15.004.814",
            "Arets resultat - 1.303.895 - 393.226",
            "",
            "Not 1 – Intakter",
            "",
            "Andel Utfall 2018 Utfall 2017",
            "Forsakringskassan 25 % 3.751.000 3.619.000",
            "Arbetsformedlingen 25 % 3.751.000 3.619.000",
            "Driftbidrag Stockholms lans landsting 25 % 3.751.000 3.619.000",
            "Bidrag Haninge kommun 13,8 % 2.073.200 2.000.250",
            "Bidrag Nynashamns kommun 4,2 % 630.510 608.320",
            "Bidrag Tyreso kommun 7 % 1.047.290 1.010.430",
            "Ovriga ersattningar 186.278 135.588",
            "Summa medlemsbidrag 15.190.278 14.611.588",
        ]
    )
    rows = _read(text, 2018)
    assert ("municipality", "0136", 2_073_200) in _of_year(rows, 2018)
    assert ("municipality", "0138", 1_010_430) in _of_year(rows, 2017)
    assert {r["contributor"] for r in rows} >= {"Bidrag Haninge kommun", "Forsakringskassan"}


def test_a_region_named_on_the_line_below_is_the_region_not_a_kommun_of_that_name():
    """`Medlemsavgift Region` over `Stockholm  4031000  4011000`: the name had been read alone, the region's money
    loaded as Stockholm kommun's. `Region` cannot end a label: a region's name follows the word."""
    text = "\n".join(
        [
            "Samordningsförbundet Huddinge, Botkyrka och Salem",
            "Årsredovisning 2020",
            "",
            "Resultaträkning                         Not         2020         2019",
            "Verksamhetens intäkter                    2     16124000     16044000",
            "Verksamhetens kostnader                       -15000000    -15100000",
            "Årets resultat                                  1124000       944000",
            "",
            "Not 2. Verksamhetens intäkter",
            "                                       2020         2019",
            "Staten                              8062000      8022000",
            "Medlemsavgift Region",
            "Stockholm                           4031000      4011000",
            "Bidrag från Huddinge",
            "kommun                              2028000      2019000",
            "Bidrag från Botkyrka kommun         1694000      1685000",
            "Bidrag från Salems kommun            309000       307000",
            "Summa                              16124000     16044000",
        ]
    )
    rows = _read(text, 2020)
    assert ("region", None, 4_031_000) in _of_year(rows, 2020)
    assert not [r for r in rows if r["kommun_code"] == "0180"]
    assert ("municipality", "0126", 2_028_000) in _of_year(rows, 2020)
    # a heading ending in `Region` over a line that names its own payer is a heading: Huddinge stays Huddinge
    grouped = text.replace("Bidrag från Huddinge\nkommun  ", "Staten och Region\nHuddinge kommun")
    assert ("municipality", "0126", 2_028_000) in _of_year(_read(grouped, 2020), 2020)


@pytest.mark.parametrize(
    ("forbund_id", "text_has_swedish_letters", "code"),
    [("uppsala_lan", False, "0305"), (None, False, None), (None, True, "0643")],
    ids=["members_settle_it", "no_spelling_evidence", "spelled_without_ring"],
)
def test_a_kommun_name_two_kommuner_share_folded_goes_to_the_right_one(forbund_id, text_has_swedish_letters, code):
    """`Habo kommun` in a report printed without å, ä, ö is Håbo (Uppsala län) for Samordningsförbundet Uppsala
    län, not Habo (Jönköpings län); with neither the members nor a spelling to tell, it stays unnamed."""
    from finsam_pipeline.parse.contributions.payers import shared_names_settled
    from finsam_pipeline.read.extract import TextLine

    rows = [{"contributor": "Habo kommun", "contributor_type": "municipality", "kommun_code": None}]
    rows[0]["kommun_code"] = payer("Habo kommun").kommun_code  # as the note's reader named it: by its spelling
    lines = [TextLine(1, None, "Årsredovisning 2020" if text_has_swedish_letters else "Arsredovisning 2020")]
    assert shared_names_settled(rows, lines, forbund_id, 2020)[0]["kommun_code"] == code


_STATEMENT_5536 = [
    "Resultaträkning                           2019          2018",
    "Verksamhetens intäkter               5 536 000     5 420 000",
    "Verksamhetens kostnader             -5 300 000    -5 500 000",
    "Årets resultat                         236 000       -80 000",
]


@pytest.mark.parametrize(
    ("header", "rows_2019", "years"),
    [
        ("| Medlem | Andel | Belopp 2019 | Belopp 2018 |", "| {name} | {share} | {amount} | {prior} |", {2019, 2018}),
        ("Medlem\tAndel\tBelopp, tkr", "{name}\t{share}\t{tkr}", {2019}),
    ],
    ids=["markdown_two_years", "no_year_in_tkr"],
)
def test_a_share_table_in_the_administration_report_is_read_when_it_adds_up_to_the_revenue(header, rows_2019, years):
    """`1.2 Medlemmarnas bidrag` with a share table, outside the notes (the note holds only costs): read by its
    share column and kept because the payers add up to the income statement's revenue; a header without a year
    is the report's."""
    payers = [
        ("Försäkringskassan", "50 %", 2_768_000, 2_710_000),
        ("Region Skåne", "25 %", 1_384_000, 1_355_000),
        ("Trelleborgs kommun", "25 %", 1_384_000, 1_355_000),
    ]
    table = [header] + [
        rows_2019.format(
            name=n,
            share=s,
            amount=f"{a:,}".replace(",", " "),
            prior=f"{p:,}".replace(",", " "),
            tkr=f"{a // 1000:,}".replace(",", " "),
        )
        for n, s, a, p in payers
    ]
    text = "\n".join(["Finsam Trelleborg", "Årsredovisning 2019", "", "Finansiering", *table, "", *_STATEMENT_5536])
    rows = _read(text, 2019)
    assert ("municipality", "1287", 1_384_000) in _of_year(rows, 2019)
    assert {r["fiscal_year"] for r in rows} == years


def test_a_budget_share_table_is_no_table_of_payments():
    text = "\n".join(
        [
            "Finsam Trelleborg",
            "Årsredovisning 2019",
            "| Medlem | Andel | Budget 2019 |",
            "| Försäkringskassan | 50 % | 2 768 000 |",
            "| Region Skåne | 25 % | 1 384 000 |",
            "| Trelleborgs kommun | 25 % | 1 384 000 |",
            "",
            *_STATEMENT_5536,
        ]
    )
    assert _read(text, 2019) == []


def test_payers_listed_with_last_years_amounts_in_brackets_and_dot_thousands():
    """`Försäkringskassan bidrog med 8000 tkr (7838 tkr), Landstinget Västmanland med 4000 tkr (3919 tkr) …`: the
    bracket is the year before's, kept as the statement's revenue of that year shows; `2.920.000 kr` is read in
    dot thousands."""
    brackets = "\n".join(
        [
            "Västerås samordningsförbund",
            "Årsredovisning 2014",
            "Medlemmarnas bidrag uppgick till 16000 tkr (15676 tkr föregående år). Försäkringskassan",
            "bidrog med 8000 tkr (7838 tkr), Landstinget Västmanland med 4000 tkr (3919 tkr) och Västerås",
            "stad med 4000 tkr (3919 tkr).",
            "",
            "Resultaträkning (tkr)          2014      2013",
            "Verksamhetens intäkter        16000     15676",
            "Verksamhetens kostnader      -16602    -15500",
            "Årets resultat                 -602       176",
        ]
    )
    rows = _read(brackets, 2014)
    assert ("municipality", "1980", 3_919_000) in _of_year(rows, 2013)
    assert ("state", None, 8_000_000) in _of_year(rows, 2014)
    dots = "\n".join(
        [
            "Samordningsförbundet Norra Örebro län",
            "Årsredovisning 2015",
            "Medlemmarnas bidrag för 2015 uppgick till 5.840.000 kr och fördelades enligt följande: Försäkringskassan",
            "2.920.000 kr, Region Örebro län 1.460.000 kr, Lindesbergs kommun 746.000 kr, Nora kommun 335.000 kr,",
            "Hällefors kommun 223.000 kr och Ljusnarsbergs kommun 156.000 kr.",
        ]
    )
    assert ("municipality", "1885", 746_000) in _of_year(_read(dots, 2015), 2015)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Kommuner och regionen", "other"),
        ("Staten och Region Skåne", "other"),
        ("Region Skåne och Trelleborgs kommun", "other"),
        ("Försäkringskassan och Arbetsförmedlingen", "state"),
        ("Västra Götalandsregionen", "region"),
        ("Göteborgs Stad", "municipality"),
    ],
)
def test_a_label_naming_members_of_two_kinds_is_no_one_kinds_payment(label, kind):
    """`Kommuner och regionen` with one amount had been loaded as the region's: one sum for two kinds of payer
    belongs to neither, so it stays `other` (its amount still counts in the note's sum)."""
    assert payer(label).kind == kind


def test_a_signature_date_or_a_page_number_below_a_note_is_no_row_of_it():
    """Under the note's Summa, the board signs `Uppsala den 13 mars 2025` and the page ends `Sida 4 av 4`: read as
    rows they had been note lines of 2 025 tkr and 4 tkr, and the payers no longer added up to their note."""
    text = """Årsredovisning 2024
Samordningsförbundet Uppsala län

Noter

Not 2 Medlemsbidrag
Tkr                                   2024
Försäkringskassan                    6 350
Arbetsförmedlingen                   6 350
Region Uppsala                       6 350
Uppsala kommun                       6 350
Summa medlemsbidrag                 25 400

Uppsala den 13 mars 2025
Anna Lindqvist   Per Östlund

Samordningsförbundet Uppsala län - Årsredovisning 2024       Sida 4 av 4
"""
    lines = extract(SourceFile(path=Path("report.txt"), content=text.encode("utf-8"))).lines
    notes, _ = note_lines(lines, find_sections(lines), [])
    assert [(row["label"], row["amount_sek"]) for row in notes][-1] == ("Summa medlemsbidrag", 25_400_000)
    assert not any("mars" in row["label"] or "Sida" in row["label"] for row in notes)
    rows = _read(text, 2024)
    assert sum(row["amount_sek"] for row in rows) == 25_400_000 and len(rows) == 4


@pytest.mark.parametrize("split", ["Arbetsförmedli ngen", "Försäkrings kassan"])
def test_a_payer_word_ocr_split_names_its_payer(split):
    """OCR split a wide word at a letter (`Arbetsförmedli ngen`): the state's half had been read as `other`."""
    assert payer(split).kind == "state"
    assert payer("Övriga bidrag").kind == "other"


def test_a_label_of_its_own_ending_in_sida_keeps_its_amount():
    """`Bidrag från statlig sida  750`: a label's own word, no page number (a page number stands apart)."""
    text = """Årsredovisning 2024
Samordningsförbundet Uppsala län

Noter

Not 2 Medlemsbidrag
Tkr                                   2024
Bidrag från statlig sida               750
Bidrag från kommunal sida              375
Bidrag från regionen                   375
Summa                                1 500
"""
    lines = extract(SourceFile(path=Path("report.txt"), content=text.encode("utf-8"))).lines
    notes, _ = note_lines(lines, find_sections(lines), [])
    assert [row["amount_sek"] for row in notes if not row["is_total"]] == [750_000, 375_000, 375_000]


def test_a_note_heading_with_a_speck_before_not_keeps_its_title():
    """`.Not 1 Medlemsavgifter.  -` (a scan's speck before `Not`): the title had kept `Not 1` in it, so the note was
    not known for the members' note by its title and a year of payers was lost."""
    from finsam_pipeline.parse.sections import note_heading

    assert note_heading(".Not 1 Medlemsavgifter.         -") == (1, "Medlemsavgifter")
    assert note_heading("Not 2 Kortfristiga skulder") == (2, "Kortfristiga skulder")


_NOTES_UNSTATED = """Samordningsförbundet Ådalen
Årsredovisning 2018

RESULTATRÄKNING
Belopp i tkr                              Not          2018          2017
Verksamhetens intäkter                     2          5 200         4 972
Verksamhetens kostnader                    3         -5 769        -4 514
Verksamhetens resultat                                 -569           458
Årets resultat                                         -569           458

NOTER
Not 2 Verksamhetens intäkter
                                                      2018           2017
Staten (Försäkringskassan och Arbetsförmedlingen)    2 600          2 486
Region Västernorrland                                1 300          1 243
Kramfors kommun                                        377            360
Sollefteå kommun                                       398            381
Härnösands kommun                                      525            502
Summa                                                5 200          4 972
Not 3 Verksamhetens kostnader
                                                      2018           2017
Personalkostnader                                      955            675
Finansierade insatser                                4 260          3 392
Administration och övriga kostnader                    554            447
Summa                                                5 769          4 514
Not 4 Arvoden till styrelsen
                                                      2018           2017
Ordförande                                          24 000         24 000
Vice ordförande                                     12 000         12 000
Summa                                               36 000         36 000
"""


def test_a_note_that_states_no_unit_takes_the_one_its_statement_line_proves():
    """The statements say `Belopp i tkr` on their own headers only and the notes state no unit: the payers' note
    had loaded in kronor, a thousandth of what was paid (outside14's Ådalen). A note whose total meets the line
    pointing at it only in tkr is in tkr; a note no line points at stays in kronor, whatever its siblings prove
    (a reviewer's case: board fees of 24 000 kr would have loaded as 24 million)."""
    lines = extract(SourceFile(path=Path("report.txt"), content=_NOTES_UNSTATED.encode("utf-8"))).lines
    sections = find_sections(lines)
    facts, _, _ = statement_facts(lines, note_titles_of(sections))
    notes, _ = note_lines(lines, sections, facts)
    amount = {(row["label"], row["fiscal_year"]): row["amount_sek"] for row in notes}
    assert amount[("Staten (Försäkringskassan och Arbetsförmedlingen)", 2018)] == 2_600_000
    assert amount[("Personalkostnader", 2017)] == 675_000
    assert amount[("Ordförande", 2018)] == 24_000
    rows = member_contribution_rows(lines, sections, facts, notes, 2018, None, None)
    assert sum(row["amount_sek"] for row in rows if row["fiscal_year"] == 2018) == 5_200_000
