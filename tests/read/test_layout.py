"""A page's geometry turned into text the parsers read (`finsam_pipeline.read.layout`).

Pages are typeset here from known lines, glyph by glyph, the way a word processor sets them:
tabs jump to the default tab stops, table cells stand at their column's edge, a cell that wraps
is centred vertically against its one-line neighbours. Each expectation is the text the page was
typeset from, so it is known before the layout reads anything.
"""

from __future__ import annotations

import re

from finsam_pipeline.read.layout import GOES_ON, Glyph, layout_page, layout_text

CHAR = 6.0  # a monospaced glyph's width, as LibreOffice sets typed text
HEIGHT = 10.0  # a glyph box's height
PITCH = 12.0  # from one line to the next within a paragraph or cell
MARGIN = 56.8
STOP = 1.25 / 2.54 * 72  # LibreOffice's default tab stop, 1.25 cm
RIGHT = MARGIN + 13.5 * STOP  # where a typed line has to wrap


def _set(glyphs: list[Glyph], x: float, y: float, text: str) -> float:
    """Glyphs of `text` from x on the line centred at y; returns where the text ends."""
    for char in text:
        if char != " ":
            glyphs.append((char, x, y - HEIGHT / 2, x + CHAR, y + HEIGHT / 2))
        x += CHAR
    return x


def _cells(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[Glyph]:
    """A page of cells: (line centre, [(x, text), ...]) per line."""
    glyphs: list[Glyph] = []
    for y, cells in rows:
        for x, text in cells:
            _set(glyphs, x, y, text)
    return glyphs


def _typed(lines: list[str], top: float = 800.0) -> tuple[list[Glyph], frozenset[int]]:
    """Lines typed with tabs, set as a word processor does: a tab jumps to the next default stop, and a
    tab or word that does not fit before the right margin goes on the next line. Returns the glyphs and
    the glyphs a tab jumped to (the cell starts a PDF marks with a generated space)."""
    glyphs: list[Glyph] = []
    starts: set[int] = set()
    y = top
    for line in lines:
        x, after_tab = MARGIN, False
        for part in line.split("\t"):
            if part == "" and after_tab is False and x == MARGIN:
                after_tab = True
                x = MARGIN + STOP
                continue
            for index, word in enumerate(part.split(" ")):
                width = len(word) * CHAR + (CHAR if index else 0)
                if x + width > RIGHT and x > MARGIN:
                    y, x = y - PITCH, MARGIN
                elif index:
                    x += CHAR
                if after_tab and index == 0 and word:
                    starts.add(len(glyphs))
                x = _set(glyphs, x, y, word)
            after_tab = True
            stop = MARGIN + (int((x - MARGIN) / STOP + 1e-6) + 1) * STOP  # a tab at a stop goes to the next one
            if stop > RIGHT or stop + len(_next_word(line, part)) * CHAR > RIGHT:
                y, stop = y - PITCH, MARGIN + STOP  # the tab, and what follows it, goes on the next line
            x = stop
        y -= PITCH
    return glyphs, frozenset(starts)


def _next_word(line: str, part: str) -> str:
    rest = line.split(part + "\t", 1)[1] if part + "\t" in line else ""
    return rest.split("\t")[0].split(" ")[0]


def test_text_typed_at_tab_stops_comes_back_with_its_tabs_and_empty_cells():
    lines = [
        "Belopp i kr.\tNot\t2023\t2022",
        "Verksamhetens intäkter\t2\t8 629 008\t4 160 000",
        "Finansiella kostnader\t\t-252\t-31",
        "Årets resultat\t\t311 776\t- 24 252",
    ]
    glyphs, starts = _typed(lines)
    assert layout_text(glyphs, starts).splitlines() == lines


def test_a_typed_line_too_long_for_the_page_is_one_line_again():
    lines = [
        "Belopp tkr\tUtfall 2023\t\tBudget 2023\tAvvikelse 2023\tUtfall 2022",
        "Individinriktade insatskostnader\t\t-4 391\t-4 391\t-4 597\t206\t\t-2 039\t-2 039",
        "Kringkostnader\t\t-92\t-92\t-192\t100\t\t-46\t-46",
    ]
    glyphs, starts = _typed(lines)
    text = layout_text(glyphs, starts)
    assert len({round(g[2]) for g in glyphs}) > len(lines)  # the long line did wrap on the page
    assert text.splitlines() == lines


def test_a_typed_line_wrapped_onto_the_next_page_is_marked_to_go_on_there():
    wrapping = "Individinriktade insatskostnader\t\t-4 391\t-4 391\t-4 597\t206\t\t-2 039\t-2 039"
    glyphs, starts = _typed(["Kringkostnader\t\t-92\t-92\t-192\t100\t\t-46\t-46", wrapping], top=100.0)
    foot = min(g[2] for g in glyphs)  # the wrapped line's second part: the page ends before it
    page_one = [g for g in glyphs if g[2] > foot + 1]
    overleaf = [
        (c, left, bottom + 700, right, top + 700) for c, left, bottom, right, top in glyphs if bottom <= foot + 1
    ]
    overleaf += _typed(["Övriga kostnader\t\t-60\t-60\t-120\t60\t\t-34\t-34"], top=700 + foot + HEIGHT / 2 - PITCH)[0]
    _, carried = layout_page(page_one, frozenset(i for i in starts if glyphs[i] in page_one))
    text, _ = layout_page(overleaf, frozenset(), carried)
    rest = wrapping.split("-4 597")[1]  # where the typesetting above wrapped the line
    assert text.split("\n") == [GOES_ON + rest, "Övriga kostnader\t\t-60\t-60\t-120\t60\t\t-34\t-34"]


def test_a_row_whose_wrapped_label_a_word_processor_centred_its_amounts_against_is_one_row():
    columns = (MARGIN, MARGIN + 180, MARGIN + 240, MARGIN + 300)
    rows = [
        (700.0, [(columns[0], "Insatsens namn"), (columns[1], "Mål"), (columns[2], "Kvinnor"), (columns[3], "Män")]),
        (680.0, [(columns[0], "Plattformen Samverkan Arvika")]),
        (674.0, [(columns[1], "60"), (columns[2], "41"), (columns[3], "23")]),  # half a line below, centred
        (668.0, [(columns[0], "Eda")]),
        (
            650.0,
            [(columns[0], "Integrerad Samverkan Säffle"), (columns[1], "25"), (columns[2], "15"), (columns[3], "18")],
        ),
        (632.0, [(columns[0], "Totalt"), (columns[1], "85"), (columns[2], "56"), (columns[3], "41")]),
    ]
    assert layout_text(_cells(rows), frozenset()).splitlines() == [
        "Insatsens namn\tMål\tKvinnor\tMän",
        "Plattformen Samverkan Arvika Eda\t60\t41\t23",
        "Integrerad Samverkan Säffle\t25\t15\t18",
        "Totalt\t85\t56\t41",
    ]


def test_a_cell_of_four_lines_and_its_neighbours_of_one_and_two_make_one_row():
    a, b, c = MARGIN, MARGIN + 120, MARGIN + 240
    rows = [
        (720.0, [(a, "Antal"), (b, "Antal"), (c, "Varav")]),
        (708.0, [(a, "aktiva"), (b, "avslut"), (c, "avhopp")]),
        (690.0, [(a, "65 32")]),  # a four-line cell: 690, 678, 666, 654; centre 672
        (684.0, [(c, "4 2 K")]),  # a two-line cell: 684 (half a line below 690), 660
        (678.0, [(a, "K 33")]),
        (672.0, [(b, "65")]),  # a one-line cell at the centre
        (666.0, [(a, "M")]),
        (660.0, [(c, "2 M")]),
        (654.0, [(a, "totalt")]),
    ]
    lines = [line for line in layout_text(_cells(rows), frozenset()).splitlines() if line]
    assert [re.split(r"\s{2,}", line.strip()) for line in lines] == [
        ["Antal", "Antal", "Varav"],
        ["aktiva", "avslut", "avhopp"],
        ["65 32 K 33 M totalt", "65", "4 2 K 2 M"],
    ]


def test_headings_over_a_header_whose_date_wrapped_stay_lines_of_their_own():
    """A note's headings, then its header: the first date wrapped in its narrow cell (`2013-12-` / `31`),
    the unit and the other date centred against it; body rows stand further apart than a cell's lines."""
    a, b, c = MARGIN, MARGIN + 120, MARGIN + 200
    rows = [
        (760.0, [(a, "5. Noter")]),
        (742.0, [(a, "Not 1 Medlemsavgifter")]),  # reaches over the unit's and the first date's columns
        (722.0, [(b, "2013-12-")]),
        (716.0, [(a, "(tkr)"), (c, "2014-12-31")]),  # half a line below: centred
        (710.0, [(b, "31")]),
        (690.0, [(a, "Kinda kommun"), (b, "313"), (c, "323")]),
        (670.0, [(a, "Linköpings kommun"), (b, "394"), (c, "407")]),
        (650.0, [(a, "Summa"), (b, "707"), (c, "730")]),
    ]
    lines = [line for line in layout_text(_cells(rows), frozenset()).splitlines() if line]
    assert lines == [
        "5. Noter",
        "Not 1 Medlemsavgifter",
        "(tkr)\t2013-12-31\t2014-12-31",
        "Kinda kommun\t313\t323",
        "Linköpings kommun\t394\t407",
        "Summa\t707\t730",
    ]


def test_a_title_page_with_lines_set_left_and_centred_is_not_read_as_one_centred_row():
    """Centred titles with a left-set line between them, far more than a line apart: no cell's lines."""
    rows = [
        (636.0, [(MARGIN + 150, "Finsam Jönköpings län")]),
        (603.0, [(MARGIN, "Orgnr: 222002-8447")]),
        (577.0, [(MARGIN + 160, "ÅRSREDOVISNING 2020")]),
        (544.0, [(MARGIN, "För räkenskapsåret 1 januari – 31 december 2020")]),
        (525.0, [(MARGIN, "Beslutad av styrelsen 2021-03-14")]),
    ]
    lines = [line.strip() for line in layout_text(_cells(rows)).splitlines() if line.strip()]
    assert lines == [text for _, cells in rows for _, text in cells]


def test_rows_of_one_line_each_are_never_merged_into_one():
    a, b = MARGIN, MARGIN + 200
    rows = [(700.0, [(a, "Post"), (b, "Belopp")])]
    rows += [(700.0 - (i + 1) * PITCH, [(a, f"Rad {i}"), (b, f"{i}00")]) for i in range(4)]
    assert layout_text(_cells(rows), frozenset()).splitlines() == ["Post\tBelopp"] + [
        f"Rad {i}\t{i}00" for i in range(4)
    ]


def test_titles_set_left_over_amounts_set_right_are_read_in_order():
    label, ends = MARGIN, (MARGIN + 260, MARGIN + 360)
    glyphs = _cells(
        [
            (700.0, [(label, "Belopp tkr"), (ends[0] - 90, "Utfall 2024"), (ends[1] - 90, "Budget 2024")]),
            (688.0, [(label, "Kostnader"), (ends[0] - 5 * CHAR, "-8 285"), (ends[1] - 6 * CHAR, "-10 718")]),
            (676.0, [(label, "Resultat"), (ends[0] - 3 * CHAR, "-20"), (ends[1] - 6 * CHAR, "-2 498")]),
        ]
    )
    assert layout_text(glyphs, frozenset()).splitlines() == [
        "Belopp tkr\tUtfall 2024\tBudget 2024",
        "Kostnader\t-8 285\t-10 718",
        "Resultat\t-20\t-2 498",
    ]


def test_rows_at_the_top_of_a_page_go_on_with_the_columns_of_the_table_before():
    note, current, prior = MARGIN + 200, MARGIN + 260, MARGIN + 340
    page_one = _cells(
        [
            (700.0, [(MARGIN, "Belopp i kr."), (note, "Not"), (current, "2024"), (prior, "2023")]),
            (688.0, [(MARGIN, "Periodens resultat"), (current, "-20 114"), (prior, "-97 210")]),
            (676.0, [(MARGIN, "Ökning av skulder"), (note, "3"), (current, "673 480"), (prior, "798 255")]),
        ]
    )
    page_two = _cells(
        [
            (700.0, [(MARGIN, "Årets kassaflöde"), (current, "646 601"), (prior, "1 570 165")]),
            (688.0, [(MARGIN, "Likvida medel vid årets början"), (current, "4 060 306"), (prior, "2 490 141")]),
        ]
    )
    _, carried = layout_page(page_one, frozenset())
    text, _ = layout_page(page_two, frozenset(), carried)
    assert text.splitlines() == [
        "Årets kassaflöde\t\t646 601\t1 570 165",
        "Likvida medel vid årets början\t\t4 060 306\t2 490 141",
    ]
    alone, _ = layout_page(page_two, frozenset())  # without the page before, no column is vouched for
    assert "\t" not in alone


def test_a_header_at_the_foot_of_a_page_heads_the_table_overleaf():
    a, b, c = MARGIN, MARGIN + 150, MARGIN + 250
    page_one = _cells([(80.0, [(a, "Insats"), (b, "Antal aktiva"), (c, "Antal avslut")])])
    page_two = _cells(
        [(700.0, [(a, "Brobyggaren"), (b, "65"), (c, "9")]), (688.0, [(a, "Insteget"), (b, "67"), (c, "12")])]
    )
    _, carried = layout_page(page_one, frozenset())
    text, _ = layout_page(page_two, frozenset(), carried)
    assert text.splitlines() == ["Insats\tAntal aktiva\tAntal avslut", "Brobyggaren\t65\t9", "Insteget\t67\t12"]


def test_cells_wrapped_under_a_top_aligned_row_are_not_read_as_rows():
    a, b, c = MARGIN, MARGIN + 150, MARGIN + 250
    d = MARGIN + 350
    rows = [
        (700.0, [(a, "Insats"), (b, "Aktiva"), (c, "Avslut"), (d, "Till annat")]),
        (688.0, [(a, "Brobyggaren"), (b, "65 32"), (c, "9"), (d, "1 K 12 väntar")]),
        (676.0, [(b, "K 33"), (d, "på beslut")]),  # the cells' next lines, a line's pitch below
        (664.0, [(a, "Insteget"), (b, "67 33"), (c, "12"), (d, "2")]),
    ]
    assert "\t" not in layout_text(_cells(rows), frozenset())  # left to the aligned reader, as laid out


def test_a_page_that_shows_no_cell_starts_is_laid_out_by_gaps_only():
    rows = [
        (700.0, [(MARGIN, "Kostnader"), (MARGIN + 200, "-8 285")]),
        (688.0, [(MARGIN, "Resultat"), (MARGIN + 200, "-20")]),
    ]
    assert "\t" not in layout_text(_cells(rows))  # None: a browser's print, TeX, OCR words
