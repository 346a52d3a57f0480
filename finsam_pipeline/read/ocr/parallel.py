"""The scanned pages of one document read beside each other, on the cores no other file is using.

The unit of OCR work is a page. The worker that holds the file renders its pages in order
(PDFium is not thread-safe) and reads them itself, on its own core; helper threads read
pages too, each only while it holds a core `workers.spare_core()` lends it, one page at a
time. Tesseract runs in a process of its own, single-threaded, so a thread waiting for it
holds no lock and a borrowed core is one Tesseract process. The file's time limit holds per
page: each page read buys its file `page.OCR_SECONDS_PER_PAGE` more, whichever thread reads
it.

Why not schedule pages as items of the worker pool: a file is parsed as a whole once all
its pages are read, so a page item would need the pool to hold the file's other work back,
and a second kind of item with its own time limit; borrowing cores from idle workers keeps
one item per file, one time limit per file, and the same number of busy processes.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Sequence

from finsam_pipeline.load.workers import core_count, spare_core
from finsam_pipeline.read.ocr import page as one_page
from finsam_pipeline.read.ocr import tesseract
from finsam_pipeline.read.ocr.page import OcrPage, Rendered

Outcome = OcrPage | Exception  # a page's reading, or why it could not be read


def read_pages(document, indexes: Sequence[int]) -> dict[int, Outcome]:
    """The pages (0-based) of a pypdfium2 document read by OCR, from the cache where read before."""
    try:
        version = tesseract.tesseract_version()
    except tesseract.OcrUnavailable as exc:
        return dict.fromkeys(indexes, exc)
    results: dict[int, Outcome] = {}
    todo: queue.Queue[tuple[int, Rendered]] = queue.Queue()
    rendered_all = threading.Event()
    helpers = [
        threading.Thread(target=_helper, args=(todo, results, rendered_all), daemon=True)
        for _ in range(min(core_count(), len(indexes)) - 1)
    ]
    for helper in helpers:
        helper.start()
    pending = deque(indexes)
    ahead = 2 * (len(helpers) + 1)  # rendered pages waiting for a reader: enough to keep them busy
    try:
        while pending or not todo.empty():
            while pending and todo.qsize() < ahead:
                index = pending.popleft()
                _render(document, index, version, todo, results)
            if not pending:
                rendered_all.set()
            try:
                index, image = todo.get_nowait()
            except queue.Empty:
                continue
            results[index] = _read(image)
    finally:
        rendered_all.set()
        for helper in helpers:
            helper.join()
    return results


def _render(document, index: int, version: str, todo: queue.Queue, results: dict[int, Outcome]) -> None:
    """The page rendered and queued for a reader (which takes its reading from the cache where it can)."""
    try:
        image = one_page.rendered(document[index], version)
    except Exception as exc:  # this page could not be rendered: the others still count
        results[index] = exc
        return
    todo.put((index, image))


def _read(image: Rendered) -> Outcome:
    try:
        return one_page.read(image)
    except Exception as exc:  # Tesseract failed on this page: the other pages still count
        return exc


def _helper(todo: queue.Queue, results: dict[int, Outcome], rendered_all: threading.Event) -> None:
    """Reads queued pages, each on a core borrowed for it, until every page is rendered and taken."""
    while not (rendered_all.is_set() and todo.empty()):
        with spare_core() as got:
            if not got:
                continue
            try:
                index, image = todo.get_nowait()
            except queue.Empty:
                continue
            results[index] = _read(image)
