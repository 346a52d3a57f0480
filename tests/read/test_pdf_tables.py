"""Content tables as published: each seed printed to PDF reads as its text version.

Each seed is printed by two producers: fpdf2 (`text_to_pdf`, a word processor's fixed and automatic
table layouts) and Chromium's print-to-pdf of an HTML rendering with real `<table>` elements, with
ruled borders and without. PDF text comes out of the layout as space-aligned columns, which
`tabulate_aligned` turns into the tab rows the content parsers read. Every detail table must give
at least 95 % of the values the text version gives. Values are compared, not source lines; labels
and names are compared folded, since fpdf2's core font prints `–` as `-`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import RAW, chromium, parse_path, seed_path

from benchmarks.pdf_print import html_to_pdfs, text_to_aligned, text_to_html, text_to_pdf
from finsam_pipeline.parse import ParsedReport
from finsam_pipeline.parse.aligned import tabulate_aligned
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

SEEDS = ["000", "001", "002", "003", "004"]
BROWSER_PRODUCERS = ["chromium-ruled", "chromium-plain"]
PRODUCERS = ["fpdf", *BROWSER_PRODUCERS]
MIN_SHARE = 0.95


def table_values(report: ParsedReport) -> dict[str, set[tuple]]:
    """The values of each detail table, without source lines."""
    tables = report.tables
    participants = set()
    for row in tables["interventions"].iter_rows(named=True):
        for column in ("participants_total", "participants_women", "participants_men"):
            if row[column] is not None:
                participants.add((fold(row["name"]), column, row[column]))
    return {
        "key_figures": {
            (r["fiscal_year"], r["metric"], round(r["value"], 3)) for r in tables["key_figures"].iter_rows(named=True)
        },
        "member_contributions": {
            (r["fiscal_year"], r["contributor_type"], r["kommun_code"], r["amount_sek"])
            for r in tables["member_contributions"].iter_rows(named=True)
        },
        "budget_lines": {
            (r["fiscal_year"], fold(r["label"]), r["measure"], r["amount_sek"])
            for r in tables["budget_lines"].iter_rows(named=True)
        },
        "participants": participants,
        "chair": {
            fold(name) for name in tables["board_members"].filter(pl.col("role") == "ordforande")["name"].to_list()
        },
    }


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], ParsedReport]:
    """Every seed in every dress, each printed and parsed once for the module."""
    folder = tmp_path_factory.mktemp("printed")
    texts = {prefix: seed_path(prefix).read_text(encoding="utf-8") for prefix in SEEDS}
    files: dict[tuple[str, str], Path] = {}
    for prefix, text in texts.items():
        files[prefix, "fpdf"] = text_to_pdf(text, folder / f"{prefix}_fpdf.pdf")
        aligned = folder / f"{prefix}_aligned.txt"
        aligned.write_text(text_to_aligned(text), encoding="utf-8")
        files[prefix, "aligned-txt"] = aligned
    browser = shutil.which("chromium")
    if browser is not None:
        jobs = [
            (text_to_html(texts[prefix], borders=producer == "chromium-ruled"), folder / f"{prefix}_{producer}.pdf")
            for prefix in SEEDS
            for producer in BROWSER_PRODUCERS
        ]
        for path in html_to_pdfs(jobs, browser):  # one browser for all ten documents
            prefix, producer = path.stem.split("_", 1)
            files[prefix, producer] = path
    return {key: parse_path(path) for key, path in files.items()}


def assert_like_text(text_report: ParsedReport, report: ParsedReport, label: str) -> None:
    """At least `MIN_SHARE` of each detail table's values as the text version gives them, and not one value
    the text version does not give (a misread column, a label joined to the wrong row)."""
    expected, got = table_values(text_report), table_values(report)
    for table, values in expected.items():
        if values:
            found = len(values & got[table]) / len(values)
            assert found >= MIN_SHARE, (
                f"{label} {table}: {found:.0%} of the text version's values; missing {values - got[table]}"
            )
        assert got[table] <= values, f"{label} {table}: values the text does not give {got[table] - values}"


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("prefix", SEEDS)
def test_every_detail_table_reads_from_pdf_as_from_text(printed, seed_reports, prefix, producer):
    if producer in BROWSER_PRODUCERS:
        chromium()  # skipped where the browser is absent, unless CI requires it
    report = printed[prefix, producer]
    assert report.document["status"] == seed_reports[prefix].document["status"]
    assert_like_text(seed_reports[prefix], report, f"{prefix} {producer}")


@pytest.mark.parametrize("prefix", SEEDS)
def test_a_space_aligned_text_reads_as_its_tab_version(printed, seed_reports, prefix):
    assert_like_text(seed_reports[prefix], printed[prefix, "aligned-txt"], f"{prefix} aligned")


def test_the_pdf_tables_keep_their_pages_and_lines(printed):
    report = printed["001", "fpdf"]
    for table in ("budget_lines", "interventions", "key_figures"):
        frame = report.tables[table]
        assert frame["source_page"].null_count() == 0 and frame["source_line"].null_count() == 0
    line = report.tables["interventions"].filter(pl.col("name") == "Drivhuset för unga Åmål")["source_line"][0]
    assert line > 1


def test_the_text_seeds_come_back_unchanged():
    for path in sorted(RAW.glob("*")):
        from finsam_pipeline.read.extract import extract
        from finsam_pipeline.read.files import SourceFile

        lines = extract(SourceFile(path=path, content=path.read_bytes())).lines
        assert tabulate_aligned(lines) == list(lines), path.name


def _lines(*texts: str, page: int | None = 3) -> list[TextLine]:
    return [TextLine(line_no=10 + i, page=page, text=t) for i, t in enumerate(texts)]


def test_aligned_columns_become_tab_cells_with_empty_cells_kept():
    lines = _lines(
        "Kostnaderna fördelades så här under året.",
        "Belopp tkr                Utfall     Budget   Avvikelse",
        "Kansli",
        "Styrelse                     239        265          26",
        "Riktade insatser               0        700         700",
        "Utgående eget kapital      3 063",
        "Någon text efter tabellen.",
    )
    out = tabulate_aligned(lines)
    assert [line.text for line in out] == [
        "Kostnaderna fördelades så här under året.",
        "Belopp tkr\tUtfall\tBudget\tAvvikelse",
        "Kansli",
        "Styrelse\t239\t265\t26",
        "Riktade insatser\t0\t700\t700",
        "Utgående eget kapital\t3 063",
        "Någon text efter tabellen.",
    ]
    assert [(line.line_no, line.page) for line in out] == [(line.line_no, line.page) for line in lines]


def test_wrapped_labels_and_header_lines_are_joined_and_their_lines_left_blank():
    lines = _lines(
        "Insatsens namn       Mål antal     Resultat antal   Kvinnor   Män",
        "                     deltagare     deltagare",
        "Plattformen Samverkan       60                64        41    23",
        "Arvika Eda",
        "Individsamverkan Dals Ed    25                26        11    15",
        "Förstärkning och utveckling  10               12         5     7",
        "individinriktade insatser",
    )
    out = [line.text for line in tabulate_aligned(lines)]
    assert out == [
        "",
        "Insatsens namn\tMål antal deltagare\tResultat antal deltagare\tKvinnor\tMän",
        "Plattformen Samverkan Arvika Eda\t60\t64\t41\t23",
        "",
        "Individsamverkan Dals Ed\t25\t26\t11\t15",
        "Förstärkning och utveckling individinriktade insatser\t10\t12\t5\t7",
        "",
    ]


def test_a_first_cell_that_lost_its_indentation_goes_beside_its_neighbours():
    """PDF layout starts every line at its first glyph: `2024` over the first amount column comes out at the margin."""
    lines = _lines(
        "2024" + " " * 39 + "2023       2022",  # `2024` stood over the first amounts, ending where they end
        "Verksamhetens intäkter     8 265 184  8 087 608  4 968 575",
        "Årets resultat               -20 114    -97 210    173 716",
        page=2,
    )
    out = [line.text for line in tabulate_aligned(lines)]
    assert out[0] == "\t2024\t2023\t2022"
    assert out[2] == "Årets resultat\t-20 114\t-97 210\t173 716"


def test_delimited_rows_and_prose_are_left_alone():
    lines = _lines(
        "Driftbidrag från staten\t4 014 000\t4 014 000",
        "| Summa | 8 028 000 | 8 028 314 |",
        "En mening  med två  mellanslag är ingen tabell.",
    )
    assert tabulate_aligned(lines) == lines


def test_a_pipe_row_ocr_damaged_at_its_end_is_not_laid_out_as_spaced_cells():
    """OCR fused the pipes of a typed markdown row with its digits: its cells were its pipes, not its spacing,
    so it stays as printed (unread) instead of giving a count under the wrong header."""
    rows = [
        "Insatsens namn      Antal deltagare   Kvinnor   Män",
        "Rehabteamet         57                32        25",
        "|  ??  231]  21]  ??     131]51|  31  23  |  34  |  70 / 97  |  -  I",
        "Plattformen         12                5         7",
    ]
    lines = [TextLine(number, 1, text) for number, text in enumerate(rows, start=1)]
    out = [line.text for line in tabulate_aligned(lines)]
    assert out[2] == rows[2]
    assert out[1].startswith("Rehabteamet\t57\t")  # the rows around it are still read as a table


def test_a_row_with_an_amount_in_dot_thousands_is_never_joined_to_the_row_above():
    """`Övriga intäkter  578.675`, its share cell empty, had been joined to the row above as a wrapped label,
    its amount glued to `7.920.000`: an amount under an amount is a row of its own, whatever its thousands
    separator."""
    lines = _lines(
        "                                         Fördelning             2023",
        "  Medlemsavgift Västra Götalandsregionen       25 %        7.920.000",
        "  Medlemsavgift Göteborgs Stad                 25 %        7.920.000",
        "  Övriga intäkter                                            578.675",
        "  Summa medlemsbidrag                                     32.258.675",
    )
    out = [line.text for line in tabulate_aligned(lines)]
    assert out[2:] == [
        "Medlemsavgift Göteborgs Stad\t25 %\t7.920.000",
        "Övriga intäkter\t\t578.675",
        "Summa medlemsbidrag\t\t32.258.675",
    ]


_SIDE_BY_SIDE_HTML = """<html><head><meta charset="utf-8"><style>
body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 10.5pt; }}
.side {{ display: flex; gap: 6pt; }} .side .col {{ flex: 1; min-width: 0; }}
.side table {{ font-size: 7pt; width: 100%; }} .side td {{ padding: 1pt 1.5pt; white-space: nowrap; }}
td.num {{ text-align: right; }} .pb {{ page-break-after: always; }}
</style></head><body>
<h1>Samordningsförbundet Stockholms stad</h1><h2>Årsredovisning 2021</h2>
<p class="pb">{prose}</p>
<div class="side"><div class="col"><h3>Resultaträkning</h3><table>
<tr><td>Belopp i kr</td><td>Not</td><td class="num">2021</td><td class="num">2020</td></tr>
<tr><td>Bidrag från medlemmarna</td><td>2</td><td class="num">36 412 000</td><td class="num">35 100 000</td></tr>
<tr><td>Summa verksamhetens kostnader</td><td></td><td class="num">–37 954 268</td><td class="num">–32 827 054</td></tr>
<tr><td>Verksamhetens resultat</td><td></td><td class="num">–1 542 268</td><td class="num">2 272 946</td></tr>
<tr><td>Årets resultat</td><td></td><td class="num">–1 542 268</td><td class="num">2 272 946</td></tr></table></div>
<div class="col"><h3>Balansräkning</h3><table>
<tr><td>Belopp i kr</td><td>Not</td><td class="num">2021-12-31</td><td class="num">2020-12-31</td></tr>
<tr><td>Kassa och bank</td><td></td><td class="num">6 845 437</td><td class="num">8 947 919</td></tr>
<tr><td>Summa tillgångar</td><td></td><td class="num">6 845 437</td><td class="num">8 947 919</td></tr>
<tr><td>Balanserat kapital</td><td></td><td class="num">8 387 705</td><td class="num">6 674 973</td></tr>
<tr><td>Årets resultat</td><td></td><td class="num">–1 542 268</td><td class="num">2 272 946</td></tr>
<tr><td>Summa eget kapital</td><td></td><td class="num">6 845 437</td><td class="num">8 947 919</td></tr>
<tr><td>Summa eget kapital och skulder</td><td></td><td class="num">6 845 437</td><td class="num">8 947 919</td></tr>
</table></div></div></body></html>"""


def test_a_browser_page_that_places_its_words_reads_beside_prose_pages_that_write_their_spaces(tmp_path):
    """Chromium writes the spaces of a page of prose as glyphs and the words of two tables side by side by position
    alone: the document had been taken for one that writes its spaces, so every word of the tables was a cell
    (`Bidrag  från  medlemmarna`), the heading line cut the left statement's last year off, and the report was
    quarantined with no statements found (outside15). Each page is read as it writes its own spaces."""
    from conftest import run_chromium

    from finsam_pipeline.parse import parse_report
    from finsam_pipeline.read.extract import extract
    from finsam_pipeline.read.files import SourceFile

    prose = " ".join(["Förbundet har under året finansierat insatser för personer som behöver samordnat stöd."] * 20)
    html = tmp_path / "report.html"
    html.write_text(_SIDE_BY_SIDE_HTML.format(prose=prose), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    run_chromium(chromium(), tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    extracted = extract(SourceFile(path=pdf, content=pdf.read_bytes()))
    assert any("Bidrag från medlemmarna" in line.text for line in extracted.lines)
    facts = parse_report(extracted).facts
    read = {(f["statement"], f["line_code"], f["fiscal_year"]): f["amount_sek"] for f in facts.iter_rows(named=True)}
    assert read[("income", "member_contributions", 2020)] == 35_100_000
    assert read[("balance", "total_equity_and_liabilities", 2021)] == 6_845_437


def test_a_word_processors_statements_with_no_break_thousands_keep_their_cells(tmp_path):
    """LibreOffice prints a no-break space as no glyph, so PDFium invents one beside every thousands group: a page of
    statements typed with tabs and no-break thousands has more invented spaces than written ones. A reviewer showed
    the first version of the rule above laying such a page out by gaps alone, gluing a note to an amount
    (`5⇥345 437` loaded as 5 345 437). Only a page whose words, not its digits, stand by position is laid out so."""
    from conftest import libreoffice

    from benchmarks.pdf_print import libreoffice_pdfs
    from finsam_pipeline.parse import parse_report
    from finsam_pipeline.read.extract import extract
    from finsam_pipeline.read.files import SourceFile

    nbsp = "\u00a0"
    rows = [
        ("Belopp i kr", "Not", "2021", "2020"),
        ("Bidrag från medlemmarna", "2", f"36{nbsp}412{nbsp}000", f"35{nbsp}100{nbsp}000"),
        ("Summa kostnader", "", f"-37{nbsp}954{nbsp}268", f"-32{nbsp}827{nbsp}054"),
        ("Årets resultat", "", f"-1{nbsp}542{nbsp}268", f"2{nbsp}272{nbsp}946"),
        ("", "", "", ""),
        ("Balansräkning", "", "", ""),
        ("Belopp i kr", "Not", "2021-12-31", "2020-12-31"),
        ("Kortfristiga fordringar", "5", f"345{nbsp}437", f"447{nbsp}919"),
        ("Kassa och bank", "", f"6{nbsp}500{nbsp}000", f"8{nbsp}500{nbsp}000"),
        ("Summa tillgångar", "", f"6{nbsp}845{nbsp}437", f"8{nbsp}947{nbsp}919"),
    ]
    prose = "Förbundet har under året finansierat insatser för personer som behöver samordnat stöd. " * 3
    text = f"Samordningsförbundet Stockholms stad\nÅrsredovisning 2021\n\n{prose}\n\fResultaträkning\n"
    text += "\n".join("\t".join(row) for row in rows) + "\n"
    (pdf,) = libreoffice_pdfs([(text, tmp_path / "typed.pdf")], "txt", libreoffice())
    facts = parse_report(extract(SourceFile(path=pdf, content=pdf.read_bytes()))).facts
    read = {(f["line_code"], f["fiscal_year"]): f["amount_sek"] for f in facts.iter_rows(named=True)}
    assert read[("member_contributions", 2021)] == 36_412_000 and read[("receivables", 2021)] == 345_437
