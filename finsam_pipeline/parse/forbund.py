"""Who wrote the report: the förbund's own name, never one it merely mentions.

A report names its own förbund on the title page, in its first lines and in the
signatures ("Styrelsen för …"); its prose mentions neighbours, predecessors and
partners too. So names are found only as whole names in their common forms
("Samordningsförbundet X", "Samordningsförbund X", "Samordningsförbundet i X",
"X:s/Xs samordningsförbund", "VärNa samordningsförbund", "Finsam X", "FINSAM i X"), read by
their structure rather than from a list: a marker word and the capitalised words beside it,
an acronym beside the full name, a name a cover sets over two lines, an address after the
name cut off. Each occurrence is weighted by where it stands, and a printed organisation
number known to the registry settles it. How strong the evidence is (title page, running
headers on several pages, organisation number; or only prose, signatures, one header) is
reported, so a guess never decides which report another one replaces. A name is reduced to a form-independent key
(genitive endings of places dropped, generic words dropped), so the same förbund gets
the same id in every year and every dress, registered or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from finsam_pipeline.parse.text_helpers import word_like
from finsam_pipeline.parse.vocabulary import (
    Forbund,
    document_type_words,
    forbund_member_kommuner,
    forbund_name_words,
    forbund_registry,
    kommun_name_forms,
    place_names,
)
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold, slugify

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
_TITLE, _RUNNING_HEADER, _ORG_LINE, _PROSE = "title line", "running header", "organisation number line", "text"
_STRONG_HEADERS = 2  # a running header on this many pages is the report's own title, as a title page is
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
    # strong: a known organisation number, the name on the title page, in the organisation-number block or
    # as a running header on more than one page; else the förbund is a guess from weaker places (prose,
    # signatures, one running header) that must never decide which report another one replaces
    strong: bool = False
    warnings: tuple[tuple[str, str], ...] = ()  # (check name, message) for the parse flags


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


@cache
def _folded_words(kind: str) -> frozenset[str]:
    return frozenset(fold(w) for w in _words().get(kind, ()))


def _is_stop(token: str) -> bool:
    """A word that ends a name, in any case (`Årsredovisning`, `ÅRSREDOVISNING`)."""
    return fold(token) in _folded_words("stop")


def _lowercase_part(token: str) -> bool:
    """`län`, `stad`: a lower-case word of a name, however printed (`Uppsala lan` in a text without å, ä, ö)."""
    return bool(token) and token[:1].islower() and fold(token) in _folded_words("lowercase_part")


def _is_direction(token: str) -> bool:
    return fold(token) in _folded_words("direction")


def _is_acronym(token: str) -> bool:
    """A name printed with capitals inside it (`RAR`, `VärNa`, `SUS`): a proper name, never a common word."""
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and any(ch.isupper() for ch in letters[1:])


def _house_number(token: str) -> bool:
    return re.fullmatch(r"\d{1,4}[A-Za-z]?", token) is not None


def _address_starts(tokens: list[str], index: int) -> bool:
    """`Storgatan 27, 751 85 Uppsala`, `Box 123 301 80 Halmstad`: a word followed by a house number is a
    street, not part of the name, when a postcode (three digits and two) follows or the word ends as a
    street does."""
    if index + 1 >= len(tokens) or not _house_number(tokens[index + 1]):
        return False
    rest = [t for t in tokens[index + 2 : index + 5] if t != ","]
    postcode = len(rest) >= 2 and re.fullmatch(r"\d{3}", rest[0]) and re.fullmatch(r"\d{2}", rest[1])
    postcode = postcode or (bool(rest) and re.fullmatch(r"\d{5}", rest[0]) is not None)
    street = fold(tokens[index]).endswith(tuple(_folded_words("street_ending")))
    return bool(postcode or street)


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
        if _name_token(token) and _address_starts(tokens, index):
            break
        if _name_token(token) or (last >= first and _lowercase_part(token)):
            last = index
        elif last >= first and token == "i" and index + 1 < len(tokens) and _name_token(tokens[index + 1]):
            pass  # `RAR i Sörmland`: a name may place itself; the reading without the place is tried too
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
    if _lowercase_part(right) or _is_direction(token) or _is_acronym(token):
        return True
    return token.endswith("s") or fold(token) in place_names()


def _before_suffix(tokens: list[str], end: int) -> tuple[int, int]:
    """Token span of the name before `samordningsförbund`, read backwards: places, directions, och between genitives."""
    index = end - 1
    first = end
    while index >= 0:
        token = tokens[index]
        right = tokens[first] if first < end else ""
        if _lowercase_part(token) or (_name_token(token) and _may_precede(token, right)):
            first = index
        elif first < end and token in _words()["connector"]:
            previous = tokens[index - 1] if index > 0 else ""
            genitive = previous.endswith("s") or _is_direction(previous)
            if not (_name_token(previous) and genitive):
                break
        else:
            break
        index -= 1
    while first < end and _lowercase_part(tokens[first]):
        first += 1
    return first, end


@lru_cache(maxsize=200_000)
def mentions_in_line(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every förbund name in one line: (as printed, identity key).

    Where a name allows more than one reading (`RAR i Sörmland` or `RAR`; `SVM Västra Mälardalen` or
    `Västra Mälardalen`), the reading a registered förbund carries is taken, else the whole name.
    """
    return _line_mentions(text, resolve=True)


def _prefix_readings(tokens: list[str], first: int, end: int) -> list[tuple[int, tuple[str, ...]]]:
    """(end of the printed name, key) of each reading of a name after its marker, the whole name first."""
    words = tokens[first:end]
    readings = [(end, name_key(words, genitive_form=False))]
    if "i" in words[1:]:
        cut = first + words.index("i", 1)
        readings.append((cut, name_key(tokens[first:cut], genitive_form=False)))
    plain = [w for w in words if not _is_acronym(w)]
    if plain and len(plain) < len(words):
        readings.append((end, name_key(plain, genitive_form=False)))
    return readings


def _resolved(readings: list[tuple[int, tuple[str, ...]]], resolve: bool) -> tuple[int, tuple[str, ...]]:
    if resolve and len(readings) > 1 and registry_match(readings[0][1]) is None:
        return next((r for r in readings[1:] if r[1] and registry_match(r[1]) is not None), readings[0])
    return readings[0]


def _line_mentions(text: str, resolve: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    tokens = _TOKEN.findall(text)
    found: list[tuple[str, tuple[str, ...]]] = []
    index = 0
    while index < len(tokens):
        kind = _marker_kind(tokens[index])
        forward = kind == "prefix_marker"
        if kind == "suffix_marker":
            first, end = _before_suffix(tokens, index)
            if end > first:
                key = name_key(tokens[first:end], genitive_form=True)
                found.append((_tidy(" ".join(tokens[first : index + 1])), key))
            else:  # `Samordningsförbund Gävleborg`: the registry's own form, the marker before the name
                forward = tokens[index][:1].isupper() and not fold(tokens[index]).endswith("s")
        if forward:
            first, end = _after_prefix(tokens, index + 1)
            if end > first:
                printed_end, key = _resolved(_prefix_readings(tokens, first, end), resolve)
                found.append((_tidy(" ".join(tokens[index:printed_end])), key))
                index = end
                continue
        index += 1
    return tuple((printed, key) for printed, key in found if key)


def _tidy(printed: str) -> str:
    return re.sub(r"\s+([,])", r"\1", re.sub(r"\s+", " ", printed)).strip(" ,.:")


_NAME_GAP_LINES = 2  # a name set over two lines on a cover may have an empty line between its parts
_NAME_PART_TOKENS = 6  # a line holding only the rest of a name is short


def _neighbour(lines: Sequence[TextLine], index: int, step: int) -> int | None:
    """The nearest non-empty line before (-1) or after (+1) on the same page, within a small gap."""
    for other in range(index + step, index + step * (_NAME_GAP_LINES + 1), step):
        if not 0 <= other < len(lines) or lines[other].page != lines[index].page:
            return None
        if lines[other].text.strip():
            return other
    return None


def _open_end(tokens: list[str]) -> bool:
    """A line ending where a name cannot end: after its marker, a direction, a connector or `i`."""
    if not tokens:
        return False
    last = tokens[-1]
    kind = _marker_kind(last)
    marker_first = kind == "prefix_marker" or (kind == "suffix_marker" and not fold(last).endswith("s"))
    return marker_first or _is_direction(last) or _dangling(last) or last == "i"


def _name_part_line(text: str) -> bool:
    """A short line of name words only (`Södertörn`, `Västerbergslagens`, `Upplands Väsby och Sigtuna`)."""
    tokens = _TOKEN.findall(text)
    return 0 < len(tokens) <= _NAME_PART_TOKENS and _name_token(tokens[0]) and not _ORG_NUMBER.search(text)


@lru_cache(maxsize=200_000)
def _name_edges(text: str) -> tuple[bool, bool]:
    """Whether a line's end is open (`_open_end`) and whether it opens with a suffix marker: where a name may
    run on from the line below or above. Cached as `mentions_in_line` is: every line of every report asks."""
    tokens = _TOKEN.findall(text)
    return _open_end(tokens), bool(tokens) and _marker_kind(tokens[0]) == "suffix_marker"


def _across_lines(lines: Sequence[TextLine], index: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The names of a line, with a name a cover sets over two lines taken whole (`Samordningsförbundet
    Östra` / `Östergötland`; `Samordningsförbund` / `Västerbergslagen`; `Västerbergslagens` / `Samordningsförbund`)."""
    text = lines[index].text.strip()
    found = mentions_in_line(text)
    open_end, opens_with_suffix_marker = _name_edges(text)
    joined, other = "", ""
    after = _neighbour(lines, index, 1) if open_end else None
    if after is not None and _name_part_line(lines[after].text):
        other = lines[after].text.strip()
        joined = f"{text} {other}"
    before = _neighbour(lines, index, -1) if opens_with_suffix_marker else None
    if not joined and before is not None and _name_part_line(lines[before].text) and not found[:1]:
        other = lines[before].text.strip()
        joined = f"{other} {text}"
    if not joined:
        return found
    own = {m[1] for m in (*found, *mentions_in_line(other))}
    longer = [w for w in mentions_in_line(joined) if w[1] not in own]
    if not longer:
        return found
    kept = [f for f in found if not any(w[1][: len(f[1])] == f[1] for w in longer)]
    return (*kept, *longer)


def name_mentions(lines: Sequence[TextLine]) -> list[NameMention]:
    mentions: list[NameMention] = []
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        for printed, key in _across_lines(lines, index):
            mentions.append(NameMention(printed, key, index))
    return mentions


@cache
def _registry_keys() -> tuple[tuple[tuple[str, ...], Forbund], ...]:
    keys: list[tuple[tuple[str, ...], Forbund]] = []
    for forbund in forbund_registry():
        for name in forbund.names:
            mentioned = _line_mentions(name, resolve=False)
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
    # `Styrelsen för X`, or the name over the signatures at the end: the board signing, no running header
    late = index >= len(lines) * _SIGNATURE_SHARE
    signing = "styrelsen for" in fold(text) or (late and any(word in near for word in _SIGNATURE_WORDS))
    if (
        other_words <= _TITLE_OTHER_WORDS
        and not _in_prose(lines, index, mention)
        and not (signing and index not in title)
    ):
        return (_WEIGHT_TITLE, _TITLE) if index in title else (_WEIGHT_RUNNING_HEADER, _RUNNING_HEADER)
    if _ORG_NUMBER.search(near) and any(word in near.split() for word in _ORG_WORDS):
        return _WEIGHT_ORG_LINE, _ORG_LINE
    if signing:
        return _WEIGHT_SIGNATURE, "signatures"
    return _WEIGHT_BODY, _PROSE


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
        if ("-" not in line.text and "–" not in line.text) or not _ORG_NUMBER.search(line.text):
            continue  # the dash first, then the pattern: folding every line to look for the words cost more
        if any(word in fold(line.text).split() for word in _ORG_WORDS):
            numbers.update(f"{a}-{b}" for a, b in _ORG_NUMBER.findall(line.text))
    return numbers


def _is_strong(places: dict[str, int], org_number: bool) -> bool:
    """Whether the report names itself where only its own name stands: see ForbundIdentity.strong."""
    return (
        org_number
        or places.get(_TITLE, 0) > 0
        or places.get(_ORG_LINE, 0) > 0
        or places.get(_RUNNING_HEADER, 0) >= _STRONG_HEADERS
    )


_ACRONYM_AFTER = re.compile(r"^\s*\(\s*(?P<acronym>[^\W\d_][^\W\d_-]{1,9})\s*\)")  # `X (HBS)`
_ACRONYM_BEFORE = re.compile(r"(?:^|\s)(?P<acronym>[^\W\d_][^\W\d_-]{1,9})\s*[–—-]\s*$")  # `VärNa – X`


def _declared_aliases(lines: Sequence[TextLine], mentions: Sequence[NameMention]) -> dict[tuple, tuple]:
    """Names the report declares one förbund: an acronym printed beside a full name (`Samordningsförbundet
    Huddinge, Botkyrka och Salem (HBS)`, `VärNa – Samordningsförbundet Värmdö och Nacka`), or an acronym made of
    the initials of a full name the report prints (`SUVS`, `Sollentuna, Upplands Väsby och Sigtuna`). Each maps to
    the one of the two the registry knows (else the full name), so `Samordningsförbundet HBS` in the running
    headers counts for the registered name, and a registered acronym for the full name beside it."""
    aliases: dict[tuple, tuple] = {}
    acronyms = {m.key for m in mentions if len(m.key) == 1 and _is_acronym(m.printed.split()[-1])}
    pairs = [
        (mention.key, acronym)  # `Samordningsförbundet SUVS` in the headers, the full name on the title page
        for mention in mentions
        for acronym in acronyms
        if len(mention.key) >= 2 and acronym[0] == "".join(word[0] for word in mention.key)
    ]
    for mention in mentions:
        text = lines[mention.line_index].text
        start = text.find(mention.printed)
        if start < 0 or len(mention.key) < 2:
            continue
        found = _ACRONYM_AFTER.match(text[start + len(mention.printed) :]) or _ACRONYM_BEFORE.search(text[:start])
        if found is not None and _is_acronym(found["acronym"]):
            pairs.append((mention.key, name_key([found["acronym"]], False)))
    for full, acronym in pairs:
        registered = [key for key in (full, acronym) if registry_match(key) is not None]
        canonical = registered[0] if len(registered) == 1 else full
        if canonical == acronym and not _names_the_members(full, registry_match(acronym)):
            continue  # `Samordningsförbundet Värnamo och Nässjö (VärNa)` is not the registered VärNa
        for key in (full, acronym):
            if key != canonical and registry_match(key) is None:
                aliases[key] = canonical
    return aliases


@cache
def _kommun_codes_by_name() -> dict[str, str]:
    return {fold(name): code for name, code in kommun_name_forms()}


def _names_the_members(full: tuple[str, ...], forbund: Forbund | None) -> bool:
    """Whether a full name the registry does not know names exactly the member kommuner the registry lists for
    the registered förbund its acronym is (`Värmdö och Nacka` for VärNa): only then are the two one förbund."""
    members = {code for code, _, _ in forbund_member_kommuner().get(forbund.forbund_id, ())} if forbund else set()
    named = {_kommun_codes_by_name().get(word) for word in full}
    return bool(members) and named == members


def identify_forbund(lines: Sequence[TextLine], year: int | None) -> ForbundIdentity:
    """The report's own förbund: the best-placed whole name, a known organisation number deciding.

    A registered förbund that did not exist in the report's year counts little where the prose mentions
    it (a predecessor, a successor), but where the report prints it as its own name (title, running
    header, signatures, organisation-number block) it stays the report's förbund, with a warning.
    """
    title = _title_indexes(lines)
    scores: dict[tuple, float] = {}
    first_seen: dict[tuple, int] = {}
    printed_as: dict[tuple, tuple[int, str]] = {}
    evidence: dict[tuple, str] = {}
    places: dict[tuple, dict[str, int]] = {}
    mentions = [_completed(lines, found) for found in name_mentions(lines)]
    one_name = _declared_aliases(lines, mentions)
    for mention in mentions:
        mention = NameMention(mention.printed, one_name.get(mention.key, mention.key), mention.line_index)
        forbund = registry_match(mention.key)
        identity = ("registry", forbund.forbund_id) if forbund else ("name", mention.key)
        weight, where = _weight(lines, mention, title)
        outside_years = forbund is not None and not _valid_in(forbund, year)
        factor = _INVALID_YEAR_FACTOR if outside_years and where == _PROSE else 1.0
        scores[identity] = scores.get(identity, 0.0) + weight * factor
        first_seen.setdefault(identity, mention.line_index)
        counted = places.setdefault(identity, {})
        counted[where] = counted.get(where, 0) + 1
        if identity not in printed_as or weight > printed_as[identity][0]:
            printed_as[identity] = (weight, mention.printed)
            evidence[identity] = f"'{mention.printed}' on line {lines[mention.line_index].line_no} ({where})"
    by_org = {f.org_number: f for f in forbund_registry() if f.org_number}
    by_number: set[tuple] = set()
    for number in _printed_org_numbers(lines):
        if number in by_org:
            identity = ("registry", by_org[number].forbund_id)
            scores[identity] = scores.get(identity, 0.0) + _WEIGHT_ORG_NUMBER
            first_seen.setdefault(identity, 0)
            evidence[identity] = f"organisation number {number}"
            by_number.add(identity)
    if not scores:
        return ForbundIdentity(None, None, False, "no förbund name in the text")
    best = max(scores, key=lambda identity: (scores[identity], -first_seen[identity]))
    strong = _is_strong(places.get(best, {}), best in by_number)
    warnings: list[tuple[str, str]] = []
    if not strong:
        seen = ", ".join(f"{where} ×{count}" for where, count in sorted(places.get(best, {}).items()))
        warnings.append(
            (
                "forbund_uncertain",
                f"the förbund rests on weak evidence ({seen}; best {evidence[best]}): no title, organisation "
                "number or repeated running header names it, so this report never replaces another",
            )
        )
    if best[0] == "registry":
        forbund = next(f for f in forbund_registry() if f.forbund_id == best[1])
        if not _valid_in(forbund, year):
            successor = f"; its registered successor is '{forbund.successor_id}'" if forbund.successor_id else ""
            span = f"{forbund.valid_from or '…'} to {forbund.valid_to or '…'}"
            warnings.append(
                (
                    "forbund_outside_validity",
                    f"the report names itself '{forbund.forbund_name}' ({evidence[best]}) for {year}, outside "
                    f"the registry's validity {span}{successor}",
                )
            )
        return ForbundIdentity(forbund.forbund_id, forbund.forbund_name, True, evidence[best], strong, tuple(warnings))
    return ForbundIdentity(
        slugify(" ".join(best[1])), printed_as[best][1], False, evidence[best], strong, tuple(warnings)
    )
