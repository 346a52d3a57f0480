"""Print a text report to PDF the way a word processor would: tables as positioned columns (tests, benchmark).

Tab- and pipe-delimited rows become cells at fixed x positions (label left, note and
amounts right-aligned), so pdfplumber sees a real laid-out page, not our text.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from fpdf import FPDF

from finsam_pipeline.parse.tables import cells_of
from finsam_pipeline.read.textnorm import normalise_line, normalise_unicode, strip_markup

_REPLACEMENTS = {"–": "-", "—": "-", "’": "'", "”": '"', "“": '"', "…": "...", "•": "-", "→": "->", "↑": "^", "↓": "v"}


def _latin1(text: str) -> str:
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", errors="replace").decode("latin-1")


LABEL_WIDTH = 78
VALUE_WIDTHS = (12, 38, 38, 30, 30)


def _wrap(pdf: FPDF, text: str, width: float, padding: float = 2) -> list[str]:
    """Break a label over lines inside its cell, as a word processor's table does."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and pdf.get_string_width(candidate) > width - padding:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current or not lines else lines


PAGE_WIDTH = 186  # A4 less the table's margins, in mm
CELL_MARGIN = 1.9  # a word processor's default cell margin left and right (0.19 cm)


def _fits_fixed_columns(pdf: FPDF, rows: list[list[str]]) -> bool:
    """The fixed layout (a wide label, then note and amount columns) holds every cell of this table."""
    return all(
        len(cells) <= 1 + len(VALUE_WIDTHS)
        and all(pdf.get_string_width(v) <= w - 1 for v, w in zip(cells[1:], VALUE_WIDTHS, strict=False))
        for cells in rows
    )


def _column_widths(pdf: FPDF, rows: list[list[str]]) -> list[float]:
    """A word processor's automatic table layout: widths by content, the widest cells wrapped to fit the page."""
    count = max(len(cells) for cells in rows)
    natural, least = [3.0] * count, [3.0] * count
    for cells in rows:
        for index, cell in enumerate(cells):
            natural[index] = max(natural[index], pdf.get_string_width(cell) + 2 * CELL_MARGIN + 0.5)
            words = _words(cell)
            least[index] = max(least[index], max(pdf.get_string_width(w) for w in words) + 2 * CELL_MARGIN + 0.5)
    if sum(natural) <= PAGE_WIDTH:
        return [natural[0] + PAGE_WIDTH - sum(natural), *natural[1:]] if natural[0] < LABEL_WIDTH else natural
    if sum(least) >= PAGE_WIDTH:
        return [w * PAGE_WIDTH / sum(least) for w in least]  # words overflow: the caller prints smaller first
    spare = (PAGE_WIDTH - sum(least)) / (sum(natural) - sum(least))
    return [lo + (hi - lo) * spare for lo, hi in zip(least, natural, strict=True)]


def _auto_layout(pdf: FPDF, rows: list[list[str]]) -> tuple[list[float], float]:
    """Column widths and font size: a table too wide for its longest words is set in a smaller size, as people do."""
    for size in (9, 8, 7, 6):
        pdf.set_font_size(size)
        least = sum(
            max(
                (
                    pdf.get_string_width(w) + 2 * CELL_MARGIN + 0.5
                    for cells in rows
                    if i < len(cells)
                    for w in _words(cells[i])
                ),
                default=3,
            )
            for i in range(max(len(cells) for cells in rows))
        )
        if least <= PAGE_WIDTH:
            break
    widths = _column_widths(pdf, rows)
    pdf.set_font_size(9)
    return widths, size


def _words(cell: str) -> list[str]:
    """What may not be broken: an amount keeps its digit groups together (reports print them with hard spaces)."""
    return [cell] if _is_number(cell) else cell.split() or [""]


def _is_number(cell: str) -> bool:
    return bool(re.match(r"^[-+(]?\s?\d[\d\s.,%/()*-]*(?:tkr|kr)?$", cell.strip()))


def _print_row(pdf: FPDF, cells: list[str], widths: list[float]) -> None:
    """One table row, every cell wrapped inside its width and top-aligned."""
    wrapped = [
        [cell] if _is_number(cell) else _wrap(pdf, cell, width, 2 * CELL_MARGIN)
        for cell, width in zip(cells, widths, strict=False)
    ]
    margin, pdf.c_margin = pdf.c_margin, CELL_MARGIN
    for line in range(max(len(w) for w in wrapped)):
        pdf.set_x(12)
        for index, (parts, width) in enumerate(zip(wrapped, widths, strict=False)):
            text = parts[line] if line < len(parts) else ""
            pdf.cell(width, 4.5, text, align="R" if index and _is_number(cells[index]) else "L")
        pdf.ln(4.5)
    pdf.c_margin = margin


def _table_runs(lines: list[str]) -> list[int]:
    """For each line, the index of the first line of the delimited table it belongs to (-1: none)."""
    runs, start = [], -1
    for raw in lines:
        delimited = cells_of(strip_markup(normalise_unicode(raw)).rstrip("\r\n")) is not None
        rule = bool(raw.strip()) and not normalise_line(raw).strip()  # a markdown rule inside a pipe table
        inside = delimited or (rule and start >= 0)
        start = (len(runs) if start < 0 else start) if inside else -1
        runs.append(start)
    return runs


def text_to_pdf(text: str, target: Path) -> Path:
    """Tables that fit keep the fixed layout; wider ones get automatic column widths with cells wrapped."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    raw_lines = text.splitlines()
    lines = [_latin1(normalise_line(raw)) for raw in raw_lines]
    runs = _table_runs(raw_lines)
    layouts: dict[int, tuple[list[float], float] | None] = {}
    for start in sorted(set(runs) - {-1}):
        rows = [cells for i, r in enumerate(runs) if r == start and (cells := cells_of(lines[i])) is not None]
        layouts[start] = None if not rows or _fits_fixed_columns(pdf, rows) else _auto_layout(pdf, rows)
    for line, run in zip(lines, runs, strict=True):
        cells = cells_of(line)
        if cells is None:
            if line.strip():
                pdf.multi_cell(0, 4.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(3)
            continue
        layout = layouts.get(run)
        if layout is not None:
            pdf.set_font_size(layout[1])
            _print_row(pdf, cells, layout[0])
            pdf.set_font_size(9)
            continue
        label_lines = _wrap(pdf, cells[0], LABEL_WIDTH)
        pdf.set_x(12)
        pdf.cell(LABEL_WIDTH, 4.5, label_lines[0])
        for value, width in zip(cells[1:], VALUE_WIDTHS, strict=False):
            pdf.cell(width, 4.5, value, align="R")
        pdf.ln(4.5)
        for continuation in label_lines[1:]:
            pdf.set_x(12)
            pdf.cell(LABEL_WIDTH, 4.5, continuation)
            pdf.ln(4.5)
    pdf.output(str(target))
    return target


# --- a second producer: HTML with real <table> elements, printed by Chromium ------------------------

_AMOUNT_CELL = re.compile(r"^[-+–(]?\s*[\d\s.,/%()*-]*\d[\d\s.,/%()*]*\s*(?:tkr|kr|mkr|%)?\*?$", re.IGNORECASE)
_STYLE = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.25; }
p { margin: 0 0 4pt 0; }
table { margin: 6pt 0; }
td { padding: 1pt 6pt; vertical-align: top; text-align: left; }
td.n { text-align: right; white-space: nowrap; }
"""
_BORDERS = """
table { border-collapse: collapse; width: 100%; }
td { border: 0.75pt solid #000; padding: 2pt 4pt; }
"""


def _is_amount_cell(cell: str) -> bool:
    return bool(cell.strip()) and bool(_AMOUNT_CELL.match(cell.strip()))


def text_to_html(text: str, *, borders: bool = True) -> str:
    """The report as a word processor saves it as HTML: paragraphs, and each run of delimited rows a <table>.

    Amount cells are right-aligned, text cells left-aligned and free to wrap, so long labels and
    headers break over several lines in their cells as they do in published reports.
    """
    body: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if not table:
            return
        width = max(len(row) for row in table)
        rows = []
        for row in table:
            cells = [*row, *[""] * (width - len(row))]
            rows.append(
                "<tr>"
                + "".join(
                    f'<td class="n">{html.escape(c)}</td>' if _is_amount_cell(c) else f"<td>{html.escape(c)}</td>"
                    for c in cells
                )
                + "</tr>"
            )
        body.append("<table>" + "".join(rows) + "</table>")
        table.clear()

    for raw in text.splitlines():
        line = normalise_line(raw)
        cells = cells_of(strip_markup(normalise_unicode(raw)).rstrip("\r\n"))  # `Kansli<TAB><TAB>` stays a row
        if cells is not None:
            table.append(cells)
            continue
        if table and raw.strip() and not line.strip():
            continue  # the markdown rule under a pipe table's header
        flush()
        if line.strip():
            body.append(f"<p>{html.escape(line.strip())}</p>")
    flush()
    style = _STYLE + (_BORDERS if borders else "")
    head = f'<meta charset="utf-8"><style>{style}</style>'
    return f'<!DOCTYPE html><html lang="sv"><head>{head}</head><body>{"".join(body)}</body></html>'


def html_to_pdf(document: str, target: Path, browser: str | None = None) -> Path:
    """Chromium's print-to-pdf of an HTML document, without the browser's own header and footer."""
    browser = browser or shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "report.html"
        source.write_text(document, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=120, check=False)
    if not target.exists() or target.stat().st_size == 0:
        raise RuntimeError(f"chromium printed no PDF to {target}")
    return target


def text_to_pdf_chromium(text: str, target: Path, *, borders: bool = True, browser: str | None = None) -> Path:
    """Print a text report to PDF through HTML tables and Chromium, with or without ruled cell borders."""
    return html_to_pdf(text_to_html(text, borders=borders), target, browser)


# --- a third dress: the same report as plain text with space-aligned columns ------------------------


def text_to_aligned(text: str) -> str:
    """Each run of delimited rows as a plain-text table: columns padded with spaces, amounts right-aligned.

    What a report saved as text from a word processor, or typed by hand, looks like.
    """
    out: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if not table:
            return
        count = max(len(row) for row in table)
        rows = [[*row, *[""] * (count - len(row))] for row in table]
        widths = [max(len(row[i]) for row in rows) for i in range(count)]
        for row in rows:
            cells = [
                cell.rjust(width) if index and _is_number(cell) else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            out.append("   ".join(cells).rstrip())
        table.clear()

    for raw in text.splitlines():
        cells = cells_of(strip_markup(normalise_unicode(raw)).rstrip("\r\n"))
        if cells is not None:
            table.append(cells)
            continue
        if table and raw.strip() and not normalise_line(raw).strip():
            continue  # the markdown rule under a pipe table's header
        flush()
        out.append(normalise_line(raw))
    flush()
    return "\n".join(out) + "\n"


def html_to_pdfs(documents: list[tuple[str, Path]], browser: str | None = None) -> list[Path]:
    """Print many HTML documents with one Chromium (DevTools protocol over a pipe): one start-up, not one each.

    Falls back to one `--print-to-pdf` run per document if the browser cannot be driven this way.
    """
    browser = browser or shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    try:
        return _print_over_pipe(documents, browser)
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError):
        return [html_to_pdf(document, target, browser) for document, target in documents]


def _print_over_pipe(documents: list[tuple[str, Path]], browser: str) -> list[Path]:
    import base64
    import json
    import os

    with tempfile.TemporaryDirectory() as work:
        commands_read, commands_write = os.pipe()
        replies_read, replies_write = os.pipe()

        def pipes_as_3_and_4() -> None:
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        process = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={Path(work) / 'profile'}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes_as_3_and_4,  # the pipe must be fds 3 and 4 in the browser
            pass_fds=(3, 4),
        )
        os.close(commands_read)
        os.close(replies_write)
        writer = os.fdopen(commands_write, "wb")
        reader = os.fdopen(replies_read, "rb")
        watchdog = threading.Timer(30 + 15 * len(documents), process.kill)  # a hung browser ends the pipe
        watchdog.start()
        buffer = b""
        counter = 0
        events: list[str] = []

        def receive() -> dict:
            nonlocal buffer
            while b"\0" not in buffer:
                chunk = reader.read1(1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed its DevTools pipe")
                buffer += chunk
            message, buffer = buffer.split(b"\0", 1)
            return json.loads(message)

        def call(method: str, params: dict | None = None, session: str | None = None) -> dict:
            nonlocal counter
            counter += 1
            message = {"id": counter, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            writer.write(json.dumps(message).encode() + b"\0")
            writer.flush()
            while True:
                reply = receive()
                if "method" in reply:
                    events.append(reply["method"])
                if reply.get("id") == counter:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})

        try:
            target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            call("Page.enable", session=session)
            done = []
            for index, (document, target_path) in enumerate(documents):
                source = Path(work) / f"report{index}.html"
                source.write_text(document, encoding="utf-8")
                events.clear()
                call("Page.navigate", {"url": source.as_uri()}, session)
                while "Page.loadEventFired" not in events:
                    events.append(receive().get("method", ""))
                data = call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False}, session)["data"]
                target_path.write_bytes(base64.b64decode(data))
                done.append(target_path)
            call("Browser.close")
            return done
        finally:
            watchdog.cancel()
            writer.close()
            reader.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def libreoffice_pdfs(documents: list[tuple[str, Path]], kind: str = "html", soffice: str | None = None) -> list[Path]:
    """Print documents through LibreOffice Writer (`soffice --headless --convert-to pdf`), one start-up for
    all: `html` lays tables out as a word processor does, whose narrow columns wrap dates and labels over
    several lines; `txt` prints plain text as typed, tabs to tab stops and long lines wrapped at the margin."""
    soffice = soffice or shutil.which("soffice") or "soffice"
    export = {"html": "pdf:writer_web_pdf_Export", "txt": "pdf"}[kind]
    with tempfile.TemporaryDirectory() as work:
        sources = []
        for document, target in documents:
            source = Path(work) / f"{target.stem}.{kind}"
            source.write_text(document, encoding="utf-8")
            sources.append(source)
        command = [
            soffice,
            f"-env:UserInstallation={Path(work, 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            export,
            "--outdir",
            str(Path(work) / "out"),
            *map(str, sources),
        ]
        subprocess.run(command, capture_output=True, timeout=600, check=True)
        printed = []
        for (_, target), source in zip(documents, sources, strict=True):
            shutil.move(Path(work) / "out" / f"{source.stem}.pdf", target)
            printed.append(target)
    return printed
