"""Where the first reading of a page is unsure, and those regions read a second time, as one block.

The first reading is sparse text (`--psm 11`): it keeps apart the cells a word processor
centred at different heights in one table row. It can pass over a lone `0`, a note number or
the `o` of `Not`, and it can be unsure of a word (a low confidence, a digit inside its
neighbour). Only there is the page read again, as one block (`--psm 6`): each unsure word,
and each blob of ink the size of a letter or a dash that no sparse word covers, is a seed; a seed's
row of text is cut out across the page's text with a line or so above and below it (Tesseract
reads a row surer among its neighbours), to the nearest white rows, set on a margin of paper,
and all of a page's rows are read in one run of Tesseract (a multi-page image). Of that
reading only the words standing within a seed's height are kept, so a neighbouring row cut
in half never adds its halves. `merge.merged_readings` then corrects the sparse reading by
them, as it did by a block reading of the whole page. That whole-page reading also brought in
the specks, shadows and table rules of a noisy scan that sparse text had rightly left out
(`|`, `I`, `-` that joined rows or signed amounts); a block word no sparse word meets is now
taken only where it fills a gap (`merge.fills_a_gap`).

On the outside corpus's ten scans and the seeds' scanned statements, this reads as many
statement facts exactly as the whole-page block reading or more, with no new wrong one, on
a third to two thirds of a page's area where sparse text was unsure, none where it was sure.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

from finsam_pipeline.read.ocr import tesseract
from finsam_pipeline.read.ocr.merge import merged_readings, typed_pipes
from finsam_pipeline.read.ocr.words import REREAD_MIN_CONFIDENCE, Word, phantom_letters

Reading = list[tuple[Word, float]]  # words, each with the y of its baseline
Box = tuple[int, int, int, int]  # left, top, right, bottom in the page's pixels

MIN_WORDS = 3  # a first reading with fewer words is no guide: the whole page is read as one block
INK = 0.5  # a pixel darker than this share of the page's median (its paper) is ink
BLOB_MIN_HEIGHT, BLOB_MAX_HEIGHT = 0.4, 1.6  # a letter-sized blob of ink, in the page's word heights
BLOB_MAX_WIDTH = 6.0
DASH_WIDTH, DASH_FLAT = (0.25, 1.5), 2.5  # or a dash (a printed zero): this wide, and this many times its height
CONTEXT = 1.5  # a seed's row is cut out with this much of the page above and below it, in word heights
ROW_REACH = 1.0  # and on to the nearest white row within this much further
MARGIN = 1.0  # paper set around each row cut out, in word heights
KEEP = 0.3  # second-reading words whose centre stands within this (in word heights) of a seed are kept


def second_reading(image, sparse: Reading, dpi: int) -> Reading:
    """The sparse reading corrected by a block reading of the page where it is unsure; where it found too few
    words to go by, by a block reading of the whole page, every word of it taken."""
    if len(sparse) < MIN_WORDS:
        block = tesseract.words_on_baselines(tesseract.hocr(image, tesseract.config(tesseract.BLOCK, dpi)))
        return merged_readings(sparse, block, gaps_only=False)
    seeds = unsure_seeds(image, sparse)
    height = _word_height([word for word, _ in sparse])
    return merged_readings(sparse, read_rows(image, rows_of(image, sparse, seeds), height, dpi))


def unsure_seeds(image, sparse: Reading) -> list[Box]:
    """What the sparse reading may have got wrong or passed over: its unsure words; on a page of tables typed
    with pipes, the rows whose first or last pipe it missed; and letter-sized ink outside its words' boxes
    (not touching the page's edge, where a scanner's shadow lies)."""
    words = [word for word, _ in sparse]
    unsure = [w for w in words if w.confidence < REREAD_MIN_CONFIDENCE or phantom_letters(w)]
    if typed_pipes(sparse):
        unsure += _open_pipe_rows(words)
    seeds = [(w.left, w.top, w.right, w.bottom) for w in unsure]
    return seeds + _uncovered_ink(image, words, _word_height(words))


def _open_pipe_rows(words: list[Word]) -> list[Word]:
    """The first word of each row with a pipe inside that does not start and end with one: a typed table row
    whose first or last pipe sparse text passed over."""
    height = _word_height(words)
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        centre = (word.top + word.bottom) / 2
        if rows and centre - (rows[-1][0].top + rows[-1][0].bottom) / 2 <= height / 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    firsts = []
    for row in rows:
        row.sort(key=lambda w: w.left)
        piped = any("|" in w.text for w in row)
        if piped and not (row[0].text.startswith("|") and row[-1].text.endswith("|")):
            firsts.append(row[0])
    return firsts


def _word_height(words: list[Word]) -> float:
    return statistics.median(w.bottom - w.top for w in words)


def _ink(image):
    import numpy as np

    pixels = np.asarray(image)
    return pixels < INK * float(np.median(pixels))


def _uncovered_ink(image, words: list[Word], height: float) -> list[Box]:
    """Boxes of connected blobs of ink the size of a letter to a short word, or of a dash, that no word of
    `words` covers; not specks, not table rules."""
    from scipy import ndimage

    ink = _ink(image)
    for w in words:
        ink[max(0, w.top - 1) : w.bottom + 2, max(0, w.left - 1) : w.right + 2] = False
    labels, _ = ndimage.label(ink, structure=[[1, 1, 1], [1, 1, 1], [1, 1, 1]])
    blobs = []
    rows, columns = ink.shape
    for found in ndimage.find_objects(labels):
        top, bottom, left, right = found[0].start, found[0].stop, found[1].start, found[1].stop
        tall, wide = bottom - top, right - left
        letter = BLOB_MIN_HEIGHT * height <= tall <= BLOB_MAX_HEIGHT * height and wide <= BLOB_MAX_WIDTH * height
        dash = tall < BLOB_MIN_HEIGHT * height and DASH_WIDTH[0] * height <= wide <= DASH_WIDTH[1] * height
        inside = top > 0 and bottom < rows and left > 0 and right < columns
        if (letter or (dash and wide >= DASH_FLAT * tall)) and inside:
            blobs.append((left, top, right, bottom))
    return blobs


def rows_of(image, sparse: Reading, seeds: list[Box]) -> list[tuple[Box, list[tuple[int, int]]]]:
    """The rows to read again: each cut out across the page's text with a line or so of the page above and
    below it (Tesseract reads a row surer among its neighbours), to the nearest white gap there, with the
    seeds' heights (top, bottom) it holds; rows that would overlap are one."""
    words = [word for word, _ in sparse]
    height = _word_height(words)
    left = max(0, int(min(w.left for w in words) - 2 * height))
    right = min(image.width, int(max(w.right for w in words) + 2 * height))
    profile = _ink(image)[:, left:right].sum(axis=1)
    reach = int(ROW_REACH * height)
    spans: list[tuple[int, int, list[tuple[int, int]]]] = []
    context = int(CONTEXT * height)
    for _, top, _, bottom in sorted(seeds, key=lambda seed: seed[1]):
        upper = _white_edge(profile, max(0, top - context), -1, reach)
        lower = _white_edge(profile, min(len(profile) - 1, bottom + context), 1, reach)
        if spans and upper <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], lower), [*spans[-1][2], (top, bottom)])
        else:
            spans.append((upper, lower, [(top, bottom)]))
    return [((left, upper, right, lower), held) for upper, lower, held in spans]


def _white_edge(profile, start: int, step: int, reach: int) -> int:
    """The far side of the whitest gap within `reach` rows of `start` going `step` (up -1, down +1): the least
    inked row nearest the seed, and on from it while rows stay as white."""
    end = min(len(profile) - 1, max(0, start + step * reach))
    rows = range(start, end + step, step)
    if not len(rows):
        return start
    whitest = min(rows, key=lambda y: (profile[y], abs(y - start)))
    edge = whitest
    while (
        0 <= edge + step < len(profile)
        and abs(edge + step - start) <= reach
        and profile[edge + step] <= profile[whitest]
    ):
        edge += step
    return edge


def read_rows(image, rows: list[tuple[Box, list[tuple[int, int]]]], height: float, dpi: int) -> Reading:
    """The rows read as one block each, in one run of Tesseract, each set on a margin of paper; their words in
    the page's pixels, each row's lines numbered apart, only the words standing within a seed's height."""
    if not rows:
        return []
    margin = int(MARGIN * height)
    crops = [_on_paper(image.crop(box), margin) for box, _ in rows]
    readings = tesseract.read_each(crops, tesseract.config(tesseract.BLOCK, dpi))
    out: Reading = []
    lines = 0
    for ((left, top, _, _), held), reading in zip(rows, readings, strict=True):
        left, top = left - margin, top - margin
        for word, baseline in reading:
            centre = top + (word.top + word.bottom) / 2
            if any(a - KEEP * height <= centre <= b + KEEP * height for a, b in held):
                out.append((_moved(word, left, top, lines), baseline + top))
        lines += 1 + max((word.line for word, _ in reading), default=0)
    return out


def _on_paper(crop, margin: int):
    """The crop on a margin of its own paper colour (its median grey)."""
    from PIL import Image

    paper = Image.new(crop.mode, (crop.width + 2 * margin, crop.height + 2 * margin), _paper(crop))
    paper.paste(crop, (margin, margin))
    return paper


def _paper(crop) -> int:
    import numpy as np

    return int(np.median(np.asarray(crop)))


def _moved(word: Word, left: int, top: int, lines: int) -> Word:
    return replace(
        word,
        left=word.left + left,
        right=word.right + left,
        top=word.top + top,
        bottom=word.bottom + top,
        line=word.line + lines,
        line_top=word.line_top + top,
        line_bottom=word.line_bottom + top,
        letters=tuple((a + left, b + left) for a, b in word.letters),
    )
