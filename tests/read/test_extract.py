import pytest
from conftest import seed_path

from finsam_pipeline.read.extract import ExtractionError, extract
from finsam_pipeline.read.files import SourceFile
from finsam_pipeline.read.textnorm import normalise_line


def _source(tmp_path, name: str, content: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(content)
    return SourceFile(path=path, content=content)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_other_encodings_of_a_seed_keep_their_letters(tmp_path, encoding):
    text = seed_path("003").read_text(encoding="utf-8")
    extracted = extract(_source(tmp_path, "003.txt", text.encode(encoding, errors="replace")))
    assert "Västerbergslagens Samordningsförbund" in extracted.text


def test_markup_and_unicode_are_normalised():
    assert normalise_line("<b>Årets resultat</b>\t<b>311\u00a0776</b>") == "Årets resultat\t311 776"
    assert normalise_line("## **Finansiering**") == "Finansiering"
    assert normalise_line("Summa\t\u22122\u2009841") == "Summa\t-2 841"
    assert normalise_line("|---|-----|---|") == ""
    assert normalise_line("e\ufb03cient") == "efficient"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n ", "empty"),
        ("random.pdf", bytes(range(256)) * 8, "not a readable PDF"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
        ("report.docx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_reason(tmp_path, name, content, reason):
    with pytest.raises(ExtractionError) as error:
        extract(_source(tmp_path, name, content))
    assert reason in error.value.reason


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(ExtractionError, match="over the limit"):
        extract(_source(tmp_path, "big.txt", b"a" * 2000), max_bytes=1000)


def test_a_pdf_without_text_that_ocr_cannot_read_is_refused_with_a_plain_reason(tmp_path, monkeypatch):
    """A page of ink but no text goes to OCR (tests/read/test_ocr.py); when that finds nothing, or cannot run,
    the reason says so in plain words."""
    from fpdf import FPDF

    monkeypatch.setenv("FINSAM_OCR_CACHE", str(tmp_path / "ocr-cache"))
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractionError) as error:
        extract(SourceFile(path=path, content=path.read_bytes()))
    assert error.value.reason.startswith("no readable text: the PDF's only page has no usable text layer and could not")
    assert "OCR" in error.value.reason


def test_a_pdf_read_from_its_text_layer_says_so(tmp_path):
    from benchmarks.pdf_print import text_to_pdf

    path = text_to_pdf(seed_path("004").read_text(encoding="utf-8"), tmp_path / "004.pdf")
    extracted = extract(SourceFile(path=path, content=path.read_bytes()))
    assert extracted.page_reading == f"1-{extracted.page_count}:text"
    assert (extracted.pages_ocr, extracted.ocr_mean_confidence, extracted.reading_flags()) == (0, None, [])
    text = extract(SourceFile(path=seed_path("004"), content=seed_path("004").read_bytes()))
    assert (text.page_reading, text.pages_ocr, text.ocr_mean_confidence) == (None, None, None)


def test_a_text_files_form_feeds_start_pages_and_keep_every_line_number_an_editor_shows(tmp_path):
    """A form feed is a page break, not a line: every fact points at the line `sed -n` prints."""
    from conftest import parse_path

    printed = seed_path("003").read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(printed) if line.strip() == "3. Balansräkning")
    printed[heading] = "\f" + printed[heading]  # the balance sheet starts page 2
    end = next(i for i in range(40, heading) if printed[i].strip())
    printed[end] += "\f"  # a form feed after a line's text ends its page
    path = tmp_path / "003.txt"
    path.write_text("\n".join(printed), encoding="utf-8")

    extracted = extract(SourceFile(path=path, content=path.read_bytes()))
    assert [line.line_no for line in extracted.lines] == list(range(1, len(printed) + 1))
    assert {line.page for line in extracted.lines[: end + 1]} == {1}
    assert extracted.lines[end + 1].page == 2 and extracted.lines[heading].page == 3
    facts = parse_path(path).facts
    assert facts.height > 20
    for fact in facts.iter_rows(named=True):
        line = printed[fact["source_line"] - 1]
        assert fact["label"].split()[0] in line, (fact["label"], fact["source_line"], line)
        assert fact["source_page"] == (
            3 if fact["source_line"] > heading else 2 if fact["source_line"] > end + 1 else 1
        )
    assert set(facts.filter(facts["statement"] == "balance")["source_page"]) == {3}


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # a form feed inside a line: the row and the next page's number are two lines, never `208 26712`
        ("Årets resultat   66 444   208 267\f12\nSida 2\n", [(1, 1, "Årets resultat   66 444   208 267"), (1, 2, "12"),
                                                            (2, 2, "Sida 2")]),
        # a printer that sets the form feed before every page: the first page is page 1
        ("\fResultaträkning\n\fBalansräkning\n", [(1, 1, "Resultaträkning"), (2, 2, "Balansräkning")]),
        # a layout program's forced line break is a line of its own, on the physical line's number
        ("Resultaträkning\u2028Verksamhetens intäkter  1 000\nSumma  1 000\n",
         [(1, None, "Resultaträkning"), (1, None, "Verksamhetens intäkter  1 000"), (2, None, "Summa  1 000")]),
    ],
)
def test_breaks_inside_a_line_part_it_and_keep_its_number(tmp_path, text, read):
    extracted = extract(_source(tmp_path, "report.txt", text.encode("utf-8")))
    assert [(line.line_no, line.page, line.text) for line in extracted.lines] == read
