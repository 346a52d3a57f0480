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

Rows that would overlap are cut out as one, which can set a line of another size (a heading)
above a seed's: Tesseract's block mode then judges the spaces by it and joins words (`År 2023`
read `År2023`, unsure, which corrects nothing). So the line of a seed whose words such a shared
cut joined is read once more in a cut of its own, and across the joined words the surer
reading is kept (`_alone_where_unsure`).

On the outside corpus's ten scans and the seeds' scanned statements, this reads as many
statement facts exactly as the whole-page block reading or more, with no new wrong one, on
a third to two thirds of a page's area where sparse text was unsure, none where it was sure.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

from finsam_pipeline.read.ocr import tesseract
from finsam_pipeline.read.ocr.merge import merged_readings, typed_pipes
from finsam_pipeline.read.ocr.words import NUMBERISH, REREAD_MIN_CONFIDENCE, Word, phantom_letters

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
    words = [word for word, _ in sparse]
    height = _word_height(words)
    word_seeds = _unsure_words(sparse)
    rows = rows_of(image, sparse, word_seeds + _uncovered_ink(image, words, height))
    block = read_rows(image, rows, height, dpi)
    return merged_readings(sparse, _alone_where_unsure(image, sparse, rows, block, word_seeds, height, dpi))


def unsure_seeds(image, sparse: Reading) -> list[Box]:
    """What the sparse reading may have got wrong or passed over: its unsure words; on a page of tables typed
    with pipes, the rows whose first or last pipe it missed; and letter-sized ink outside its words' boxes
    (not touching the page's edge, where a scanner's shadow lies)."""
    words = [word for word, _ in sparse]
    return _unsure_words(sparse) + _uncovered_ink(image, words, _word_height(words))


def _unsure_words(sparse: Reading) -> list[Box]:
    """The boxes of the sparse reading's unsure words, and on a page of typed tables of its open pipe rows."""
    words = [word for word, _ in sparse]
    unsure = [w for w in words if w.confidence < REREAD_MIN_CONFIDENCE or phantom_letters(w)]
    if typed_pipes(sparse):
        unsure += _open_pipe_rows(words)
    return [(w.left, w.top, w.right, w.bottom) for w in unsure]


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


def _alone_where_unsure(
    image,
    sparse: Reading,
    rows: list[tuple[Box, list[tuple[int, int]]]],
    block: Reading,
    seeds: list[Box],
    height: float,
    dpi: int,
) -> Reading:
    """The block reading, where a shared cut (a row holding seeds of more than one line) joined words of a
    seed's line (`joined_unsure`), corrected by a reading of that line in a cut of its own, all such lines in
    one run of Tesseract: across the joined words, the new reading replaces the shared cut's where its letters
    are read surer on average. The rest of the line keeps the shared cut's reading."""
    again: list[tuple[Box, list[tuple[int, int]]]] = []  # a seed, and the spans of its joined words
    for (_, upper, _, lower), held in rows:
        if max(top for top, _ in held) <= min(bottom for _, bottom in held):
            continue  # the seeds of one line: the cut is already the line's own
        for seed in seeds:
            if upper <= seed[1] and seed[3] <= lower and (spans := joined_unsure(block, sparse, seed, height)):
                again.append((seed, spans))
    if not again:
        return block
    lines: list[list[tuple[Box, list[tuple[int, int]]]]] = []  # the seeds to read again, those of one line together
    for seed, spans in sorted(again, key=lambda pair: pair[0][1]):
        if lines and seed[1] <= max(other[3] for other, _ in lines[-1]):
            lines[-1].append((seed, spans))
        else:
            lines.append([(seed, spans)])
    alone_rows = [row for line in lines for row in rows_of(image, sparse, [seed for seed, _ in line])]
    first_line = 1 + max((word.line for word, _ in block), default=-1)
    alone = read_rows(image, alone_rows, height, dpi, first_line)
    for line in lines:
        band = (min(seed[1] for seed, _ in line) - KEEP * height, max(seed[3] for seed, _ in line) + KEEP * height)
        spans = [span for _, seed_spans in line for span in seed_spans]

        def joined(word: Word, band=band, spans=spans) -> bool:
            across = any(word.left <= right and left <= word.right for left, right in spans)
            return across and band[0] <= _middle(word) <= band[1]

        before = [pair for pair in block if joined(pair[0])]
        after = [pair for pair in alone if joined(pair[0])]
        if _letter_confidence(after) > _letter_confidence(before):
            block = [pair for pair in block if not joined(pair[0])] + after
    return block


def joined_unsure(block: Reading, sparse: Reading, seed: Box, height: float) -> list[tuple[int, int]]:
    """The spans (left, right) of the block reading's unsure words at the seed that each stand over two or more
    of the sparse reading's words of their row, not all of them groups of an amount: words joined across a
    space, as a cut whose spaces Tesseract misjudged reads them (`År2023` over `År` `09G`). An amount's groups
    read as one word (`94000` over `94` `000`) are the block reading's way and are left to the merge."""
    left, top, right, bottom = seed
    spans = []
    for word, _ in _in_band(block, (top - KEEP * height, bottom + KEEP * height)):
        if word.confidence >= REREAD_MIN_CONFIDENCE or word.right < left or right < word.left:
            continue
        under = [
            other
            for other, _ in sparse
            if other.left < word.right and word.left < other.right and word.top <= _middle(other) <= word.bottom
        ]
        if len(under) >= 2 and not all(NUMBERISH.match(other.text) for other in under):
            spans.append((word.left, word.right))
    return spans


def _middle(word: Word) -> float:
    return (word.top + word.bottom) / 2


def _in_band(reading: Reading, band: tuple[float, float]) -> Reading:
    return [pair for pair in reading if band[0] <= (pair[0].top + pair[0].bottom) / 2 <= band[1]]


def _letter_confidence(reading: Reading) -> float:
    """The mean confidence of a reading's letters (a word's confidence counted once per letter); -1 if none."""
    letters = sum(len(word.text) for word, _ in reading)
    return sum(word.confidence * len(word.text) for word, _ in reading) / letters if letters else -1.0


def read_rows(
    image, rows: list[tuple[Box, list[tuple[int, int]]]], height: float, dpi: int, first_line: int = 0
) -> Reading:
    """The rows read as one block each, in one run of Tesseract, each set on a margin of paper; their words in
    the page's pixels, each row's lines numbered apart (from `first_line`), only the words standing within a
    seed's height."""
    if not rows:
        return []
    margin = int(MARGIN * height)
    crops = [_on_paper(image.crop(box), margin) for box, _ in rows]
    readings = tesseract.read_each(crops, tesseract.config(tesseract.BLOCK, dpi))
    out: Reading = []
    lines = first_line
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
