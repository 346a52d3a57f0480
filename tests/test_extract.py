import pytest
from conftest import seed_path

from finsam_pipeline.extract import ExtractionError, extract
from finsam_pipeline.ingest import SourceFile
from finsam_pipeline.textnorm import normalise_line


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


def test_an_image_only_pdf_asks_for_ocr(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractionError, match="no text layer: run OCR first"):
        extract(SourceFile(path=path, content=path.read_bytes()))
