"""An amount Tesseract was unsure of, cut out of the page and read a second time on its own.

The second reading stands only when it is sure and agrees with the first digit for digit;
otherwise the amount stays unsure and is laid out as `?`s (`text.py`), so its value is left
out with a warning rather than a wrong amount being loaded.
"""

from __future__ import annotations

import re
from dataclasses import replace

from finsam_pipeline.read.ocr import tesseract
from finsam_pipeline.read.ocr.pages import DPI
from finsam_pipeline.read.ocr.words import (
    BRACKETED_ZERO,
    NUMBER_LIKE,
    NUMBER_MIN_CONFIDENCE,
    NUMBERISH,
    REREAD_MIN_CONFIDENCE,
    Word,
    amount_clusters,
    digits,
    phantom_letters,
    unit,
    unsure,
    without_phantoms,
)

_SIGNED_DIGITS = re.compile(r"[-−–]?\d[\d ]*$")


def agree(first: str, second: str) -> bool:
    """Two readings of one amount agree: the same digits and the same sign (noise before the first read's
    sign aside: `<+-447 536` and `-447 536` agree)."""
    core = _SIGNED_DIGITS.search(first)
    if core is None or not _SIGNED_DIGITS.fullmatch(second):
        return False
    return digits(core.group()) == digits(second) and core.group()[0].isdigit() == second[0].isdigit()


def reread_unsure_amounts(image, words: list[Word], dpi: int = DPI) -> list[Word]:
    """An amount with a group Tesseract was unsure of (a low confidence, or a letter box inside another's) is
    cut out of the page and read again on its own, all of a page's in one run of Tesseract; the second
    reading replaces the first only when it is sure and agrees with it digit for digit (or with it less the
    letters whose boxes overlapped). Lone symbols Tesseract was unsure of are dropped, or taken into the
    amount they stand against (`_lone_symbols_settled`)."""
    words = _lone_symbols_settled(words)
    if not words:
        return words
    letter = unit(words)
    words = sorted(words, key=lambda w: (w.line, w.left))
    unsure_amounts = []  # (start, end, box on the page)
    for start, end in amount_clusters(words, letter):
        cluster = words[start:end]
        if not any(unsure(w) for w in cluster) or BRACKETED_ZERO.match(cluster[0].text):
            continue
        before = words[start - 1] if start and words[start - 1].line == cluster[0].line else None
        after = words[end] if end < len(words) and words[end].line == cluster[0].line else None
        box = _amount_box(image, cluster, before, after, letter)
        if box[2] <= box[0] or box[3] <= box[1]:
            continue  # its neighbours' boxes overlap it (a noisy scan): no box of its own to read again
        unsure_amounts.append((start, end, box))
    seconds = _read_boxes(image, [box for _, _, box in unsure_amounts], dpi)
    out: list[Word] = []
    done = 0
    for (start, end, box), second in zip(unsure_amounts, seconds, strict=True):
        cluster = words[start:end]
        out.extend(words[done:start])
        out.extend(_agreed(cluster, second, box) or cluster)
        done = end
    out.extend(words[done:])
    return out


def _lone_symbols_settled(words: list[Word]) -> list[Word]:
    """Lone symbols Tesseract was unsure of (`=` or `<` seen beside an amount) are dropped; one standing right
    before an amount (within a thousands gap of its first group, in its row) is taken into that group, which
    then counts as unsure: it may be a digit misread (`&` for the `2` of `2 374 000`)."""
    lone = [w.confidence < NUMBER_MIN_CONFIDENCE and not any(c.isalnum() for c in w.text) for w in words]
    symbols = [w for w, is_lone in zip(words, lone, strict=True) if is_lone]
    out = [w for w, is_lone in zip(words, lone, strict=True) if not is_lone]
    if not symbols or not out:
        return out
    letter = unit(out)
    for symbol in symbols:
        centre = (symbol.top + symbol.bottom) / 2
        against = [
            index
            for index, w in enumerate(out)
            if NUMBERISH.match(w.text)
            and w.line_top <= centre <= w.line_bottom
            and 0 <= w.left - symbol.right < 1.5 * letter
        ]
        if against:
            index = min(against, key=lambda i: out[i].left)
            number = out[index]
            out[index] = replace(
                number,
                text=symbol.text + number.text,
                left=symbol.left,
                confidence=min(number.confidence, symbol.confidence),
                letters=(),
            )
    return out


def _read_boxes(image, boxes: list[tuple], dpi: int) -> list[list[Word]]:
    """Each box of the page read as one line, all in one run of Tesseract."""
    readings = tesseract.read_each([image.crop(box) for box in boxes], tesseract.config(tesseract.REREAD, dpi))
    return [[word for word, _ in reading] for reading in readings]


def _amount_box(image, cluster: list[Word], before: Word | None, after: Word | None, letter: float) -> tuple:
    """The amount's box on the page: a letter wider on each side, short of its neighbours in the line, and a
    quarter line higher and lower."""
    left = max(cluster[0].left - letter, (before.right + cluster[0].left) / 2 if before else 0)
    right = cluster[-1].right + letter
    if after is not None:
        right = min(right, (cluster[-1].right + after.left) / 2)
    top, bottom = cluster[0].line_top, cluster[0].line_bottom
    margin = (bottom - top) // 4
    return (int(left), max(0, top - margin), int(right), min(image.height, bottom + margin))


def _agreed(cluster: list[Word], second: list[Word], box: tuple) -> list[Word] | None:
    """The amount's words as the second reading of `box` gives them, in the page's pixels and the cluster's
    line; None unless that reading is sure and agrees with the first."""
    sure = second and all(
        w.confidence >= REREAD_MIN_CONFIDENCE and NUMBER_LIKE.match(w.text) and not phantom_letters(w) for w in second
    )
    readings = {" ".join(w.text for w in cluster), " ".join(without_phantoms(w) for w in cluster)}
    if not sure or not any(agree(first, " ".join(w.text for w in second)) for first in readings):
        return None
    first = cluster[0]
    return [
        replace(
            w,
            left=w.left + box[0],
            right=w.right + box[0],
            top=w.top + box[1],
            bottom=w.bottom + box[1],
            line=first.line,
            line_top=first.line_top,
            line_bottom=first.line_bottom,
            letters=tuple((a + box[0], b + box[0]) for a, b in w.letters),
        )
        for w in second
    ]
