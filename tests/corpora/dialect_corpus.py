"""A corpus of made-up annual reports (årsredovisningar) of samordningsförbund in every dialect we know.

Each report is written from a model the generator holds itself (a förbund with members, a
time series of internally consistent figures, and one choice per dialect dimension), so its
ground truth never comes from the program under test. The generator reads only the official
code lists `assets/reference/kommuner.csv` and `assets/reference/lan.csv` (kommun and län codes
and names). It reads none of the program's vocabularies (`line_codes.csv`, `forbund.csv`, the
unit, payer, heading and name word lists) and copies none of their lists: every label it can
print comes with its line code and sign from the generator's own tables (`INCOME_WORDS`,
`BALANCE_WORDS`, `CASH_FLOW_WORDS`, `COST_BREAKDOWNS`), decided from what the line means in
kommunal redovisning (RKR), with codes from the contract (`docs/line_codes.csv`) and the cost
and balance detail codes the warehouse adds to it (CHANGELOG). Dialect dimensions (see `DIMENSIONS`):

- förbund: real ones (`REAL_FORBUND`, names as they publish them, members by official kommun
  code; the program's registry may or may not know them) and made-up ones built from real
  kommun and län names; name forms `Samordningsförbundet X`, `Xs samordningsförbund` /
  `X:s samordningsförbund`, `Samordningsförbundet i X`, `Finsam X`; neighbours named in the prose
  (sometimes more often than the report's own förbund), a common word that is also a real
  förbund's name (`värna` -> VärNa), an organisation number (made up, failing the check digit so
  it is never a real organisation's) or none. Whether the förbund is right is judged by the name
  the report prints, not by the program's registry (see `tests/corpora/dialect_score.py`);
- dress: tab-separated text, markdown pipes, space-aligned columns, PDF (fpdf2, positioned
  columns, an embedded Unicode font) and that PDF's `pdftotext -layout` text;
- unit: kr, tkr, Mkr (two decimals, only for figures that are exact in Mkr), stated in the
  statement heading, the column header, a line above or below the table, or once for the
  whole financial part, in the generator's own wordings;
- signs and number forms: costs unsigned, with `-`, U+2212, an en dash or in parentheses;
  thousands grouped by a space, U+00A0, U+202F or nothing;
- columns: current or prior year first; `2023`, `2023-12-31`, `Utfall 2023`, `Bokslut 2023`
  or `2023-01-01–2023-12-31`; a note column or none; a `Budget 2023` column in the income
  statement (never an outcome);
- wordings: RKR's labels and other wordings a förbund might print, sub-headings,
  `Verksamhetens nettokostnad` printed as a net cost under unsigned costs, `Jämförelsestörande
  poster` (no contract code: `other`), cost breakdowns (coded, or parts of one kind: `other`),
  `Kassaflödesanalys` or `Finansieringsanalys`;
- member contributions: `Halmstads kommun`, `Kommunen`, `Region Halland`, `Försäkringskassan`,
  `Staten genom Försäkringskassan`, `Arbetsförmedlingen`, `Driftbidrag från …`, `Medlemsavgift …`,
  in kr or tkr.

Usage: `python -m tests.corpora.dialect_corpus --out DIR --count N [--seed S]` writes the reports to
`DIR/reports/` and their truth to `DIR/truth.json`; `python -m tests.corpora.dialect_score` scores a
warehouse loaded from them.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "assets" / "reference"
FIRST_YEAR, LAST_YEAR = 2014, 2024
SERIES_START = FIRST_YEAR - 4  # the key-figure overview of the first reports looks three years back
DEFAULT_SEED = 20261123
DEFAULT_COUNT = 300

DRESSES = ("tab", "md", "aligned", "pdf", "pdftotext")
DRESS_SUFFIX = {"tab": ".txt", "md": ".md", "aligned": ".txt", "pdf": ".pdf", "pdftotext": ".txt"}
NAME_FORMS = ("samordningsforbundet_x", "genitive", "i_x", "finsam_x")
UNIT_FACTOR = {"kr": 1, "tkr": 1_000, "Mkr": 1_000_000}
UNIT_PLACES = {
    "kr": ("none", "column", "line_above", "section"),
    "tkr": ("heading", "column", "line_above", "line_below", "section"),
    "Mkr": ("heading", "column", "line_above", "line_below", "section"),
}
NEGATIVES = ("unsigned", "hyphen", "minus", "endash", "paren")
THOUSANDS = {"space": " ", "nbsp": "\u00a0", "nnbsp": "\u202f", "none": ""}
YEAR_HEADERS = ("year", "date", "utfall", "bokslut", "period")
STATE_FORMS = ("staten_genom_fk", "fk", "fk_af", "driftbidrag_staten")
# Cost lines printed above the total of a sub-headed income statement, (label, line code) by what each
# line means: a line that is one kind of the förbund's costs has that kind's code (staff, financed
# interventions, the rest); a line that is only a part of one kind (individual and structural
# interventions are both intervention costs; a kansli's administration holds staff and premises alike)
# fits no code: `other`. Costs are negative in the warehouse.
COST_BREAKDOWNS = (
    (
        ("Personalkostnader", "personnel_costs"),
        ("Kostnader för finansierade insatser", "intervention_costs"),
        ("Övriga kostnader", "other_operating_costs"),
    ),
    (
        ("Löner och sociala avgifter", "personnel_costs"),
        ("Medel till insatser", "intervention_costs"),
        ("Övriga driftkostnader", "other_operating_costs"),
    ),
    (
        ("Arvoden och löner", "personnel_costs"),
        ("Beviljade insatsmedel", "intervention_costs"),
        ("Lokaler och administration", "other_operating_costs"),
    ),
    (
        ("Kansli och administration", "other"),
        ("Individinriktade insatser", "other"),
        ("Strukturövergripande insatser", "other"),
    ),
    (
        ("Personalkostnader", "personnel_costs"),
        ("Individinriktade insatser", "other"),
        ("Strukturinriktade insatser", "other"),
    ),
)
COST_CODES = frozenset({"operating_costs", "personnel_costs", "intervention_costs", "other_operating_costs"})

# What the generator prints for a statement line, by the line's code (`/sum`: the line closes a group
# above it). RKR's wording first, then others a förbund might print for the same line; written for this
# corpus from the accounting meaning, not taken from the program's vocabulary.
INCOME_WORDS = {
    "revenue_total": ("Verksamhetens intäkter", "Intäkter", "Summa intäkter", "Verksamhetsintäkter", "Rörelseintäkter"),
    "revenue_total/sum": (
        "Summa intäkter",
        "Summa verksamhetens intäkter",
        "Summa verksamhetsintäkter",
        "Intäkter totalt",
    ),
    "member_contributions": (
        "Medlemsavgifter",
        "Bidrag från medlemmar",
        "Erhållna medlemsbidrag",
        "Bidrag från förbundsmedlemmarna",
        "Bidrag från staten, regionen och kommunerna",
    ),
    "other_revenue": ("Övriga intäkter", "Övriga bidrag", "Projektmedel", "Andra intäkter"),
    "operating_costs": ("Verksamhetens kostnader", "Kostnader", "Verksamhetskostnader", "Summa kostnader"),
    "operating_costs/sum": ("Summa verksamhetens kostnader", "Summa kostnader", "Summa verksamhetskostnader"),
    # the operating result as a result, or (`nettokostnad`) as the net cost of the year's operations
    "operating_result": (
        "Verksamhetens resultat",
        "Verksamhetens nettokostnad",
        "Rörelseresultat",
        "Resultat före finansnetto",
    ),
    "financial_income": (
        "Finansiella intäkter",
        "Ränteintäkter",
        "Ränteintäkter och liknande poster",
        "Erhållna räntor",
    ),
    "financial_costs": (
        "Finansiella kostnader",
        "Räntekostnader",
        "Räntekostnader och liknande poster",
        "Erlagda räntor",
    ),
    "result_after_financial": (
        "Resultat efter finansiella poster",
        "Resultat före extraordinära poster",
        "Resultat efter finansnetto",
    ),
    "net_result": ("Årets resultat", "Årets resultat", "Årets över- eller underskott"),
}
BALANCE_WORDS = {
    "receivables": ("Kortfristiga fordringar", "Fordringar", "Korta fordringar", "Fordringar, kortfristiga"),
    "cash_and_bank": ("Kassa och bank", "Likvida medel", "Bank", "Bankmedel", "Kassa och bankmedel"),
    "total_assets/sum": ("Summa tillgångar", "Summa tillgångar", "Totala tillgångar"),
    "equity_total/sum": ("Summa eget kapital", "Summa eget kapital", "Eget kapital vid årets slut"),
    "equity_other": (
        "Ingående eget kapital",
        "Balanserat resultat",
        "Övrigt eget kapital",
        "Balanserade överskott från tidigare år",
    ),
    "short_term_liabilities": ("Kortfristiga skulder", "Korta skulder", "Skulder, kortfristiga"),
    "total_equity_and_liabilities/sum": (
        "Summa eget kapital och skulder",
        "Summa eget kapital, avsättningar och skulder",
        "Summa skulder och eget kapital",
    ),
}
CASH_FLOW_WORDS = {
    "cf_net_result": ("Årets resultat", "Periodens resultat", "Resultat efter finansiella poster"),
    "cf_non_cash_adjustments": (
        "Justering för ej likviditetspåverkande poster",
        "Justering för poster som inte påverkar likviditeten",
        "Ej kassaflödespåverkande poster",
    ),
    "cf_before_working_capital/sum": (
        "Medel från verksamheten före förändring av rörelsekapital",
        "Kassaflöde före förändring av rörelsekapital",
        "Kassaflöde från verksamheten före förändringar i rörelsekapital",
    ),
    # (receivables, liabilities): the change of each in one wording
    "cf_change": (
        ("Ökning/minskning kortfristiga fordringar", "Ökning/minskning kortfristiga skulder"),
        ("Minskning/ökning kortfristiga fordringar", "Minskning/ökning kortfristiga skulder"),
        ("Förändring av kortfristiga fordringar", "Förändring av kortfristiga skulder"),
        ("Ökning (-)/minskning (+) av rörelsefordringar", "Ökning (+)/minskning (-) av rörelseskulder"),
        ("Förändring rörelsefordringar", "Förändring rörelseskulder"),
    ),
    "cf_operating/sum": (
        "Kassaflöde från den löpande verksamheten",
        "Kassaflöde för den löpande verksamheten",
        "Kassaflöde från löpande verksamhet",
        "Medel från den löpande verksamheten",
    ),
    "cf_investing": ("Kassaflöde från investeringsverksamheten", "Kassaflöde från investeringsverksamhet"),
    "cf_financing": ("Kassaflöde från finansieringsverksamheten", "Kassaflöde från finansieringsverksamhet"),
    "cf_total/sum": ("Årets kassaflöde", "Årets förändring", "Förändring av likvida medel", "Periodens kassaflöde"),
    "cash_begin": (
        "Likvida medel vid årets början",
        "Ingående likvida medel",
        "Likvida medel vid årets ingång",
        "Likvida medel 1 januari",
    ),
    "cash_end/sum": (
        "Likvida medel vid årets slut",
        "Utgående likvida medel",
        "Likvida medel vid årets utgång",
        "Likvida medel 31 december",
    ),
}

# The dimensions recorded per report (truth["dimensions"]), in the order the score table prints them.
DIMENSIONS = (
    "dress",
    "origin",
    "name_form",
    "neighbours",
    "neighbour_dominant",
    "collision_word",
    "org_nr",
    "unit",
    "unit_place",
    "negative",
    "thousands",
    "column_order",
    "year_header",
    "note_column",
    "budget_column",
    "income_layout",
    "cost_lines",
    "operating_label",
    "equity_style",
    "cash_flow_title",
    "jamforelsestorande",
    "contrib_unit",
    "contrib_note_title",
    "state_form",
    "region_form",
    "kommun_form",
)

REGION_BY_LAN = {
    "01": "Region Stockholm",
    "03": "Region Uppsala",
    "04": "Region Sörmland",
    "05": "Region Östergötland",
    "06": "Region Jönköpings län",
    "07": "Region Kronoberg",
    "08": "Region Kalmar län",
    "09": "Region Gotland",
    "10": "Region Blekinge",
    "12": "Region Skåne",
    "13": "Region Halland",
    "14": "Västra Götalandsregionen",
    "17": "Region Värmland",
    "18": "Region Örebro län",
    "19": "Region Västmanland",
    "20": "Region Dalarna",
    "21": "Region Gävleborg",
    "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen",
    "24": "Region Västerbotten",
    "25": "Region Norrbotten",
}
# Municipalities whose payer name is not "<genitive> kommun".
SPECIAL_PAYER = {"0180": "Stockholms stad", "1480": "Göteborgs stad", "1280": "Malmö stad", "2080": "Falu kommun"}
_GENERIC_WORDS = frozenset({"samordningsforbund", "samordningsforbundet", "finsam", "och", "i", "sof", "s"})
_WEAK_WORDS = frozenset(
    {"norra", "sodra", "vastra", "ostra", "centrala", "mellersta", "ovre", "nedre", "stad", "lan", "mitt", "nord"}
)
_DIRECTIONS = ("Norra", "Södra", "Västra", "Östra", "Centrala")

FIRST_NAMES = [
    "Anna",
    "Maria",
    "Eva",
    "Karin",
    "Kristina",
    "Lena",
    "Sara",
    "Emma",
    "Johanna",
    "Malin",
    "Ingrid",
    "Linnea",
    "Elin",
    "Sofia",
    "Helena",
    "Ulrika",
    "Camilla",
    "Lars",
    "Anders",
    "Johan",
    "Per",
    "Karl",
    "Erik",
    "Mikael",
    "Peter",
    "Jan",
    "Hans",
    "Stefan",
    "Fredrik",
    "Mats",
    "Magnus",
    "Jonas",
    "Niklas",
    "Henrik",
    "Ola",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Lundgren",
    "Berglund",
    "Sandberg",
    "Forsberg",
    "Holm",
    "Åberg",
    "Ström",
    "Sjöberg",
    "Hedlund",
    "Öberg",
    "Wallin",
    "Nyström",
    "Engström",
    "Lundin",
    "Björk",
    "Ekström",
    "Dahlberg",
    "Söderlund",
]
INTERVENTIONS = (
    "Rehabteamet",
    "Steget vidare",
    "Jobbspåret",
    "Unga in",
    "Samverkansarenan",
    "Navigatorcentrum",
    "Vägen framåt",
    "Kompassen",
    "Arbetsträningsplattformen",
    "Grön rehab",
    "Hälsolotsen",
    "Förstärkt samverkan",
)


# Real samordningsförbund, as they name themselves in their reports (names are facts of the world), with
# their member kommuner by official kommun code (`assets/reference/kommuner.csv`) and the name forms they
# can be written in. Written for this corpus, not taken from the program's registry: some of them are in
# it, some are not, as with any förbund whose report the pipeline is given.
REAL_FORBUND: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Stockholms stad", ("0180",), ("samordningsforbundet_x", "finsam_x")),
    ("Östra Södertörn", ("0136", "0138", "0192"), ("samordningsforbundet_x", "genitive", "finsam_x")),
    ("VärNa", ("0120", "0182"), ("samordningsforbundet_x", "finsam_x")),
    ("Södertälje", ("0181",), ("samordningsforbundet_x", "i_x", "finsam_x")),
    (
        "Uppsala län",
        ("0305", "0319", "0330", "0331", "0360", "0380", "0381", "0382"),
        ("samordningsforbundet_x", "i_x", "genitive"),
    ),
    ("Halland", ("1315", "1380", "1381", "1382", "1383", "1384"), NAME_FORMS),
    (
        "Skaraborg",
        tuple(
            [
                "1444",
                "1445",
                "1446",
                "1447",
                "1470",
                "1471",
                "1472",
                "1473",
                "1493",
                "1494",
                "1495",
                "1496",
                "1497",
                "1498",
                "1499",
            ]
        ),
        NAME_FORMS,
    ),
    ("Västerås", ("1980",), NAME_FORMS),
    ("Södra Vätterbygden", ("0642", "0643", "0680"), ("samordningsforbundet_x", "i_x", "finsam_x")),
    (
        "Centrala Östergötland",
        ("0509", "0512", "0513", "0560", "0561", "0580", "0583", "0584", "0586"),
        ("samordningsforbundet_x", "genitive", "finsam_x"),
    ),
    ("Östra Östergötland", ("0562", "0563", "0581", "0582"), ("samordningsforbundet_x", "genitive", "finsam_x")),
    ("Malmö", ("1280",), ("samordningsforbundet_x", "i_x", "finsam_x")),
    ("Umeå", ("2480",), ("samordningsforbundet_x", "i_x", "finsam_x")),
    (
        "Jämtlands län",
        ("2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"),
        ("samordningsforbundet_x", "i_x", "genitive"),
    ),
    ("Västra Mälardalen", ("1960", "1983", "1984"), ("samordningsforbundet_x", "i_x", "finsam_x")),
    ("Göteborg Nordost", ("1480",), ("samordningsforbundet_x", "finsam_x")),
    ("Göteborg Hisingen", ("1480",), ("samordningsforbundet_x", "finsam_x")),
    (
        "Kalmar län",
        ("0821", "0834", "0840", "0860", "0861", "0862", "0880", "0881", "0882", "0883", "0884", "0885"),
        ("samordningsforbundet_x", "i_x", "genitive"),
    ),
    ("Landskrona-Svalöv", ("1214", "1282"), ("samordningsforbundet_x", "finsam_x")),
    ("Östra Norrbotten", ("2513", "2514", "2518", "2583"), ("samordningsforbundet_x", "genitive", "finsam_x")),
    ("Trelleborg", ("1287",), NAME_FORMS),
    ("Gävle", ("2180",), ("samordningsforbundet_x", "i_x", "finsam_x")),
)


# --- official code lists ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower-case ASCII words (the generator's own, independent of the program's)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def stems(name: str) -> tuple[str, ...]:
    """A name's distinctive words, genitive -s taken off, generic words (samordningsförbund, finsam, i) dropped:
    the generator's own notion of which förbund a name names, whatever its form."""
    words = [w for w in fold(name.replace(":s", "")).split() if w not in _GENERIC_WORDS]
    return tuple(w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words)


def _csv(name: str) -> list[dict[str, str]]:
    """An official code list (kommuner, län): the only files of `assets/reference/` the corpus reads."""
    if name not in ("kommuner.csv", "lan.csv"):
        raise ValueError(f"the dialect corpus reads only the official code lists, not {name}")
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Kommun:
    code: str
    name: str
    lan_code: str
    lan_name: str


@cache
def kommuner() -> dict[str, Kommun]:
    return {
        r["kommun_code"]: Kommun(r["kommun_code"], r["kommun_name"], r["lan_code"], r["lan_name"])
        for r in _csv("kommuner.csv")
    }


@cache
def lan_names() -> dict[str, str]:
    return {r["lan_code"]: r["lan_name"] for r in _csv("lan.csv")}


def made_up_org_number(rng: random.Random) -> str:
    """A kommunalförbund-like organisation number (2220xx-xxxx) whose Luhn check digit is wrong, so it is no
    real organisation's: a report printing it can only be known by its name."""
    while True:
        digits = f"2220{rng.randint(0, 2):02d}{rng.randint(1000, 9999)}"
        if not _luhn_ok(digits):
            return f"{digits[:6]}-{digits[6:]}"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(digits[:-1]):
        v = int(c) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return (10 - total % 10) % 10 == int(digits[-1])


# --- förbund and their names ------------------------------------------------------------------


def genitive(name: str) -> str:
    """`Norrtälje` -> `Norrtäljes`, `Kramfors` -> `Kramfors`, `Kalmar län` -> `Kalmar läns`, `ÖKH` -> `ÖKH:s`."""
    if name.isupper() and len(name) <= 6:
        return name + ":s"
    return name if name[-1].lower() in "sxz" else name + "s"


def kommun_payer_name(kommun: Kommun) -> str:
    """How a municipality is named as a payer: `Halmstads kommun`, `Borlänge kommun`, `Göteborgs stad`."""
    if kommun.code in SPECIAL_PAYER:
        return SPECIAL_PAYER[kommun.code]
    name = kommun.name
    return f"{name} kommun" if name[-1].lower() in "aeiouyåäösxz" else f"{name}s kommun"


@dataclass
class Forbund:
    key: str  # the generator's own id for this förbund (not the program's)
    base: str  # the name's core: `Norrtälje`, `Kalmar län`, `Norra Dalarna`, `ÖKH`
    kind: str  # real | kommun | lan | direction | acronym
    kommun_codes: tuple[str, ...]
    regions: tuple[str, ...]
    forms: tuple[str, ...] = NAME_FORMS  # name forms this förbund can be written in
    org_number: str = ""
    years: list[int] = field(default_factory=list)
    granularity: int = 1  # every amount is a multiple of this (1000 for tkr reports, 10 000 for Mkr)
    unit_profile: str = "kr"
    series: dict[int, YearFigures] = field(default_factory=dict)

    @property
    def real(self) -> bool:
        return self.kind == "real"

    def name(self, form: str) -> str:
        if form == "samordningsforbundet_x":
            return f"Samordningsförbundet {self.base}"
        if form == "genitive":
            return f"{genitive(self.base)} samordningsförbund"
        if form == "i_x":
            return f"Samordningsförbundet i {self.base}"
        if form == "finsam_x":
            return f"Finsam {self.base}"
        raise ValueError(form)


def _real_forbund() -> list[Forbund]:
    all_kommuner = kommuner()
    out = []
    for base, codes, forms in REAL_FORBUND:
        lan = all_kommuner[codes[0]].lan_code
        out.append(Forbund(f"real_{fold(base).replace(' ', '_')}", base, "real", codes, (REGION_BY_LAN[lan],), forms))
    return out


def _made_up_candidates(real: Sequence[Forbund], rng: random.Random) -> list[Forbund]:
    """Plausible förbund from real kommun and län names, none of them one of the generator's real förbund.

    Kommuner that are members of a real förbund of the list are used last; no word of a candidate's name
    may be a distinctive word of a real förbund's name. (A made-up name may still be that of a real förbund
    the list does not hold: the report is then that förbund's, by its name.)
    """
    taken_words = {w for f in real for w in stems(f.base) if w not in _WEAK_WORDS}
    members = {c for f in real for c in f.kommun_codes}
    all_kommuner = [k for k in kommuner().values() if k.lan_code != "09"]

    def free(k: Kommun) -> bool:
        return not (set(stems(k.name)) & taken_words)

    fresh = [k for k in all_kommuner if free(k) and k.code not in members]
    spare = [k for k in all_kommuner if free(k) and k.code in members]
    rng.shuffle(fresh)
    rng.shuffle(spare)
    pool = fresh + spare
    used: set[str] = set()
    out: list[Forbund] = []

    def take(lan_code: str, count: int) -> tuple[str, ...] | None:
        chosen = [k.code for k in pool if k.lan_code == lan_code and k.code not in used][:count]
        if len(chosen) < count:
            return None
        used.update(chosen)
        return tuple(chosen)

    def add(base: str, kind: str, codes: tuple[str, ...], forms: tuple[str, ...] = NAME_FORMS) -> None:
        if set(stems(base)) & taken_words or any(stems(f.base) == stems(base) for f in out):
            return
        lan = kommuner()[codes[0]].lan_code
        out.append(
            Forbund(f"new_{fold(base).replace(' ', '_')}", base, kind, codes, (REGION_BY_LAN[lan],), forms=forms)
        )

    lans = [code for code in lan_names() if code != "09"]
    rng.shuffle(lans)
    for lan in lans[:4]:  # a whole län: Samordningsförbundet i Kalmar län
        name = lan_names()[lan]
        if not (set(stems(name)) & taken_words):
            codes = take(lan, rng.randint(3, 5))
            if codes:
                add(name, "lan", codes)
    for lan in lans[4:10]:  # a part of a landskap: Norra Dalarna
        stem = re.sub(r" län$", "", lan_names()[lan])
        if " " in stem:
            continue
        stem = stem[:-1] if stem.endswith("s") and not stem.endswith("ss") else stem
        codes = take(lan, rng.randint(2, 4))
        if codes:
            add(f"{rng.choice(_DIRECTIONS)} {stem}", "direction", codes)
    for lan in lans[10:14]:  # initials of three kommuner: Samordningsförbundet ÖKH
        codes = take(lan, 3)
        if codes:
            initials = "".join(kommuner()[c].name[0].upper() for c in codes)
            add(initials, "acronym", codes, ("samordningsforbundet_x", "genitive", "finsam_x"))
    for k in pool:  # one kommun: Samordningsförbundet Norrtälje
        if k.code not in used:
            used.add(k.code)
            add(k.name, "kommun", (k.code,))
    return out


def choose_forbund(count: int, rng: random.Random) -> list[Forbund]:
    """About seven reports per förbund, at least 25 förbund, at least half of them made up."""
    wanted = max(30, math.ceil(count / 7))
    real = _real_forbund()
    n_real = min(len(real), max(6, wanted // 3))
    chosen = rng.sample(real, n_real)
    candidates = _made_up_candidates(real, rng)
    special = [f for f in candidates if f.kind != "kommun"]
    singles = [f for f in candidates if f.kind == "kommun"]
    n_new = wanted - n_real
    picked = special[: max(0, n_new // 3)]
    picked += singles[: n_new - len(picked)]
    chosen += picked
    for forbund in chosen:
        forbund.years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    return chosen


# --- figures -----------------------------------------------------------------------------------


def round_to(value: float, step: int) -> int:
    return round(value / step) * step


@dataclass
class YearFigures:
    """One förbund-year of figures in kronor, true signs (costs negative)."""

    year: int
    contributions: int
    payers: list[tuple[str, str, str | None, int]]  # (key, type, kommun_code, amount)
    other_revenue: int
    revenue: int
    costs: int  # negative
    cost_parts: tuple[int, int, int]  # administration, individual, structural (negative)
    jamforelsestorande: int
    operating_result: int
    financial_income: int
    financial_costs: int  # negative
    result_after_financial: int
    net_result: int
    equity_before: int
    equity: int
    receivables: int
    receivable_parts: tuple[int, int]
    liabilities: int
    liability_parts: tuple[int, int]
    cash: int
    budget: dict[str, int]


def _split(total: int, weights: Sequence[float], step: int) -> list[int]:
    """`total` in parts proportional to `weights`, each a positive multiple of `step`, summing exactly."""
    parts = [max(step, round_to(total * w / sum(weights), step)) for w in weights[:-1]]
    parts.append(total - sum(parts))
    if parts[-1] <= 0:
        return _split(total, [1.0] * len(weights), step)
    return parts


def build_series(forbund: Forbund, rng: random.Random) -> dict[int, YearFigures]:
    g = forbund.granularity
    q = max(g, 1_000)
    n = len(forbund.kommun_codes)
    size = 3 if forbund.unit_profile == "Mkr" else 1  # figures printed in Mkr belong to the larger förbund
    contributions = round_to(size * rng.randint(1_400_000, 3_200_000) * (1 + 0.55 * (n - 1)), 8 * q)
    kommun_weights = [rng.uniform(1, 8) for _ in range(n)]
    region_weights = [rng.uniform(1, 3) for _ in forbund.regions]
    equity = round_to(contributions * rng.uniform(0.1, 0.45), g)
    receivables = round_to(contributions * rng.uniform(0.02, 0.12), g)
    liabilities = round_to(contributions * rng.uniform(0.04, 0.2), g)
    series: dict[int, YearFigures] = {}
    for year in range(SERIES_START, LAST_YEAR + 1):
        if year > SERIES_START:
            contributions = round_to(contributions * rng.uniform(0.97, 1.06), 8 * q)
        state = contributions // 2
        payers = [("state", "state", None, state)]
        for region, amount in zip(forbund.regions, _split(contributions // 4, region_weights, q), strict=True):
            payers.append((f"region:{region}", "region", None, amount))
        for code, amount in zip(forbund.kommun_codes, _split(contributions // 4, kommun_weights, q), strict=True):
            payers.append((f"kommun:{code}", "municipality", code, amount))
        other = 0 if rng.random() < 0.45 else round_to(rng.randint(20_000, 400_000), q)
        revenue = contributions + other
        ratio = equity / contributions
        low, high = (1.02, 1.2) if ratio > 0.35 else (0.85, 0.99) if ratio < 0.12 else (0.9, 1.1)
        costs = -round_to(revenue * rng.uniform(low, high), g)
        admin = -round_to(-costs * rng.uniform(0.15, 0.3), g)
        individual = -round_to(-costs * rng.uniform(0.3, 0.45), g)
        cost_parts = (admin, individual, costs - admin - individual)
        jamforelse = 0 if rng.random() < 0.88 else round_to(rng.choice((-1, 1)) * rng.randint(30_000, 160_000), g)
        operating = revenue + costs + jamforelse
        financial_income = round_to(rng.randint(0, 30_000), g) if rng.random() < 0.8 else 0
        financial_costs = -round_to(rng.randint(0, 9_000), g) if rng.random() < 0.6 else 0
        after_financial = operating + financial_income + financial_costs
        before = equity
        equity = before + after_financial
        receivables = round_to(contributions * rng.uniform(0.02, 0.12), g)
        liabilities = round_to(contributions * rng.uniform(0.04, 0.2), g)
        cash = equity + liabilities - receivables
        if cash < 100_000:
            liabilities += round_to(100_000 - cash + rng.randint(50_000, 300_000), g)
            cash = equity + liabilities - receivables
        receivable_parts = (round_to(receivables * rng.uniform(0.2, 0.6), g),)
        receivable_parts += (receivables - receivable_parts[0],)
        liability_parts = (round_to(liabilities * rng.uniform(0.3, 0.7), g),)
        liability_parts += (liabilities - liability_parts[0],)
        budget_revenue = contributions + round_to(other * 0.5, q)
        budget_costs = -round_to(-costs * rng.uniform(1.05, 1.25), g)
        budget_parts = _split(-budget_costs, [-p for p in cost_parts], g)
        budget_operating = budget_revenue + budget_costs
        budget_fin_income = round_to(financial_income * 0.5, g)
        budget_after = budget_operating + budget_fin_income
        budget = {
            "member_contributions": contributions,
            "other_revenue": budget_revenue - contributions,
            "revenue_total": budget_revenue,
            "operating_costs": budget_costs,
            "cost_part_0": -budget_parts[0],
            "cost_part_1": -budget_parts[1],
            "cost_part_2": -budget_parts[2],
            "jamforelsestorande": 0,
            "operating_result": budget_operating,
            "financial_income": budget_fin_income,
            "financial_costs": 0,
            "result_after_financial": budget_after,
            "net_result": budget_after,
        }
        series[year] = YearFigures(
            year=year,
            contributions=contributions,
            payers=payers,
            other_revenue=other,
            revenue=revenue,
            costs=costs,
            cost_parts=cost_parts,
            jamforelsestorande=jamforelse,
            operating_result=operating,
            financial_income=financial_income,
            financial_costs=financial_costs,
            result_after_financial=after_financial,
            net_result=after_financial,
            equity_before=before,
            equity=equity,
            receivables=receivables,
            receivable_parts=receivable_parts,
            liabilities=liabilities,
            liability_parts=liability_parts,
            cash=cash,
            budget=budget,
        )
    return series


# --- printing amounts --------------------------------------------------------------------------


def _group(digits: str, separator: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_amount(kronor: int, unit: str, separator: str, negative: str, kind: str = "plain") -> str:
    """An amount as the report prints it. `kind`: plain (true sign), cost (unsigned style drops
    the sign), netcost (unsigned style prints the net cost, i.e. the result's opposite)."""
    if negative == "unsigned" and kind == "cost":
        kronor = abs(kronor)
    elif negative == "unsigned" and kind == "netcost":
        kronor = -kronor
    factor = UNIT_FACTOR[unit]
    if unit == "Mkr":
        if kronor % 10_000:
            raise ValueError(f"{kronor} is not exact in Mkr with two decimals")
        whole, rest = divmod(abs(kronor), 1_000_000)
        body = f"{_group(str(whole), separator)},{rest // 10_000:02d}"
    else:
        if kronor % factor:
            raise ValueError(f"{kronor} is not exact in {unit}")
        body = _group(str(abs(kronor) // factor), separator)
    if kronor >= 0:
        return body
    style = "hyphen" if negative == "unsigned" else negative
    return {"hyphen": f"-{body}", "minus": f"\u2212{body}", "endash": f"\u2013{body}", "paren": f"({body})"}[style]


# --- the document model ----------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    note: str = ""
    cells: list[str] = field(default_factory=list)  # one per value column; empty for a sub-heading
    style: str = "line"  # line | sub | sum
    line_no: int | None = None  # 1-based line in the written text (text dresses), set when rendered


@dataclass
class Table:
    corner: str  # the first header cell: a unit or nothing
    headers: list[str]
    rows: list[Row]
    note_column: bool = False


@dataclass
class Block:
    kind: str  # title | heading | para | table | page | lines
    text: str = ""
    level: int = 1
    table: Table | None = None
    lines: list[str] = field(default_factory=list)


@dataclass
class Fact:
    statement: str
    line_code: str
    fiscal_year: int
    amount_sek: int
    label: str
    row: Row


@dataclass
class Report:
    index: int
    forbund: Forbund
    year: int
    dims: dict[str, str]
    own_name: str
    neighbours: list[str]
    blocks: list[Block]
    facts: list[Fact]
    contributions: list[dict]
    budget_values: list[dict]
    file_name: str = ""

    def truth(self) -> dict:
        f = self.forbund
        return {
            "file": self.file_name,
            "forbund": {
                "key": f.key,
                "name": self.own_name,
                "name_form": self.dims["name_form"],
                "origin": "real" if f.real else "made_up",
                "base": f.base,
                "org_number": self.dims.get("org_number_printed") or None,
                "kommun_codes": list(f.kommun_codes),
                "neighbours": self.neighbours,
            },
            "fiscal_year": self.year,
            "document_type": "arsredovisning",
            "dimensions": {k: self.dims[k] for k in DIMENSIONS},
            "facts": [
                {
                    "statement": x.statement,
                    "line_code": x.line_code,
                    "fiscal_year": x.fiscal_year,
                    "amount_sek": x.amount_sek,
                    "label": x.label,
                    "line": x.row.line_no,
                }
                for x in self.facts
            ],
            "contributions": self.contributions,
            "budget_values": self.budget_values,
        }


# --- choosing dialects ------------------------------------------------------------------------------


def _balanced(values: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """`count` choices covering every value about equally often, in random order."""
    out = [values[i % len(values)] for i in range(count)]
    rng.shuffle(out)
    return out


def _weighted(pairs: Sequence[tuple[str, int]], count: int, rng: random.Random) -> list[str]:
    return _balanced([v for v, w in pairs for _ in range(w)], count, rng)


def plan_reports(count: int, seed: int, dresses: Sequence[str] = DRESSES) -> list[tuple[Forbund, int, dict]]:
    """Which förbund and year each report is, and its choice in every dimension."""
    rng = random.Random(seed)
    forbund = choose_forbund(count, rng)
    # Distinct (förbund, year) pairs: a second report of the same förbund and year would supersede the first.
    queues = {f.key: rng.sample(f.years, len(f.years)) for f in forbund}
    slots: list[tuple[Forbund, int]] = []
    while len(slots) < count:
        before = len(slots)
        for f in forbund:
            if queues[f.key] and len(slots) < count:
                slots.append((f, queues[f.key].pop()))
        if len(slots) == before:
            raise ValueError(f"{count} reports need more förbund-years than the {len(slots)} there are")
    rng.shuffle(slots)
    profiles = _weighted((("kr", 9), ("tkr", 8), ("Mkr", 3)), len(forbund), rng)
    for f, profile in zip(forbund, profiles, strict=True):
        f.unit_profile = profile
        f.granularity = {"kr": 1, "tkr": 1_000, "Mkr": 10_000}[profile]
    columns = {
        "dress": _balanced(dresses, count, rng),
        "name_form": _balanced(NAME_FORMS, count, rng),
        "negative": _balanced(NEGATIVES, count, rng),
        "thousands": _balanced(tuple(THOUSANDS), count, rng),
        "column_order": _balanced(("current_first", "prior_first"), count, rng),
        "year_header": _balanced(YEAR_HEADERS, count, rng),
        "note_column": _balanced(("yes", "no"), count, rng),
        "budget_column": _weighted((("yes", 3), ("no", 7)), count, rng),
        "income_layout": _balanced(("flat", "split", "subheaded"), count, rng),
        "operating_label": _balanced(INCOME_WORDS["operating_result"], count, rng),
        "equity_style": _balanced(("summa", "headline", "lines"), count, rng),
        "cash_flow_title": _weighted((("Kassaflödesanalys", 2), ("Finansieringsanalys", 1)), count, rng),
        "contrib_unit": _balanced(("kr", "tkr"), count, rng),
        "contrib_note_title": _balanced(
            ("Verksamhetens intäkter", "Medlemsavgifter", "Erhållna medlemsbidrag", "Tilldelning från medlemmarna"),
            count,
            rng,
        ),
        "state_form": _balanced(STATE_FORMS, count, rng),
        "region_form": _balanced(("named", "driftbidrag"), count, rng),
        "kommun_form": _balanced(("named", "driftbidrag", "kommunen"), count, rng),
        "neighbour_dominant": _weighted((("yes", 2), ("no", 3)), count, rng),
        "collision_word": _weighted((("yes", 2), ("no", 3)), count, rng),
        "org_nr": _balanced(("yes", "no"), count, rng),
        "neighbours": _balanced(("real", "made_up", "both"), count, rng),
    }
    unit_rng = random.Random(seed + 1)
    place_cycles = {unit: _balanced(places, count, unit_rng) for unit, places in UNIT_PLACES.items()}
    plans = []
    for i, (f, year) in enumerate(slots):
        dims = {name: values[i] for name, values in columns.items()}
        dims["origin"] = "real" if f.real else "made_up"
        if dims["name_form"] not in f.forms:
            dims["name_form"] = rng.choice(f.forms)
        if dims["kommun_form"] == "kommunen" and len(f.kommun_codes) > 1:
            dims["kommun_form"] = rng.choice(("named", "driftbidrag"))
        unit = {
            "kr": "kr",
            "tkr": rng.choice(("tkr", "tkr", "tkr", "kr")),
            "Mkr": rng.choice(("Mkr", "Mkr", "tkr", "kr")),
        }[f.unit_profile]
        dims["unit"] = unit
        dims["unit_place"] = place_cycles[unit][i]
        plans.append((f, year, dims))
    series_rng = random.Random(seed + 2)
    for f in sorted(forbund, key=lambda f: f.key):
        f.series = build_series(f, series_rng)
        f.org_number = made_up_org_number(series_rng)
    return plans


# --- writing one report --------------------------------------------------------------------------


class ReportWriter:
    """Builds one report's blocks and its truth from a förbund, a year and the dialect choices."""

    def __init__(self, index: int, forbund: Forbund, year: int, dims: dict, others: Sequence[Forbund], seed: int):
        self.index = index
        self.f = forbund
        self.year = year
        self.dims = dims
        self.rng = random.Random(seed * 100_003 + index)
        self.others = others
        self.blocks: list[Block] = []
        self.facts: list[Fact] = []
        self.contributions: list[dict] = []
        self.budget_values: list[dict] = []
        self.unit = dims["unit"]
        self.sep = THOUSANDS[dims["thousands"]]
        self.negative = dims["negative"]
        self.numbered = self.rng.random() < 0.5
        self.own_name = forbund.name(dims["name_form"])
        self.cur = forbund.series[year]
        self.prev = forbund.series[year - 1]
        self.kommuner = [kommuner()[c] for c in forbund.kommun_codes]
        self.section_unit = dims["unit_place"] == "section"
        self.markdown_bold = self.rng.random() < 0.4
        self.neighbour_names: list[str] = []

    # amounts ------------------------------------------------------------------
    def amount(self, kronor: int, kind: str = "plain", unit: str | None = None) -> str:
        return format_amount(kronor, unit or self.unit, self.sep, self.negative, kind)

    def tkr(self, kronor: int) -> str:
        return (
            _group(str(round(abs(kronor) / 1000)), " ")
            if kronor >= 0
            else "-" + _group(str(round(-kronor / 1000)), " ")
        )

    # text helpers --------------------------------------------------------------
    def heading(self, number: str, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", f"{number} {text}" if self.numbered and number else text, level))

    def para(self, text: str) -> None:
        self.blocks.append(Block("para", text))

    def kommun_list(self) -> str:
        names = [k.name for k in self.kommuner]
        if len(names) == 1:
            return kommun_payer_name(self.kommuner[0])
        return "kommunerna " + ", ".join(names[:-1]) + " och " + names[-1]

    def regions_text(self) -> str:
        return " och ".join(self.f.regions)

    # the report ----------------------------------------------------------------
    def build(self) -> Report:
        self.choose_neighbours()
        self.title_page()
        if self.rng.random() < 0.4:
            self.table_of_contents()
        self.management_report()
        self.financial_part()
        self.signatures()
        dims = dict(self.dims)
        dims["org_number_printed"] = self.org_printed
        return Report(
            index=self.index,
            forbund=self.f,
            year=self.year,
            dims=dims,
            own_name=self.own_name,
            neighbours=self.neighbour_names,
            blocks=self.blocks,
            facts=self.facts,
            contributions=self.contributions,
            budget_values=self.budget_values,
        )

    def choose_neighbours(self) -> None:
        real = [o for o in self.others if o.real and o.key != self.f.key]
        made_up = [o for o in self.others if not o.real and o.key != self.f.key]
        kind = self.dims["neighbours"]
        picks: list[Forbund] = []
        if kind in ("real", "both"):
            picks.append(self.rng.choice(real))
        if kind in ("made_up", "both"):
            picks.append(self.rng.choice(made_up))
        self.neighbour_names = [o.name(self.rng.choice(o.forms)) for o in picks]

    def title_page(self) -> None:
        rng, y = self.rng, self.year
        self.blocks.append(Block("title", self.own_name))
        self.org_printed = ""
        if self.dims["org_nr"] == "yes" and self.f.org_number:
            label = rng.choice(("Org.nr", "Organisationsnummer", "Orgnr:", "Org nr"))
            self.org_printed = self.f.org_number
            self.blocks.append(Block("para", f"{label} {self.f.org_number}"))
        title = rng.choice(
            (
                f"Årsredovisning {y}",
                f"Årsredovisning för {y}",
                f"ÅRSREDOVISNING {y}",
                f"Årsredovisning räkenskapsåret {y}",
            )
        )
        self.blocks.append(Block("title", title, level=2))
        if rng.random() < 0.5:
            self.para(f"För räkenskapsåret 1 januari – 31 december {y}")
        self.decided = f"{y + 1}-03-{rng.randint(10, 28):02d}"
        if rng.random() < 0.6:
            self.para(f"Beslutad av styrelsen {self.decided}")
        self.blocks.append(Block("page"))

    def table_of_contents(self) -> None:
        self.blocks.append(Block("heading", "Innehållsförteckning", 1))
        entries = [
            "Förvaltningsberättelse",
            "Resultaträkning",
            "Balansräkning",
            self.dims["cash_flow_title"],
            "Noter",
            "Underskrifter",
        ]
        page = 3
        lines = []
        for number, entry in enumerate(entries, 1):
            lines.append(f"{number}. {entry} {'.' * 8} {page}")
            page += self.rng.randint(1, 4)
        self.blocks.append(Block("lines", lines=lines))

    def management_report(self) -> None:
        rng, y = self.rng, self.year
        cur = self.cur
        self.heading("1.", "Förvaltningsberättelse")
        self.para(
            f"Årsredovisningen innehåller en översiktlig redogörelse av resultat och verksamhetsutveckling samt en "
            f"redovisning av det ekonomiska utfallet för budgetåret {y}."
        )
        self.heading("", "Organisation", 2)
        founded = rng.randint(2005, 2012)
        self.para(
            f"{self.own_name} är en fristående juridisk organisation med Arbetsförmedlingen, Försäkringskassan, "
            f"{self.regions_text()} samt {self.kommun_list()} som medlemmar. Förbundet bildades {founded}. "
            "Förbundets organisation består av en styrelse som utses av medlemmarna och ett kansli med en förbundschef."
        )
        self.heading("", "Uppdrag", 2)
        self.para(
            "Förbundets uppgift är att finansiera insatser för att medborgare som står långt från arbetsmarknaden "
            "ska få ett samordnat stöd på vägen mot egen försörjning. Förbundet stödjer också strukturövergripande "
            "insatser som "
            "skapar förutsättningar för att myndigheterna ska kunna samverka bättre."
        )
        self.heading("", "Finansiering", 2)
        kommun_part = kommun_payer_name(self.kommuner[0]) if len(self.kommuner) == 1 else "kommunerna gemensamt"
        self.para(
            f"Förbundet finansieras via Försäkringskassan och Arbetsförmedlingen med hälften av medlen, "
            f"{self.regions_text()} med en fjärdedel och {kommun_part} med resterande fjärdedel. "
            f"Medelstilldelningen från parterna uppgick {y} till {self.tkr(cur.contributions)} tkr."
        )
        self.cooperation()
        self.heading("", "Insatser", 2)
        for name in rng.sample(INTERVENTIONS, rng.randint(2, 3)):
            women, men = rng.randint(5, 40), rng.randint(5, 40)
            self.para(
                f"{name} är en individinriktad insats. Under {y} har {women + men} personer deltagit, varav {women} "
                f"kvinnor och {men} män. Insatsen har erhållit {rng.randint(2, 15) * 50} tkr i beviljade medel "
                f"under {y}."
            )
        if self.dims["collision_word"] == "yes":
            self.para(
                rng.choice(
                    (
                        "Samordningsförbundet ska värna om det goda samarbetet mellan parterna och om de "
                        "gemensamma resurserna.",
                        "Styrelsen värnar om att medlen används där de gör störst nytta, och förbundet vill värna "
                        "den enskildes delaktighet.",
                        "Finsam ska värna om samverkan även när parternas uppdrag förändras.",
                    )
                )
            )
        if rng.random() < 0.5:
            self.key_figures()
        self.heading("1.2", "Viktiga förhållanden för resultat och ekonomisk ställning", 2)
        self.para(
            f"Förbundet redovisar ett resultat på {self.tkr(cur.net_result)} tkr för {y}. "
            "Det egna kapitalet uppgår vid "
            f"årets slut till {self.tkr(cur.equity)} tkr, vilket motsvarar "
            f"{round(100 * cur.equity / cur.contributions)} % av medlemmarnas bidrag."
        )
        self.heading("1.3", "Händelser av väsentlig betydelse", 2)
        self.para(
            rng.choice(
                (
                    "Inga händelser av väsentlig betydelse har inträffat under året.",
                    "Förbundet har under året anställt en ny förbundschef.",
                )
            )
        )
        self.heading("1.4", "Förväntad utveckling", 2)
        self.para(
            f"Inför {y + 1} fortsätter arbetet enligt verksamhetsplan och budget för {y + 1}, "
            "med fokus på insatser för "
            "unga och för personer med långvarig sjukskrivning."
        )

    def cooperation(self) -> None:
        """Neighbours named in the prose, sometimes more often than the report's own förbund."""
        rng = self.rng
        if not self.neighbour_names:
            return
        self.heading("", "Samverkan", 2)
        first = self.neighbour_names[0]
        sentences = [f"Under året har förbundet samverkat med {first} kring en gemensam utbildningssatsning."]
        if len(self.neighbour_names) > 1:
            sentences.append(
                f"Tillsammans med {self.neighbour_names[1]} och {first} driver förbundet ett nätverk för "
                "förbundschefer i länet."
            )
        if self.dims["neighbour_dominant"] == "yes":
            sentences += [
                f"Insatsen Vägen vidare drivs i samverkan med {first}.",
                f"{first} står för processledningen och har anställt projektets samordnare.",
                f"Styrgruppen har under året sammanträtt hos {first}, som också ansvarar för uppföljningen.",
                f"Utvärderingen görs av {first} och redovisas i dess årsredovisning.",
            ]
        self.para(" ".join(sentences))
        if rng.random() < 0.5:
            self.para("Förbundet deltar i det nationella nätverket för samordningsförbund, NNS.")

    def key_figures(self) -> None:
        years = [self.year - k for k in range(4)]
        if self.dims["column_order"] == "prior_first":
            years.reverse()
        rows = []
        series = self.f.series
        for label, getter in (
            (self.rng.choice(("Verksamhetens intäkter", "Intäkter")), lambda s: self.tkr(s.revenue)),
            (self.rng.choice(("Verksamhetens kostnader", "Kostnader")), lambda s: self.tkr(s.costs)),
            ("Årets resultat", lambda s: self.tkr(s.net_result)),
            (
                self.rng.choice(("Soliditet", "Eget kapital i procent av tillgångarna")),
                lambda s: f"{round(100 * s.equity / (s.receivables + s.cash))}%",
            ),
            (self.rng.choice(("Antal anställda", "Medarbetare på kansliet")), lambda s: "1"),
        ):
            rows.append(Row(label, cells=[getter(series[y]) for y in years]))
        self.heading("1.1", "Översikt över verksamhetens utveckling", 2)
        self.blocks.append(Block("table", table=Table("", [str(y) for y in years], rows)))
        self.para(self.rng.choice(("Belopp i tkr", "Tkr", "Belopp i tusental kronor")))

    # statements ------------------------------------------------------------------------
    def unit_words(self, where: str) -> str:
        unit, rng = self.unit, self.rng
        long = {"kr": "kronor", "tkr": "tusental kronor", "Mkr": "miljoner kronor"}[unit]
        if where == "column":
            return rng.choice(
                (f"Belopp i {unit}", f"({unit})", unit.capitalize() if unit != "Mkr" else "Mkr", f"{unit}")
            )
        if where == "line":
            return rng.choice((f"Belopp i {long}", f"Alla belopp i {unit}", f"Beloppen är angivna i {unit}."))
        if where == "section":
            return rng.choice(
                (
                    f"Alla belopp i {unit} om inte annat anges.",
                    f"Samtliga belopp i de finansiella rapporterna anges i {long}.",
                    f"Belopp i {long} där inget annat sägs.",
                )
            )
        raise ValueError(where)

    def columns(self, statement: str) -> list[tuple[str, int]]:
        cur, prior = ("outcome", self.year), ("outcome", self.year - 1)
        cols = [cur, prior] if self.dims["column_order"] == "current_first" else [prior, cur]
        if statement == "income" and self.dims["budget_column"] == "yes":
            cols.insert(cols.index(cur) + 1, ("budget", self.year))
        return cols

    def header(self, kind: str, year: int, statement: str) -> str:
        if kind == "budget":
            return f"Budget {year}"
        style = self.dims["year_header"]
        return {
            "year": str(year),
            "date": f"{year}-12-31",
            "utfall": f"Utfall {year}",
            "bokslut": f"Bokslut {year}",
            "period": f"{year}-12-31" if statement == "balance" else f"{year}-01-01–{year}-12-31",
        }[style]

    def statement(self, statement: str, title: str, number: str, lines: list[tuple]) -> None:
        """lines: (label, code or None for a sub-heading, {year: kronor}, kind, note, style, budget or None)."""
        unit_place = self.dims["unit_place"]
        with_unit = title
        if unit_place == "heading":
            with_unit = f"{title} ({self.unit})" if self.rng.random() < 0.6 else f"{title}, {self.unit}"
        if self.rng.random() < 0.3 and self.numbered:  # `2. Resultaträkning`, then the statement's own title
            self.heading(number, title)
            self.blocks.append(Block("heading", with_unit, 2))
        else:
            self.heading(number, with_unit)
        if unit_place == "line_above":
            self.para(self.unit_words("line"))
        cols = self.columns(statement)
        corner = self.unit_words("column") if unit_place == "column" else ""
        note_column = self.dims["note_column"] == "yes"
        table = Table(corner, [self.header(k, y, statement) for k, y in cols], [], note_column)
        for label, code, values, kind, note, style, budget in lines:
            if code is None:
                table.rows.append(Row(label, style="sub"))
                continue
            row = Row(label, note=note if note_column else "", style=style)
            for col_kind, year in cols:
                if col_kind == "budget":
                    row.cells.append(self.amount(budget, kind) if budget is not None else "")
                    if budget is not None:
                        self.budget_values.append(
                            {"statement": statement, "label": label, "fiscal_year": year, "amount_sek": budget}
                        )
                else:
                    row.cells.append(self.amount(values[year], kind))
                    self.facts.append(Fact(statement, code, year, values[year], label, row))
            table.rows.append(row)
        self.blocks.append(Block("table", table=table))
        if unit_place == "line_below":
            self.para(self.unit_words("line"))

    def by_year(self, getter) -> dict[int, int]:
        return {self.year: getter(self.cur), self.year - 1: getter(self.prev)}

    def income_statement(self, notes: dict[str, int]) -> None:
        rng, dims = self.rng, self.dims
        cur, prev = self.cur, self.prev
        layout = dims["income_layout"]
        b = cur.budget
        lines: list[tuple] = []
        has_other = cur.other_revenue or prev.other_revenue
        revenue_note = str(notes["revenue"])
        if layout == "flat":
            label = rng.choice(INCOME_WORDS["revenue_total"])
            lines.append(
                (
                    label,
                    "revenue_total",
                    self.by_year(lambda s: s.revenue),
                    "plain",
                    revenue_note,
                    "line",
                    b["revenue_total"],
                )
            )
        else:
            if layout == "subheaded":
                lines.append(("Verksamhetens intäkter", None, None, None, "", "sub", None))
            member_label = rng.choice(INCOME_WORDS["member_contributions"])
            lines.append(
                (
                    member_label,
                    "member_contributions",
                    self.by_year(lambda s: s.contributions),
                    "plain",
                    revenue_note,
                    "line",
                    b["member_contributions"],
                )
            )
            if has_other:
                other_label = rng.choice(INCOME_WORDS["other_revenue"])
                lines.append(
                    (
                        other_label,
                        "other_revenue",
                        self.by_year(lambda s: s.other_revenue),
                        "plain",
                        "",
                        "line",
                        b["other_revenue"],
                    )
                )
            if layout == "subheaded" or rng.random() < 0.5:
                total = rng.choice(INCOME_WORDS["revenue_total/sum"])
                lines.append(
                    (total, "revenue_total", self.by_year(lambda s: s.revenue), "plain", "", "sum", b["revenue_total"])
                )
        cost_note = str(notes["costs"])
        breakdown = self.cost_breakdown() if layout == "subheaded" else None
        self.dims["cost_lines"] = "none"
        if breakdown is not None:
            lines.append(("Verksamhetens kostnader", None, None, None, "", "sub", None))
            for i, (label, code, kind) in enumerate(breakdown):
                lines.append(
                    (label, code, self.by_year(lambda s, i=i: s.cost_parts[i]), kind, "", "line", b[f"cost_part_{i}"])
                )
            self.dims["cost_lines"] = "coded" if all(code != "other" for _, code, _ in breakdown) else "partly_other"
            lines.append(
                (
                    rng.choice(INCOME_WORDS["operating_costs/sum"]),
                    "operating_costs",
                    self.by_year(lambda s: s.costs),
                    "cost",
                    cost_note,
                    "sum",
                    b["operating_costs"],
                )
            )
        else:
            label = rng.choice(INCOME_WORDS["operating_costs"])
            lines.append(
                (
                    label,
                    "operating_costs",
                    self.by_year(lambda s: s.costs),
                    "cost",
                    cost_note,
                    "line",
                    b["operating_costs"],
                )
            )
        if cur.jamforelsestorande or prev.jamforelsestorande:
            lines.append(
                (
                    "Jämförelsestörande poster",
                    "other",  # items affecting comparability: no contract code holds them
                    self.by_year(lambda s: s.jamforelsestorande),
                    "plain",
                    "",
                    "line",
                    0,
                )
            )
            self.dims["jamforelsestorande"] = "yes"
        else:
            self.dims["jamforelsestorande"] = "no"
        operating_label = dims["operating_label"]
        kind = "netcost" if "nettokostnad" in operating_label else "plain"
        lines.append(
            (
                operating_label,
                "operating_result",
                self.by_year(lambda s: s.operating_result),
                kind,
                "",
                "sum",
                b["operating_result"],
            )
        )
        if layout == "subheaded":
            lines.append(("Finansiella poster", None, None, None, "", "sub", None))
        lines.append(
            (
                rng.choice(INCOME_WORDS["financial_income"]),
                "financial_income",
                self.by_year(lambda s: s.financial_income),
                "plain",
                "",
                "line",
                b["financial_income"],
            )
        )
        lines.append(
            (
                rng.choice(INCOME_WORDS["financial_costs"]),
                "financial_costs",
                self.by_year(lambda s: s.financial_costs),
                "cost",
                "",
                "line",
                b["financial_costs"],
            )
        )
        lines.append(
            (
                rng.choice(INCOME_WORDS["result_after_financial"]),
                "result_after_financial",
                self.by_year(lambda s: s.result_after_financial),
                "plain",
                "",
                "sum",
                b["result_after_financial"],
            )
        )
        lines.append(
            (
                rng.choice(INCOME_WORDS["net_result"]),
                "net_result",
                self.by_year(lambda s: s.net_result),
                "plain",
                "",
                "sum",
                b["net_result"],
            )
        )
        self.statement("income", "Resultaträkning", "2.", lines)

    def cost_breakdown(self) -> list[tuple[str, str, str]] | None:
        """Three cost lines with the codes the generator gives them (`COST_BREAKDOWNS`), or None.

        Under unsigned costs only coded cost lines can be printed without a sign: an `other` line has no
        sign of its own to restore, so it is printed with its sign and never under unsigned costs.
        """
        options = list(COST_BREAKDOWNS)
        self.rng.shuffle(options)
        for labels in options:
            coded = [(label, code, "cost" if code in COST_CODES else "plain") for label, code in labels]
            if self.negative == "unsigned" and any(kind != "cost" for _, _, kind in coded):
                continue
            return coded
        return None

    def balance_sheet(self, notes: dict[str, int]) -> None:
        rng = self.rng
        lines: list[tuple] = [("Tillgångar", None, None, None, "", "sub", None)]
        if rng.random() < 0.25:
            lines.append(("Anläggningstillgångar", None, None, None, "", "sub", None))
            lines.append(
                (
                    "Summa anläggningstillgångar",
                    "fixed_assets_total",
                    self.by_year(lambda s: 0),
                    "plain",
                    "",
                    "sum",
                    None,
                )
            )
        lines.append(("Omsättningstillgångar", None, None, None, "", "sub", None))
        lines.append(
            (
                rng.choice(BALANCE_WORDS["receivables"]),
                "receivables",
                self.by_year(lambda s: s.receivables),
                "plain",
                str(notes["receivables"]),
                "line",
                None,
            )
        )
        lines.append(
            (
                rng.choice(BALANCE_WORDS["cash_and_bank"]),
                "cash_and_bank",
                self.by_year(lambda s: s.cash),
                "plain",
                "",
                "line",
                None,
            )
        )
        if rng.random() < 0.7:
            lines.append(
                (
                    "Summa omsättningstillgångar",
                    "current_assets_total",
                    self.by_year(lambda s: s.receivables + s.cash),
                    "plain",
                    "",
                    "sum",
                    None,
                )
            )
        lines.append(
            (
                rng.choice(BALANCE_WORDS["total_assets/sum"]),
                "total_assets",
                self.by_year(lambda s: s.receivables + s.cash),
                "plain",
                "",
                "sum",
                None,
            )
        )
        lines.append(
            (
                rng.choice(("Eget kapital och skulder", "Eget kapital, avsättningar och skulder")),
                None,
                None,
                None,
                "",
                "sub",
                None,
            )
        )
        style = self.dims["equity_style"]
        equity = self.by_year(lambda s: s.equity)
        if style == "headline":
            lines.append(("Eget kapital", "equity_total", equity, "plain", "", "line", None))
        else:
            lines.append(("Eget kapital", None, None, None, "", "sub", None))
        other_label = rng.choice(BALANCE_WORDS["equity_other"])
        lines.append((other_label, "equity_other", self.by_year(lambda s: s.equity_before), "plain", "", "line", None))
        lines.append(
            ("Årets resultat", "equity_net_result", self.by_year(lambda s: s.net_result), "plain", "", "line", None)
        )
        if style == "summa":
            lines.append(
                (rng.choice(BALANCE_WORDS["equity_total/sum"]), "equity_total", equity, "plain", "", "sum", None)
            )
        lines.append(("Skulder", None, None, None, "", "sub", None))
        lines.append(
            (
                rng.choice(BALANCE_WORDS["short_term_liabilities"]),
                "short_term_liabilities",
                self.by_year(lambda s: s.liabilities),
                "plain",
                str(notes["liabilities"]),
                "line",
                None,
            )
        )
        if rng.random() < 0.4:
            lines.append(
                ("Summa skulder", "liabilities_total", self.by_year(lambda s: s.liabilities), "plain", "", "sum", None)
            )
        total_label = rng.choice(BALANCE_WORDS["total_equity_and_liabilities/sum"])
        lines.append(
            (
                total_label,
                "total_equity_and_liabilities",
                self.by_year(lambda s: s.equity + s.liabilities),
                "plain",
                "",
                "sum",
                None,
            )
        )
        self.statement("balance", "Balansräkning", "3.", lines)

    def cash_flow(self) -> None:
        rng, series = self.rng, self.f.series

        def change(getter):
            return {y: getter(series[y]) - getter(series[y - 1]) for y in (self.year, self.year - 1)}

        receivables = {y: -v for y, v in change(lambda s: s.receivables).items()}
        liabilities = change(lambda s: s.liabilities)
        net = self.by_year(lambda s: s.net_result)
        operating = {y: net[y] + receivables[y] + liabilities[y] for y in net}
        zero = {y: 0 for y in net}
        lines: list[tuple] = []
        if rng.random() < 0.4:
            lines.append(("Den löpande verksamheten", None, None, None, "", "sub", None))
        lines.append((rng.choice(CASH_FLOW_WORDS["cf_net_result"]), "cf_net_result", net, "plain", "", "line", None))
        if rng.random() < 0.5:
            lines.append(
                (
                    rng.choice(CASH_FLOW_WORDS["cf_non_cash_adjustments"]),
                    "cf_non_cash_adjustments",
                    zero,
                    "plain",
                    "",
                    "line",
                    None,
                )
            )
        if rng.random() < 0.7:
            lines.append(
                (
                    rng.choice(CASH_FLOW_WORDS["cf_before_working_capital/sum"]),
                    "cf_before_working_capital",
                    net,
                    "plain",
                    "",
                    "sum",
                    None,
                )
            )
        receivables_label, liabilities_label = rng.choice(CASH_FLOW_WORDS["cf_change"])
        lines.append((receivables_label, "cf_change_receivables", receivables, "plain", "", "line", None))
        lines.append((liabilities_label, "cf_change_liabilities", liabilities, "plain", "", "line", None))
        lines.append(
            (
                rng.choice(CASH_FLOW_WORDS["cf_operating/sum"]),
                "cf_operating",
                operating,
                "plain",
                "",
                "sum",
                None,
            )
        )
        if rng.random() < 0.6:
            lines.append((rng.choice(CASH_FLOW_WORDS["cf_investing"]), "cf_investing", zero, "plain", "", "line", None))
            lines.append((rng.choice(CASH_FLOW_WORDS["cf_financing"]), "cf_financing", zero, "plain", "", "line", None))
        lines.append(
            (
                rng.choice(CASH_FLOW_WORDS["cf_total/sum"]),
                "cf_total",
                operating,
                "plain",
                "",
                "sum",
                None,
            )
        )
        lines.append(
            (
                rng.choice(CASH_FLOW_WORDS["cash_begin"]),
                "cash_begin",
                {y: series[y - 1].cash for y in net},
                "plain",
                "",
                "line",
                None,
            )
        )
        lines.append(
            (
                rng.choice(CASH_FLOW_WORDS["cash_end/sum"]),
                "cash_end",
                self.by_year(lambda s: s.cash),
                "plain",
                "",
                "sum",
                None,
            )
        )
        self.statement("cash_flow", self.dims["cash_flow_title"], "4.", lines)

    # notes ----------------------------------------------------------------------------
    def note_table(self, rows: list[tuple[str, dict[int, int], str]], unit: str, state_unit: bool) -> Table:
        years = (
            [self.year, self.year - 1] if self.dims["column_order"] == "current_first" else [self.year - 1, self.year]
        )
        style = self.dims["year_header"]
        headers = [f"{y}-12-31" if style in ("date", "period") else str(y) for y in years]
        corner = ""
        if state_unit:
            corner = self.rng.choice((f"Belopp i {unit}", unit.capitalize() if unit != "Mkr" else "Mkr", f"({unit})"))
        table = Table(corner, headers, [])
        for label, values, style_ in rows:
            table.rows.append(
                Row(label, cells=[format_amount(values[y], unit, self.sep, "hyphen") for y in years], style=style_)
            )
        return table

    def must_state(self, unit: str) -> bool:
        """A note states its unit unless it is the one every reader assumes: kr, or the section's declared unit."""
        if self.section_unit:
            return unit != self.unit or self.rng.random() < 0.3
        if unit == "kr" and self.unit == "kr":
            return self.rng.random() < 0.5
        return True

    def contributions_note(self, number: int, title: str, with_other: bool) -> None:
        rng, dims = self.rng, self.dims
        unit = dims["contrib_unit"]
        state_form, region_form, kommun_form = dims["state_form"], dims["region_form"], dims["kommun_form"]
        rows: list[tuple[str, dict[int, int], str]] = []
        years = (self.year, self.year - 1)
        by_key = {y: {p[0]: p for p in self.f.series[y].payers} for y in years}

        def payer(label: str, kind: str, code: str | None, amounts: dict[int, int]) -> None:
            rows.append((label, amounts, "line"))
            for y in years:
                self.contributions.append(
                    {
                        "fiscal_year": y,
                        "contributor": label,
                        "contributor_type": kind,
                        "kommun_code": code,
                        "amount_sek": amounts[y],
                    }
                )

        state = {y: by_key[y]["state"][3] for y in years}
        state_rows: list[tuple[str, dict[int, int]]]
        if state_form == "staten_genom_fk":
            state_rows = [("Staten genom Försäkringskassan", state)]
        elif state_form == "fk":
            state_rows = [("Försäkringskassan", state)]
        elif state_form == "fk_af":
            half = {y: v // 2 for y, v in state.items()}
            state_rows = [("Försäkringskassan", half), ("Arbetsförmedlingen", {y: state[y] - half[y] for y in years})]
        else:
            state_rows = [(rng.choice(("Driftbidrag från staten", "Staten", "Statens andel")), state)]
        contribution_word = rng.choice(("Driftbidrag från", "Medlemsavgift", "Bidrag från"))
        region_rows = []
        for region in self.f.regions:
            amounts = {y: by_key[y][f"region:{region}"][3] for y in years}
            label = region if region_form == "named" else f"{contribution_word} {region}"
            region_rows.append((label, amounts))
        kommun_rows = []
        for k in self.kommuner:
            amounts = {y: by_key[y][f"kommun:{k.code}"][3] for y in years}
            if kommun_form == "kommunen":
                label = "Kommunen"
            elif kommun_form == "driftbidrag":
                label = f"{contribution_word} {kommun_payer_name(k)}"
            else:
                label = kommun_payer_name(k)
            kommun_rows.append((label, amounts, k.code))
        order = rng.random() < 0.7
        groups = (
            [("state", state_rows), ("region", region_rows)]
            if order
            else [("region", region_rows), ("state", state_rows)]
        )
        if rng.random() < 0.5:
            groups.append(("municipality", kommun_rows))
        else:
            groups.insert(0, ("municipality", kommun_rows))
        for kind, group in groups:
            for item in group:
                payer(item[0], kind, item[2] if kind == "municipality" else None, item[1])
        total = {y: sum(p[3] for p in self.f.series[y].payers) for y in years}
        if with_other and any(self.f.series[y].other_revenue for y in years):
            other = {y: self.f.series[y].other_revenue for y in years}
            rows.append((rng.choice(("Övriga intäkter", "Övriga bidrag")), other, "line"))
            total = {y: total[y] + other[y] for y in years}
        rows.append(("Summa", total, "sum"))
        self.heading_note(number, title)
        self.blocks.append(Block("table", table=self.note_table(rows, unit, self.must_state(unit))))

    def heading_note(self, number: int, title: str) -> None:
        self.blocks.append(Block("heading", self.rng.choice((f"Not {number} {title}", f"Not {number}. {title}")), 2))

    def financial_part(self) -> None:
        rng = self.rng
        principles = rng.random() < 0.7
        first = 2 if principles else 1
        notes = {"revenue": first, "costs": first + 1, "receivables": first + 2, "liabilities": first + 3}
        self.blocks.append(Block("page"))
        if self.section_unit:
            self.para(self.unit_words("section"))
        self.income_statement(notes)
        self.blocks.append(Block("page"))
        self.balance_sheet(notes)
        self.blocks.append(Block("page"))
        self.cash_flow()
        self.blocks.append(Block("page"))
        self.heading("5.", "Noter")
        if principles:
            self.heading_note(1, "Redovisningsprinciper")
            self.para(
                "Årsredovisningen är i tillämpliga delar upprättad i enlighet med Lag (2018:597) om kommunal "
                "bokföring och "
                "redovisning samt rekommendationer från Rådet för kommunal redovisning (RKR)."
            )
        title = self.dims["contrib_note_title"]
        with_other = self.dims["income_layout"] == "flat"
        self.contributions_note(notes["revenue"], title, with_other)
        note_unit = "tkr" if self.unit == "Mkr" else self.unit
        years = (self.year, self.year - 1)
        series = self.f.series
        cost_rows = [
            (label, {y: -series[y].cost_parts[i] for y in years}, "line")
            for i, label in enumerate(
                ("Administrativa kostnader", "Individinriktade insatser", "Strukturövergripande insatser")
            )
        ]
        cost_rows.append(("Summa", {y: -series[y].costs for y in years}, "sum"))
        self.heading_note(notes["costs"], "Verksamhetens kostnader")
        self.blocks.append(Block("table", table=self.note_table(cost_rows, note_unit, self.must_state(note_unit))))
        receivable_rows = [
            ("Momsfordran", {y: series[y].receivable_parts[0] for y in years}, "line"),
            ("Förutbetalda kostnader och upplupna intäkter", {y: series[y].receivable_parts[1] for y in years}, "line"),
            ("Summa", {y: series[y].receivables for y in years}, "sum"),
        ]
        self.heading_note(notes["receivables"], "Kortfristiga fordringar")
        self.blocks.append(
            Block("table", table=self.note_table(receivable_rows, note_unit, self.must_state(note_unit)))
        )
        liability_rows = [
            ("Leverantörsskulder", {y: series[y].liability_parts[0] for y in years}, "line"),
            ("Upplupna kostnader", {y: series[y].liability_parts[1] for y in years}, "line"),
            ("Summa", {y: series[y].liabilities for y in years}, "sum"),
        ]
        self.heading_note(notes["liabilities"], "Kortfristiga skulder")
        self.blocks.append(Block("table", table=self.note_table(liability_rows, note_unit, self.must_state(note_unit))))

    def signatures(self) -> None:
        rng = self.rng
        self.blocks.append(Block("page"))
        self.heading("6.", rng.choice(("Styrelsens underskrifter", "Underskrifter")))
        self.para(
            "Vi intygar att årsredovisningen ger en rättvisande bild av verksamhetens resultat samt kostnader, "
            "intäkter och "
            "förbundets ekonomiska ställning."
        )
        place = self.kommuner[0].name
        names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(4, 6))]
        roles = ["ordförande", "vice ordförande"] + ["ledamot"] * (len(names) - 2)
        lines = [f"{place} {self.decided}", "", f"Styrelsen för {self.own_name}", ""]
        lines += [f"{n}, {r}" for n, r in zip(names, roles, strict=True)]
        self.blocks.append(Block("lines", lines=lines))


# --- dresses ------------------------------------------------------------------------------------------


def _bold(text: str, on: bool) -> str:
    return f"**{text}**" if on and text else text


def render_text(blocks: Sequence[Block], dress: str, rng: random.Random) -> str:
    """Tab-separated, markdown or space-aligned text; sets each table row's line number."""
    out: list[str] = []
    md_headings = dress == "md" and rng.random() < 0.6
    bold_sums = rng.random() < 0.4
    html_bold = dress == "tab" and rng.random() < 0.3
    for block in blocks:
        if block.kind == "page":
            continue
        if block.kind in ("title", "heading"):
            prefix = "#" * (block.level + 1) + " " if md_headings and block.kind == "heading" else ""
            out += [prefix + block.text, ""]
        elif block.kind == "para":
            out += [block.text, ""]
        elif block.kind == "lines":
            out += [*block.lines, ""]
        elif block.kind == "table":
            assert block.table is not None
            if dress == "tab":
                _tab_table(block.table, out, html_bold and bold_sums)
            elif dress == "md":
                _md_table(block.table, out, bold_sums)
            else:
                _aligned_table(block.table, out)
            out.append("")
    return "\n".join(out) + "\n"


def _value_cells(table: Table, row: Row) -> list[str]:
    note = [row.note] if table.note_column else []
    return note + (row.cells or [""] * len(table.headers))


def _tab_table(table: Table, out: list[str], bold: bool) -> None:
    out.append("\t".join([table.corner, *(["Not"] if table.note_column else []), *table.headers]))
    for row in table.rows:
        cells = [row.label, *_value_cells(table, row)]
        if bold and row.style == "sum":
            cells = [f"<b>{c}</b>" if c else c for c in cells]
        row.line_no = len(out) + 1
        out.append("\t".join(cells))


def _md_table(table: Table, out: list[str], bold: bool) -> None:
    header = [table.corner, *(["Not"] if table.note_column else []), *table.headers]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join("---" for _ in header) + "|")
    for row in table.rows:
        cells = [row.label, *_value_cells(table, row)]
        if row.style == "sum" or row.style == "sub":
            cells = [_bold(c, bold) for c in cells]
        row.line_no = len(out) + 1
        out.append("| " + " | ".join(cells) + " |")


def _aligned_table(table: Table, out: list[str]) -> None:
    label_width = max([len(table.corner)] + [len(r.label) for r in table.rows]) + 4
    value_width = max([len(h) for h in table.headers] + [len(c) for r in table.rows for c in r.cells]) + 4
    note_width = 6 if table.note_column else 0
    head = table.corner.ljust(label_width) + ("Not".rjust(note_width) if note_width else "")
    out.append((head + "".join(h.rjust(value_width) for h in table.headers)).rstrip())
    for row in table.rows:
        line = row.label.ljust(label_width) + (row.note.rjust(note_width) if note_width else "")
        line += "".join(c.rjust(value_width) for c in row.cells)
        row.line_no = len(out) + 1
        out.append(line.rstrip())


@cache
def unicode_font() -> tuple[str, str]:
    """DejaVu Sans (regular, bold): matplotlib's bundled copy, else the system's."""
    candidates = []
    try:
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    except ImportError:  # pragma: no cover - matplotlib is a dependency of the project
        pass
    candidates += [Path("/usr/share/fonts/truetype/dejavu")]
    for folder in candidates:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return str(regular), str(bold)
    raise FileNotFoundError("no DejaVuSans.ttf found (matplotlib's fonts or /usr/share/fonts/truetype/dejavu)")


def render_pdf(blocks: Sequence[Block], target: Path, rng: random.Random) -> None:
    """A laid-out PDF: headings in bold, prose wrapped, tables as positioned columns (values right-aligned)."""
    from fpdf import FPDF

    regular, bold = unicode_font()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 3, 1, tzinfo=UTC))  # the same bytes from the same seed
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_font("DejaVu", "", regular)
    pdf.add_font("DejaVu", "B", bold)
    footer = rng.random() < 0.5
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    first_title = True
    for block in blocks:
        if block.kind == "page":
            if footer:
                _pdf_footer(pdf)
            pdf.add_page()
        elif block.kind == "title":
            if first_title:
                pdf.ln(50)
                first_title = False
            size = 20 if block.level == 1 else 15
            pdf.set_font("DejaVu", "B", size)
            while size > 11 and pdf.get_string_width(block.text) > width - 4:  # a title page keeps the name on one line
                size -= 1
                pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(0, 10, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif block.kind == "heading":
            pdf.set_font("DejaVu", "B", 13 if block.level == 1 else 11)
            pdf.ln(2)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "para":
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(0, 4.8, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "lines":
            pdf.set_font("DejaVu", "", 9.5)
            for line in block.lines:
                if line:
                    pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
                else:
                    pdf.ln(4)
            pdf.ln(2)
        elif block.kind == "table":
            assert block.table is not None
            _pdf_table(pdf, block.table, width)
            pdf.ln(3)
    if footer:
        _pdf_footer(pdf)
    pdf.output(str(target))


def _pdf_footer(pdf) -> None:
    y = pdf.get_y()
    pdf.set_auto_page_break(False)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_xy(pdf.l_margin, pdf.h - 12)
    pdf.cell(0, 4, f"Sida {pdf.page_no()}", align="R")
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_auto_page_break(True, margin=18)


def _pdf_table(pdf, table: Table, width: float) -> None:
    size = 9.0
    pdf.set_font("DejaVu", "", size)
    cells = [c for r in table.rows for c in r.cells]
    value_width = max(24.0, max((pdf.get_string_width(t) for t in cells), default=0) + 6)
    pdf.set_font("DejaVu", "B", size)
    widest_header = max(pdf.get_string_width(t) for t in table.headers)
    value_width = max(value_width, min(widest_header + 4, 36.0))
    header_size = size
    while (
        header_size > 6 and widest_header * header_size / size > value_width - 2
    ):  # long period headers in smaller type
        header_size -= 0.5
    note_width = 10.0 if table.note_column else 0.0
    label_width = width - note_width - value_width * len(table.headers)
    height = 5.2
    if pdf.get_y() + height * (len(table.rows) + 2) > pdf.h - 20:
        pdf.add_page()
    x0 = pdf.l_margin

    def put_row(label: str, note: str, cells: Sequence[str], bold: bool, cell_size: float = size) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        lines = _wrap(pdf, label, label_width - 2)
        y = pdf.get_y()
        pdf.set_xy(x0, y)
        pdf.cell(label_width, height, lines[0])
        if note_width:
            pdf.cell(note_width, height, note, align="C")
        pdf.set_font("DejaVu", "B" if bold else "", cell_size)
        for cell in cells:
            pdf.cell(value_width, height, cell, align="R")
        pdf.ln(height)
        for more in lines[1:]:
            pdf.set_x(x0)
            pdf.cell(label_width, height, more)
            pdf.ln(height)

    put_row(table.corner, "Not" if note_width else "", table.headers, True, header_size)
    y = pdf.get_y()
    pdf.set_line_width(0.2)
    pdf.line(x0, y, x0 + width, y)
    pdf.ln(0.8)
    for row in table.rows:
        put_row(row.label, row.note, row.cells, row.style in ("sub", "sum"))


def _wrap(pdf, text: str, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current or not lines else lines


def pdftotext_available() -> bool:
    return shutil.which("pdftotext") is not None


def pdf_to_layout_text(pdf: Path) -> str:
    if not pdftotext_available():
        raise RuntimeError("pdftotext is not installed (poppler-utils): the pdftotext dress cannot be written")
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


# --- the corpus ------------------------------------------------------------------------------------------


def build_corpus(
    count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, dresses: Sequence[str] = DRESSES
) -> list[Report]:
    """`count` reports (blocks and truth), not yet written."""
    plans = plan_reports(count, seed, dresses)
    forbund = list({f.key: f for f, _, _ in plans}.values())
    reports = []
    for index, (f, year, dims) in enumerate(plans):
        report = ReportWriter(index, f, year, dims, forbund, seed).build()
        slug = f.key.split("_", 1)[1][:28]
        report.file_name = f"{index:04d}_{slug}_{year}_{dims['dress']}{DRESS_SUFFIX[dims['dress']]}"
        reports.append(report)
    return reports


def write_report(report: Report, folder: Path, seed: int = DEFAULT_SEED) -> Path:
    dress = report.dims["dress"]
    rng = random.Random(seed * 7 + report.index)
    target = folder / report.file_name
    if dress in ("tab", "md", "aligned"):
        target.write_text(render_text(report.blocks, dress, rng), encoding="utf-8")
    elif dress == "pdf":
        render_pdf(report.blocks, target, rng)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "report.pdf"
            render_pdf(report.blocks, pdf, rng)
            target.write_text(pdf_to_layout_text(pdf), encoding="utf-8")
    return target


def write_corpus(
    out: Path, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, dresses: Sequence[str] = DRESSES
) -> list[dict]:
    """Reports to `out/reports/`, their truth to `out/truth.json`; returns the truth."""
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    reports = build_corpus(count, seed, dresses)
    for report in reports:
        write_report(report, reports_dir, seed)
    truth = [r.truth() for r in reports]
    (out / "truth.json").write_text(
        json.dumps({"seed": seed, "count": count, "reports": truth}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return truth


# --- the truth checks itself -------------------------------------------------------------------------------


def truth_problems(truth: dict) -> list[str]:
    """Arithmetic the generator promises of every report (empty when the report is consistent)."""
    problems = []
    values: dict[tuple[str, str, int], int] = {}
    for fact in truth["facts"]:
        if fact["line_code"] != "other":
            values[(fact["statement"], fact["line_code"], fact["fiscal_year"])] = fact["amount_sek"]
    others: dict[tuple[str, int], int] = defaultdict(int)
    for fact in truth["facts"]:
        if fact["line_code"] == "other" and fact["label"] == "Jämförelsestörande poster":
            others[(fact["statement"], fact["fiscal_year"])] += fact["amount_sek"]
    for y in {f["fiscal_year"] for f in truth["facts"]}:

        def v(statement: str, code: str, y: int = y) -> int | None:
            return values.get((statement, code, y))

        revenue = v("income", "revenue_total")
        if revenue is None:
            revenue = (v("income", "member_contributions") or 0) + (v("income", "other_revenue") or 0)
        checks = [
            (
                "revenue + costs = operating result",
                revenue + v("income", "operating_costs") + others[("income", y)],
                v("income", "operating_result"),
            ),
            (
                "operating + financial = after financial",
                v("income", "operating_result") + v("income", "financial_income") + v("income", "financial_costs"),
                v("income", "result_after_financial"),
            ),
            ("net result = after financial", v("income", "net_result"), v("income", "result_after_financial")),
            (
                "assets = equity + liabilities",
                v("balance", "total_assets"),
                v("balance", "total_equity_and_liabilities"),
            ),
            (
                "equity lines",
                v("balance", "equity_other") + v("balance", "equity_net_result"),
                v("balance", "equity_total")
                if v("balance", "equity_total") is not None
                else v("balance", "equity_other") + v("balance", "equity_net_result"),
            ),
            ("cash at end = balance cash", v("cash_flow", "cash_end"), v("balance", "cash_and_bank")),
            (
                "cash begin + flow = end",
                v("cash_flow", "cash_begin") + v("cash_flow", "cf_total"),
                v("cash_flow", "cash_end"),
            ),
            ("net result in cash flow", v("cash_flow", "cf_net_result"), v("income", "net_result")),
            ("net result in balance", v("balance", "equity_net_result"), v("income", "net_result")),
            (
                "receivables + cash = assets",
                v("balance", "receivables") + v("balance", "cash_and_bank"),
                v("balance", "total_assets"),
            ),
        ]
        equity = v("balance", "equity_other") + v("balance", "equity_net_result")
        checks.append(
            (
                "equity + liabilities = total",
                equity + v("balance", "short_term_liabilities"),
                v("balance", "total_equity_and_liabilities"),
            )
        )
        for name, left, right in checks:
            if left != right:
                problems.append(f"{truth['file']} {y}: {name}: {left} != {right}")
        paid = [c for c in truth["contributions"] if c["fiscal_year"] == y]
        total = sum(c["amount_sek"] for c in paid)
        state = sum(c["amount_sek"] for c in paid if c["contributor_type"] == "state")
        region = sum(c["amount_sek"] for c in paid if c["contributor_type"] == "region")
        if not (2 * state == total and 4 * region == total):
            problems.append(f"{truth['file']} {y}: the Finsam funding rule does not hold: {state}/{region}/{total}")
        member_line = v("income", "member_contributions")
        if member_line is not None and member_line != total:
            problems.append(f"{truth['file']} {y}: member contributions line {member_line} != payers {total}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpora.dialect_corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for reports/ and truth.json")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--dresses", default=",".join(DRESSES), help="comma-separated subset of " + ",".join(DRESSES))
    args = parser.parse_args(argv)
    dresses = tuple(d for d in args.dresses.split(",") if d)
    if "pdftotext" in dresses and not pdftotext_available():
        print("pdftotext is not installed: leaving out the pdftotext dress", file=sys.stderr)
        dresses = tuple(d for d in dresses if d != "pdftotext")
    truth = write_corpus(args.out, args.count, args.seed, dresses)
    kinds = Counter(t["dimensions"]["dress"] for t in truth)
    forbund = {t["forbund"]["key"]: t["forbund"]["origin"] == "real" for t in truth}
    print(
        f"{len(truth)} reports in {args.out / 'reports'} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
        f"{len(forbund)} förbund, {sum(1 for r in forbund.values() if not r)} made up; "
        f"truth in {args.out / 'truth.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
