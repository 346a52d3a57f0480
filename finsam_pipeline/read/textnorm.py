"""Unicode and markup normalisation shared by every reader and parser.

Reports arrive as OCR text, markdown, HTML fragments and PDFs; everything downstream
sees one alphabet: NFC text, plain spaces, ASCII minus, no markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_MINUS_LIKE = dict.fromkeys(map(ord, "\u2212\u2012\ufe63\uff0d"), "-")
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_TRANSLATION = {**_SPACE_LIKE, **_ZERO_WIDTH, **_MINUS_LIKE, **{ord(k): v for k, v in _LIGATURES.items()}}
_TRANSLATED = frozenset(map(chr, _TRANSLATION))  # none is ASCII: an ASCII text needs no translation

_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_HTML_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_TABLE_RULE = re.compile(  # also a rule a PDF printed as typed broke at a space (`|------ ---|`)
    r"^\s*\|?\s*:?-{2,}(?: -+)*:?\s*(\|\s*:?-{0,}(?: -+)*:?\s*)*\|?\s*$"
)
_MD_HR = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_FOLD = {"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"}
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise_unicode(text: str) -> str:
    """NFC, ligatures expanded, exotic spaces and minus signs made plain."""
    text = unicodedata.normalize("NFC", text)
    return text if text.isascii() or _TRANSLATED.isdisjoint(text) else text.translate(_TRANSLATION)


def strip_markup(line: str) -> str:
    """Remove HTML tags and markdown emphasis/headings, keep table pipes and tabs."""
    if _MD_TABLE_RULE.match(line) or _MD_HR.match(line):
        return ""
    # Each kind of markup only where its mark stands: every line of every report passes here.
    if "<" in line:
        line = _HTML_TAG.sub("", line)
    if "&" in line:
        for entity, char in _HTML_ENTITIES.items():
            line = line.replace(entity, char)
    if "#" in line:
        line = _MD_HEADING.sub("", line)
    previous = None
    while previous != line and ("*" in line or "_" in line):
        previous = line
        line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def normalise_line(line: str) -> str:
    """One physical line as the parsers want it: normalised, markup-free, right-trimmed."""
    return strip_markup(normalise_unicode(line)).rstrip()


_LONGEST_CACHED_FOLD = 400
_LONGEST_PARAGRAPH_FOLD = 4_000  # a paragraph printed as one line; a whole document is longer
_PARAGRAPH_FOLDS_KEPT = 512  # a report's paragraphs, several hundred at most: some MB held at the most


def fold(text: str) -> str:
    """Lower-case ASCII-ish key for matching labels whose Swedish letters may be lost.

    Labels and lines recur across reports and are cached; a whole document's text never recurs, and
    caching it would hold every document a worker has read (hundreds of MB over a national load). A
    paragraph printed as one line recurs within its report only, where several parsers fold it: the last
    few hundred are kept.
    """
    if len(text) <= _LONGEST_CACHED_FOLD:
        return _fold_cached(text)
    if len(text) <= _LONGEST_PARAGRAPH_FOLD:
        return _fold_paragraph(text)
    return _fold(text)


def _fold(text: str) -> str:
    text = normalise_unicode(text).lower()
    if not text.isascii():
        for letter, plain in _FOLD.items():
            if letter in text:  # str.replace per letter: many times faster than str.translate on a long text
                text = text.replace(letter, plain)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))  # diacritics dropped
    return _NON_ALNUM.sub(" ", text).strip()


_fold_cached = lru_cache(maxsize=100_000)(_fold)
_fold_paragraph = lru_cache(maxsize=_PARAGRAPH_FOLDS_KEPT)(_fold)


def fold_lines(texts: Iterable[str]) -> str:
    """`fold` of the texts joined by line breaks, from each line's own (cached) fold.

    Folding maps each character on its own and a line break to a space, so the lines' folds joined by single
    spaces are the whole text's: a document's lines are each folded by some parser anyway, its text never twice.
    """
    return " ".join(folded for folded in map(fold, texts) if folded)


def slugify(text: str) -> str:
    """ASCII identifier for ids such as `forbund_id`."""
    return fold(text).replace(" ", "_")
