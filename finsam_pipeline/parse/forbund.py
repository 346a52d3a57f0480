"""Who wrote the report: the förbund's own name, never one it merely mentions.

A report names its own förbund on the title page, in its first lines and in the
signatures ("Styrelsen för …"); its prose mentions neighbours, predecessors and
partners too. So names are found only as whole names in their common forms
("Samordningsförbundet X", "Samordningsförbundet i X", "X:s/Xs samordningsförbund",
"Finsam X"), each occurrence weighted by where it stands, and a printed organisation
number known to the registry settles it. A name is reduced to a form-independent key
(genitive endings of places dropped, generic words dropped), so the same förbund gets
the same id in every year and every dress, registered or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from finsam_pipeline.extract import TextLine
from finsam_pipeline.parse.text_helpers import word_like
from finsam_pipeline.textnorm import fold, slugify
from finsam_pipeline.vocabulary import (
    Forbund,
    document_type_words,
    forbund_name_words,
    forbund_registry,
    place_names,
)

_TITLE_LINES = 30  # non-empty lines counted as the title page of a plain-text report
_SIGNATURE_SHARE = 0.75  # signatures stand in the last quarter of a report
_WRAPPED_LINE_CHARS = 50  # a line this long that ends mid-sentence goes on in the next
_NAME_WORDS_CARRIED = 3  # words of a name a line break may leave on the line above
_TITLE_OTHER_WORDS = 4  # a title line holds the name and at most a few words more (`Årsredovisning 2023`)
_WEIGHT_TITLE, _WEIGHT_RUNNING_HEADER, _WEIGHT_SIGNATURE, _WEIGHT_ORG_LINE, _WEIGHT_BODY = 20, 5, 10, 20, 1
_WEIGHT_ORG_NUMBER = 1000  # a printed organisation number the registry knows is decisive
_INVALID_YEAR_FACTOR = 0.05  # a registered förbund that did not exist that year: a predecessor or successor mentioned
_TOKEN = re.compile(r"[A-Za-zÅÄÖåäöÉéÜüØøÆæ0-9][\w:'’.-]*[\w]|[A-Za-zÅÄÖåäöÉéÜüØøÆæ]|[,&–-]|[^\s\w]")
_ORG_NUMBER = re.compile(r"(?<!\d)(\d{6})\s?[-–]\s?(\d{4})(?!\d)")
_ORG_WORDS = ("org", "organisationsnummer", "orgnr")
_SIGNATURE_WORDS = ("styrelsen for", "styrelse for", "underskrift", "styrelsens underskrift", "ordforande")


@dataclass(frozen=True)
class NameMention:
    """One occurrence of a förbund's name in the text."""

    printed: str  # as written, whitespace collapsed
    key: tuple[str, ...]  # form-independent identity words
    line_index: int


@dataclass(frozen=True)
class ForbundIdentity:
    forbund_id: str | None
    forbund_name: str | None
    in_registry: bool
    evidence: str  # where the name was found, for the operator


@cache
def _words() -> dict[str, frozenset[str]]:
    return {kind: frozenset(words) for kind, words in forbund_name_words().items()}


@cache
def _folded_markers(kind: str) -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in _words()[kind]}))


@lru_cache(maxsize=100_000)
def _marker_kind(token: str) -> str | None:
    """`prefix_marker` (Samordningsförbundet, Finsam), `suffix_marker` (samordningsförbund), OCR-tolerant."""
    folded = fold(token)
    if not folded or " " in folded:
        return None
    for kind in ("prefix_marker", "suffix_marker"):
        for marker in _folded_markers(kind):
            same_ending = folded[-2:] == marker[-2:]
            if folded == marker or (same_ending and word_like(folded, marker)):
                return kind if kind == "suffix_marker" or token[:1].isupper() else None
    return None


def _is_stop(token: str) -> bool:
    return token in _words()["stop"]


def _name_token(token: str) -> bool:
    """A token that can be part of a place-like name: capitalised, not a stop word, not a marker."""
    return (
        token[:1].isupper()
        and not _is_stop(token)
        and _marker_kind(token) is None
        and not any(ch.isdigit() for ch in token)
    )


def _strip_genitive(word: str, genitive_form: bool) -> str:
    """`hallands` -> `halland` when Halland is a place, or when the name stands before `samordningsförbund`."""
    if word in place_names() or not word.endswith("s") or len(word) < 4:
        return word
    if word[:-1] in place_names() or genitive_form:
        return word[:-1]
    return word


def name_key(words: Sequence[str], genitive_form: bool) -> tuple[str, ...]:
    """Identity words of a name: folded, generic words dropped, genitive endings of places removed."""
    key: list[str] = []
    for word in words:
        if _marker_kind(word) is not None:
            continue
        for part in fold(word.split(":")[0]).split():
            if part not in ("i", "och"):
                key.append(_strip_genitive(part, genitive_form))
    return tuple(key)


def _dangling(token: str) -> bool:
    return token in _words()["connector"] or token == ","


def _after_prefix(tokens: list[str], start: int) -> tuple[int, int]:
    """Token span of the name after `Samordningsförbundet`/`Finsam`: `i`, places joined by och, -, commas."""
    index = start
    if index < len(tokens) and tokens[index] == "i":
        index += 1
    if index < len(tokens) and _marker_kind(tokens[index]) == "prefix_marker":
        index += 1  # Samordningsförbundet Finsam Falun
    first, last = index, index - 1
    while index < len(tokens):
        token = tokens[index]
        if _name_token(token) or (last >= first and token in _words()["lowercase_part"]):
            last = index
        elif last >= first and _dangling(token):
            if index + 1 >= len(tokens) or not _name_token(tokens[index + 1]):
                break
            if token == "," and not _list_ends_with_och(tokens, index + 1):
                break  # `Samordningsförbundet X, Borås den 1 mars`: a place and date, not a list of names
        else:
            break
        index += 1
    return first, last + 1


def _list_ends_with_och(tokens: list[str], start: int) -> bool:
    """After a comma: does a run of names follow that closes with `och <name>` (Huddinge, Botkyrka och Salem)?"""
    for index in range(start, len(tokens) - 1):
        if tokens[index] == "och":
            return _name_token(tokens[index + 1])
        if not (_name_token(tokens[index]) or tokens[index] == ","):
            return False
    return False


def _may_precede(token: str, right: str) -> bool:
    """Can `token` stand before `right` (empty: the marker) in a genitive name such as `Västra Värmlands`?

    Next to the marker only a genitive or a place may stand (`Klarälvdalens`, `Västerås`), so
    a sentence's first word (`Samtliga samordningsförbund`) is not taken for a name.
    """
    if right in _words()["lowercase_part"] or token in _words()["direction"]:
        return True
    return token.endswith("s") or fold(token) in place_names()


def _before_suffix(tokens: list[str], end: int) -> tuple[int, int]:
    """Token span of the name before `samordningsförbund`, read backwards: places, directions, och between genitives."""
    index = end - 1
    first = end
    while index >= 0:
        token = tokens[index]
        right = tokens[first] if first < end else ""
        if token in _words()["lowercase_part"] or (_name_token(token) and _may_precede(token, right)):
            first = index
        elif first < end and token in _words()["connector"]:
            previous = tokens[index - 1] if index > 0 else ""
            genitive = previous.endswith("s") or previous in _words()["direction"]
            if not (_name_token(previous) and genitive):
                break
        else:
            break
        index -= 1
    while first < end and tokens[first] in _words()["lowercase_part"]:
        first += 1
    return first, end


@lru_cache(maxsize=200_000)
def mentions_in_line(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every förbund name in one line: (as printed, identity key)."""
    tokens = _TOKEN.findall(text)
    found: list[tuple[str, tuple[str, ...]]] = []
    index = 0
    while index < len(tokens):
        kind = _marker_kind(tokens[index])
        if kind == "prefix_marker":
            first, end = _after_prefix(tokens, index + 1)
            if end > first:
                key = name_key(tokens[first:end], genitive_form=False)
                found.append((_tidy(" ".join(tokens[index:end])), key))
                index = end
                continue
        elif kind == "suffix_marker":
            first, end = _before_suffix(tokens, index)
            if end > first:
                key = name_key(tokens[first:end], genitive_form=True)
                found.append((_tidy(" ".join(tokens[first : index + 1])), key))
        index += 1
    return tuple((printed, key) for printed, key in found if key)


def _tidy(printed: str) -> str:
    return re.sub(r"\s+([,])", r"\1", re.sub(r"\s+", " ", printed)).strip(" ,.:")


def name_mentions(lines: Sequence[TextLine]) -> list[NameMention]:
    mentions: list[NameMention] = []
    for index, line in enumerate(lines):
        for printed, key in mentions_in_line(line.text):
            mentions.append(NameMention(printed, key, index))
    return mentions


@cache
def _registry_keys() -> tuple[tuple[tuple[str, ...], Forbund], ...]:
    keys: list[tuple[tuple[str, ...], Forbund]] = []
    for forbund in forbund_registry():
        for name in forbund.names:
            mentioned = mentions_in_line(name)
            if mentioned:
                keys.extend((key, forbund) for _, key in mentioned)
            else:  # an alias without a marker word, e.g. an acronym
                keys.append((name_key(name.split(), genitive_form=False), forbund))
    return tuple(keys)


def _keys_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(word_like(x, y) for x, y in zip(a, b, strict=True))


@lru_cache(maxsize=50_000)
def registry_match(key: tuple[str, ...]) -> Forbund | None:
    """The registered förbund whose name or alias has this key (OCR-tolerant), if exactly one does."""
    exact = {f.forbund_id: f for k, f in _registry_keys() if k == key}
    if len(exact) == 1:
        return next(iter(exact.values()))
    near = {f.forbund_id: f for k, f in _registry_keys() if _keys_match(k, key)}
    return next(iter(near.values())) if len(near) == 1 else None


def _valid_in(forbund: Forbund, year: int | None) -> bool:
    if year is None:
        return True
    if forbund.valid_from and int(forbund.valid_from[:4]) > year:
        return False
    return not (forbund.valid_to and int(forbund.valid_to[:4]) < year)


def _title_indexes(lines: Sequence[TextLine]) -> set[int]:
    """Indexes of the title page: PDF page 1, else the first non-empty lines."""
    if any(line.page is not None for line in lines[:1]):
        return {i for i, line in enumerate(lines) if line.page == 1}
    non_empty = [i for i, line in enumerate(lines) if line.text.strip()]
    return set(non_empty[:_TITLE_LINES])


@cache
def _title_words() -> frozenset[str]:
    """Lower-case words a title or running header may hold beside the name (`årsredovisning 2023`)."""
    words = {word for phrases in document_type_words().values() for phrase in phrases for word in fold(phrase).split()}
    return frozenset(words | {"och", "for", "med", "sida", "av", "till"})


def _line_above(lines: Sequence[TextLine], index: int) -> str:
    """The line before on the same page (a page break ends any sentence a line could continue), stripped."""
    return lines[index - 1].text.strip() if index > 0 and lines[index - 1].page == lines[index].page else ""


def _in_prose(lines: Sequence[TextLine], index: int, mention: NameMention) -> bool:
    """A short line may still be a paragraph's wrapped line, as a PDF breaks prose: the name followed by a
    sentence going on (`… Samordningsförbund. Samordningsförbundet är bildat`, `… Samordningsförbund
    upprättade en årsbudget`), or the line continuing a long line above that ended mid-sentence."""
    text = lines[index].text
    start = text.find(mention.printed)
    after = text[start + len(mention.printed) :] if start >= 0 else ""
    if re.match(r"\s*[.;:,]\s*\S", after):
        return True
    others = [w for w in re.findall(r"[^\W\d_]+", after) if w[:1].islower() and len(w) >= 3]
    if any(fold(word) not in _title_words() for word in others):
        return True
    above = _line_above(lines, index)
    return len(above) >= _WRAPPED_LINE_CHARS and not above.endswith((".", ":", "!", "?"))


def _weight(lines: Sequence[TextLine], mention: NameMention, title: set[int]) -> tuple[int, str]:
    """How much one occurrence says the name is the report's own, and why.

    A line that is little more than the name is a title, a running page header or a
    footer: the report naming itself. Prose mentions count once each, wherever they are.
    """
    index = mention.line_index
    text = lines[index].text
    near = fold(" ".join(line.text for line in lines[max(0, index - 2) : index + 3]))
    other_words = len(text.split()) - len(mention.printed.split())
    if other_words <= _TITLE_OTHER_WORDS and not _in_prose(lines, index, mention):
        return (_WEIGHT_TITLE if index in title else _WEIGHT_RUNNING_HEADER), "title line"
    if _ORG_NUMBER.search(near) and any(word in near.split() for word in _ORG_WORDS):
        return _WEIGHT_ORG_LINE, "organisation number line"
    if "styrelsen for" in fold(text) or (
        index >= len(lines) * _SIGNATURE_SHARE and any(word in near for word in _SIGNATURE_WORDS)
    ):
        return _WEIGHT_SIGNATURE, "signatures"
    return _WEIGHT_BODY, "text"


def _completed(lines: Sequence[TextLine], mention: NameMention) -> NameMention:
    """A name a PDF broke at the line's start (`… tog namnet Västra` / `Värmlands och Norra Dalslands
    Samordningsförbund`): the whole name, with the words the line above ends with, where they complete it."""
    index = mention.line_index
    above = _line_above(lines, index)
    if not above or above.endswith((".", ":", "!", "?")) or not lines[index].text.lstrip().startswith(mention.printed):
        return mention
    tail = " ".join(above.split()[-_NAME_WORDS_CARRIED:])
    joined = TextLine(lines[index].line_no, lines[index].page, f"{tail} {lines[index].text.strip()}")
    for whole in name_mentions([joined]):
        if len(whole.key) > len(mention.key) and set(mention.key) <= set(whole.key):
            return NameMention(whole.printed, whole.key, index)
    return mention


def _printed_org_numbers(lines: Sequence[TextLine]) -> set[str]:
    numbers: set[str] = set()
    for line in lines:
        if any(word in fold(line.text).split() for word in _ORG_WORDS):
            numbers.update(f"{a}-{b}" for a, b in _ORG_NUMBER.findall(line.text))
    return numbers


def identify_forbund(lines: Sequence[TextLine], year: int | None) -> ForbundIdentity:
    """The report's own förbund: the best-placed whole name, a known organisation number deciding."""
    title = _title_indexes(lines)
    scores: dict[tuple, float] = {}
    first_seen: dict[tuple, int] = {}
    printed_as: dict[tuple, tuple[int, str]] = {}
    evidence: dict[tuple, str] = {}
    for found in name_mentions(lines):
        mention = _completed(lines, found)
        forbund = registry_match(mention.key)
        identity = ("registry", forbund.forbund_id) if forbund else ("name", mention.key)
        weight, where = _weight(lines, mention, title)
        factor = _INVALID_YEAR_FACTOR if forbund is not None and not _valid_in(forbund, year) else 1.0
        scores[identity] = scores.get(identity, 0.0) + weight * factor
        first_seen.setdefault(identity, mention.line_index)
        if identity not in printed_as or weight > printed_as[identity][0]:
            printed_as[identity] = (weight, mention.printed)
            evidence[identity] = f"'{mention.printed}' on line {lines[mention.line_index].line_no} ({where})"
    by_org = {f.org_number: f for f in forbund_registry() if f.org_number}
    for number in _printed_org_numbers(lines):
        if number in by_org:
            identity = ("registry", by_org[number].forbund_id)
            scores[identity] = scores.get(identity, 0.0) + _WEIGHT_ORG_NUMBER
            first_seen.setdefault(identity, 0)
            evidence[identity] = f"organisation number {number}"
    if not scores:
        return ForbundIdentity(None, None, False, "no förbund name in the text")
    best = max(scores, key=lambda identity: (scores[identity], -first_seen[identity]))
    if best[0] == "registry":
        forbund = next(f for f in forbund_registry() if f.forbund_id == best[1])
        return ForbundIdentity(forbund.forbund_id, forbund.forbund_name, True, evidence[best])
    return ForbundIdentity(slugify(" ".join(best[1])), printed_as[best][1], False, evidence[best])
