"""Two readings of one page made one: sparse text, corrected where one block saw more.

Tesseract reads the page as sparse text, which keeps apart the cells a word processor centred
at different heights in one table row (read as one block, they are merged into one line and
misread), and as one block, whose words fill in what sparse text passes over. Each word is
then set on its baseline with one box height for the page, as a text layer's glyphs are.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import replace

from finsam_pipeline.read.ocr.words import (
    BRACKETED_ZERO,
    NUMBER_MIN_CONFIDENCE,
    NUMBERISH,
    REREAD_MIN_CONFIDENCE,
    Word,
    digits,
    unsure,
    without_phantoms,
)

# An amount the two readings disagree on counts as unsure: it stands only if a third reading, of the amount
# cut out on its own, agrees with the block's (`reread.py`).
DISPUTED = NUMBER_MIN_CONFIDENCE - 1
TYPED_PIPES = 10  # sparse text read this many pipes of one height on a page: its tables are typed with them
SURE = 90.0  # a block reading this sure replaces sparse words Tesseract was unsure of (below NUMBER_MIN_CONFIDENCE)
# Where a line's letters stand around its baseline, in cap heights: a font's ascent and descent (Arial, as a
# text layer's glyph boxes give them). Every word of a row then has the same box, however its letters rise.
ASCENT, DESCENT = 1.26, 0.30

Reading = list[tuple[Word, float]]  # words, each with the y of its baseline


def _boxes_meet(a: Word, b: Word) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _inside(inner: Word, outer: Word, slack: int) -> bool:
    return outer.left - slack <= inner.left and inner.right <= outer.right + slack


def _in_row(word: Word, other: Word) -> bool:
    """Whether a word's middle stands within the other's height: the same row, not the one above or below."""
    return other.top <= (word.top + word.bottom) / 2 <= other.bottom


def _in_order(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


def merged_readings(sparse: Reading, block: Reading, gaps_only: bool = True) -> Reading:
    """The sparse reading's words, corrected where the block reading saw more, each with its baseline.

    A block word no sparse word meets is added where it fills a gap (`fills_a_gap`: a lone `0` or note
    number sparse text passed over; a `|` on a page whose tables are typed with pipes, where sparse text
    passes over a row's first and last pipe; with `gaps_only` false, whatever it is). A block
    word replaces the sparse words it meets when it covers them and has their letters in order and more
    (`N` `t` under `Not`), or when it is sure and they were not (`Not` over a `37` made of `Not` and `31`).
    An amount sparse text was unsure of is replaced by the block's clean reading of it, which stands where
    `settles` says so and is otherwise unsure until a third reading agrees.
    Several block words inside one sparse word replace it when they are read surer on average (`10101` over
    `|` `0` `|` `0` `|`). Everything else keeps the sparse reading: the block reading merges a table row's
    cells set at different heights into one line and misreads them."""
    first_free = max((word.line for word, _ in sparse), default=-1) + 1
    piped = typed_pipes(sparse)
    dropped: set[int] = set()
    added: Reading = []
    inside: dict[int, Reading] = {}
    for word, baseline in block:
        met = [i for i, (other, _) in enumerate(sparse) if _boxes_meet(word, other)]
        if not met and gaps_only and not (fills_a_gap(word, sparse) or (piped and word.text == "|")):
            continue
        if met and not (met := [i for i in met if _in_row(word, sparse[i][0])]):
            continue  # it meets words only by straddling rows: a misread of cells at different heights
        if len(met) == 1 and _inside(word, sparse[met[0]][0], 0):
            inside.setdefault(met[0], []).append((word, baseline))
        fuller, surer, disputed = _block_word_wins(word, [sparse[i][0] for i in met])
        if disputed and not settles(word, [sparse[i][0] for i in met]):
            word = replace(word, confidence=min(word.confidence, DISPUTED))
        if not met or fuller or surer or disputed:
            dropped.update(met)
            in_place = fuller or disputed  # stands where the sparse words stood, in their line
            line = sparse[min(met)][0].line if in_place else first_free + word.line
            added.append((replace(word, line=line), sparse[min(met)][1] if in_place else baseline))
    for index, parts in inside.items():
        surer_parts = statistics.mean(part.confidence for part, _ in parts) > sparse[index][0].confidence
        if index not in dropped and len(parts) >= 2 and surer_parts:
            dropped.add(index)
            added.extend((replace(part, line=first_free + part.line), baseline) for part, baseline in parts)
    return [pair for index, pair in enumerate(sparse) if index not in dropped] + added


def fills_a_gap(word: Word, sparse: Reading) -> bool:
    """Whether a block word no sparse word meets is what sparse text passes over: a number (a note, a page
    number, a lone `0`) read fairly surely, a zero in brackets however unsure, or a dash read fairly surely
    with nothing read surely after it in its row (a printed zero in the last amount cell). Not a letter, a
    stroke or a dash before an amount: on a noisy scan the block reading makes `|`, `I`, `-` of rules,
    shadows and specks that sparse text rightly left out, and such a word between two rows joins them into
    one, or signs the amount after it."""
    if BRACKETED_ZERO.match(word.text):
        return True
    if word.confidence < NUMBER_MIN_CONFIDENCE:
        return False
    if _DASH.match(word.text):
        return not any(
            other.left >= word.right and _in_row(other, word) and other.confidence >= NUMBER_MIN_CONFIDENCE
            for other, _ in sparse
        )
    return any(char.isdigit() for char in word.text)


_DASH = re.compile(r"^[-−–—]$")


def typed_pipes(sparse: Reading) -> bool:
    """Whether sparse text read the page's tables typed with pipes (`| Summa | 2 038 080 |`): many pipes of
    one height, as a typed character is. A table's ruled lines, which it also reads as `|` now and then,
    come in every height their cells have."""
    heights = sorted(word.bottom - word.top for word, _ in sparse if "|" in word.text)
    return any(
        sum(1 for other in heights if abs(other - height) <= max(2, 0.05 * height)) >= TYPED_PIPES
        for height in heights
    )


def _block_word_wins(word: Word, met: list[Word]) -> tuple[bool, bool, bool]:
    """Why a block word replaces the sparse words it meets: (fuller, surer, disputed); see `merged_readings`."""
    if not met:
        return False, False, False
    slack = max(1, (word.bottom - word.top) // 6)
    covered = "".join(other.text for other in sorted(met, key=lambda other: other.left))
    fuller = (
        all(_inside(other, word, slack) for other in met)
        and len(word.text) > len(covered)
        and _in_order(covered, word.text)
        and word.confidence >= min(other.confidence for other in met)
    )
    surer = word.confidence >= SURE and all(other.confidence < NUMBER_MIN_CONFIDENCE for other in met)
    disputed = (
        bool(NUMBERISH.match(word.text))
        and not unsure(word)
        and all(NUMBERISH.match(other.text) for other in met)
        and any(unsure(other) for other in met)
    )
    return fuller, surer, disputed


def settles(block: Word, sparse: list[Word]) -> bool:
    """Whether the block's clean reading of an amount sparse text was unsure of stands on its own: both read
    the same digits (`(0)` and `0`), or sparse text was unsure only for a phantom letter (`1175` for `775`,
    its confidence fair) and the block is as sure as a second reading must be."""
    as_read = "".join(digits(w.text) for w in sparse)
    phantomless = "".join(digits(without_phantoms(w)) for w in sparse)
    phantoms_only = all(w.confidence >= NUMBER_MIN_CONFIDENCE for w in sparse)
    return digits(block.text) in (as_read, phantomless) or (phantoms_only and block.confidence >= REREAD_MIN_CONFIDENCE)


_CAPITAL_OR_DIGIT = re.compile(r"^[A-ZÅÄÖ0-9]")


def on_baselines(words: Reading) -> list[Word]:
    """Each word's line box set from its baseline and the page's cap height, as a text layer's glyphs have
    the font's: cells in one row share a centre, lines of one cell stand a line apart. Tesseract's own line
    boxes follow the ink (`2024-12-` has no descender, `Belopp` has) and, in sparse text, may join a cell's
    word to one half a line higher."""
    caps = [
        baseline - word.top for word, baseline in words if _CAPITAL_OR_DIGIT.match(word.text) and baseline > word.top
    ]
    if not caps:
        return [word for word, _ in words]
    cap = statistics.median(caps)
    return [
        replace(word, line_top=round(baseline - ASCENT * cap), line_bottom=round(baseline + DESCENT * cap))
        for word, baseline in words
    ]
