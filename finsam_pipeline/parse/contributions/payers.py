"""Who a contribution's payer is: Försäkringskassan, a region, or which kommun, by the names
and spellings in the registry, and a förbund's sole member kommun where the report names none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from finsam_pipeline.parse.vocabulary import (
    contribution_words,
    forbund_member_kommuner,
    kommun_name_forms,
    payer_kinds_named,
)
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold, normalise_unicode

_FORBUND_NAME = re.compile(  # `Samordningsförbundet i Lund`, `Finsam Falun - Borlänge`: capitalised names only
    r"\b(?i:samordningsf\w{1,2}rbund(?:et)?|finsam)\s+(?:i\s+)?"
    r"(?P<names>[A-ZÅÄÖ][\w-]*(?:(?:\s*[,/&–-]\s*|\s+och\s+|\s+)[A-ZÅÄÖ][\w-]*)*)"
)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])|\n\s*\n")


def kind_words(kind: str) -> frozenset[str]:
    return frozenset(contribution_words()[kind])


def _light(text: str) -> str:
    """Lower case with Swedish letters kept (Håbo is not Habo), punctuation as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", normalise_unicode(text).lower()).split())


def _has_phrase(folded: str, phrases: Iterable[str]) -> bool:
    padded = f" {folded} "
    return any(f" {phrase} " in padded for phrase in phrases)


@dataclass(frozen=True)
class _KommunIndex:
    pattern: re.Pattern[str]  # every folded name form, longest first, whole words only
    codes: dict[str, frozenset[str]]  # folded form -> codes
    spellings: dict[str, dict[str, str]]  # folded form of several municipalities -> spelling -> code


@cache
def _kommun_index() -> _KommunIndex:
    codes: dict[str, set[str]] = {}
    spellings: dict[str, dict[str, str]] = {}
    for form, code in kommun_name_forms():
        key = fold(form)
        codes.setdefault(key, set()).add(code)
        spellings.setdefault(key, {})[_light(form)] = code
    alternatives = "|".join(re.escape(k) for k in sorted(codes, key=len, reverse=True))
    return _KommunIndex(
        pattern=re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])"),
        codes={k: frozenset(v) for k, v in codes.items()},
        spellings={k: v for k, v in spellings.items() if len(codes[k]) > 1},
    )


@dataclass(frozen=True)
class _Mention:
    key: str  # the folded name as matched
    code: str | None  # None: a name two municipalities share that the spelling does not settle
    strong: bool  # `X kommun`, `Xs stad`, `kommunen X`: the name is said to be a municipality's


def _mentions(folded: str, light: str) -> list[_Mention]:
    """The municipality names in a text, except those naming a region (`Region Uppsala`, `Uppsala läns`)."""
    index = _kommun_index()
    singular, before_region, after_region = (
        kind_words("kommun_singular"),
        kind_words("region_before"),
        kind_words("region_after"),
    )
    found: list[_Mention] = []
    for match in index.pattern.finditer(folded):
        before = folded[: match.start()].split()[-1:]
        after = folded[match.end() :].split()[:1]
        if before_region.intersection(before) or after_region.intersection(after):
            continue
        key = match.group()
        codes = index.codes[key]
        code = next(iter(codes)) if len(codes) == 1 else _by_spelling(index.spellings[key], light)
        strong = bool(singular.intersection(before + after)) or key.endswith(" stad")
        found.append(_Mention(key, code, strong))
    return found


def _by_spelling(spellings: dict[str, str], light: str) -> str | None:
    padded = f" {light} "
    present = {code for spelling, code in spellings.items() if f" {spelling} " in padded}
    return present.pop() if len(present) == 1 else None


@dataclass(frozen=True)
class Payer:
    kind: str  # contributor_type
    kommun_code: str | None
    unnamed_kommun: bool = False  # written only as `Kommunen`: the förbund's own municipality


MEMBER_KINDS = frozenset({"state", "region", "municipality"})  # the kinds of payer a förbund's members are


def names_a_member(text: str) -> bool:
    """Whether a text names a member of a förbund, of any kind (`Region Skåne`, `Trelleborgs kommun`, `Staten`)."""
    return bool(MEMBER_KINDS.intersection(payer_kinds_named(text)))


def contributor_type(contributor: str) -> str:
    """The kind of payer a label names; `other` for a label naming members of two kinds at once (`Kommuner och
    regionen`, `Staten och Region Skåne`): one amount for two kinds of payer is no one kind's payment."""
    found = payer_kinds_named(contributor)
    first = found[0] if found else "other"
    if first in MEMBER_KINDS and len(MEMBER_KINDS.intersection(found)) > 1:
        return "other"
    return first


@lru_cache(maxsize=20_000)
def payer(contributor: str) -> Payer:
    """The payer a note or list line names: its type and, for one named municipality, its code."""
    kind = contributor_type(contributor)
    folded = fold(contributor)
    mentions = _mentions(folded, _light(contributor))
    remainder = " ".join(w for w in folded.split() if w not in kind_words("payer_filler"))
    bare = len(mentions) == 1 and remainder == mentions[0].key  # `Driftbidrag från Hagfors`
    if kind == "other" and bare:
        kind = "municipality"
    if kind == "other" and len({m.key for m in mentions}) > 1 and not _FORBUND_NAME.search(contributor):
        kind = "municipality"  # `Medlemskommunerna (Umeå, Vindeln, Vännäs)`: registry municipalities, a group
    if kind != "municipality":
        return Payer(kind, None)
    plural = bool(kind_words("kommun_plural").intersection(folded.split()))
    codes = {m.code for m in mentions}
    if len(codes) == 1 and None not in codes and not plural and (bare or any(m.strong for m in mentions)):
        return Payer(kind, codes.pop())
    return Payer(kind, None, unnamed_kommun=not mentions and not plural and remainder in kind_words("unnamed_kommun"))


def kommun_code(contributor: str) -> str | None:
    """The official code of the one municipality a contributor names, else None."""
    return payer(contributor).kommun_code


def sole_member_kommun(
    lines: Sequence[TextLine], forbund_id: str | None = None, year: int | None = None, forbund_name: str | None = None
) -> str | None:
    """The code of the förbund's only member municipality, when that is known; else None.

    A förbund in the registry answers from its member list (one municipality, or none
    known). Otherwise the document must say it: the municipalities named in the
    förbund's name or as `X kommun` in a sentence about its members; if those name none,
    the municipalities named as `X kommun` anywhere. Exactly one, or no answer; a sentence
    about members that speaks of `kommunerna` means several.
    """
    if forbund_id is not None and forbund_id in forbund_member_kommuner():
        members = {code for code, start, end in forbund_member_kommuner()[forbund_id] if _valid_in(start, end, year)}
        return members.pop() if len(members) == 1 else None
    text = "\n".join(line.text for line in lines)
    membership, plural = kind_words("membership"), kind_words("kommun_plural")
    named: set[str | None] = set()
    if forbund_name:  # the report's own name only: a neighbour's name says nothing of this förbund's members
        for found in _FORBUND_NAME.finditer(forbund_name):
            named |= {m.code for m in _mentions(fold(found["names"]), _light(found["names"]))}
    for sentence in SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        folded = fold(sentence)
        if _has_phrase(folded, membership):
            if plural.intersection(folded.split()):
                return None
            named |= {m.code for m in _mentions(folded, _light(sentence)) if m.strong}
    if not named:
        named = {m.code for line in lines for m in _mentions(fold(line.text), _light(line.text)) if m.strong}
    return named.pop() if len(named) == 1 and None not in named else None


def _valid_in(start: str, end: str, year: int | None) -> bool:
    if year is None:
        return not end
    return (not start or int(start[:4]) <= year) and (not end or int(end[:4]) >= year)


def name_sole_kommun(rows: list[dict], code: str | None) -> list[dict]:
    """Give `Kommunen` the förbund's own municipality code, where it is a year's only municipality line."""
    if code is None:
        return rows
    for year in {r["fiscal_year"] for r in rows}:
        municipal = [r for r in rows if r["fiscal_year"] == year and r["contributor_type"] == "municipality"]
        if (
            len(municipal) == 1
            and municipal[0]["kommun_code"] is None
            and payer(municipal[0]["contributor"]).unnamed_kommun
        ):
            municipal[0]["kommun_code"] = code
    return rows


_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")


def shared_names_settled(
    rows: list[dict], lines: Sequence[TextLine], forbund_id: str | None, year: int | None
) -> list[dict]:
    """A kommun name two municipalities share once folded (Håbo and Habo) is settled by the förbund's members
    where the registry knows them; else by its spelling only where the report prints Swedish letters at all: a
    report written without them spells Håbo `Habo`, and its money must not go to Habo in Jönköpings län."""
    members: set[str] | None = None
    if forbund_id is not None and forbund_id in forbund_member_kommuner():
        members = {code for code, start, end in forbund_member_kommuner()[forbund_id] if _valid_in(start, end, year)}
    plain: bool | None = None  # whether the report prints no Swedish letter, found only when needed
    for row in rows:
        if row["contributor_type"] != "municipality" or row["kommun_code"] is None:
            continue
        shared = _shared_codes(row["contributor"])
        if len(shared) < 2:
            continue
        among_members = shared & members if members else set()
        if len(among_members) == 1:
            row["kommun_code"] = next(iter(among_members))
            continue
        if plain is None:
            plain = not any(_SWEDISH_LETTERS.search(line.text) for line in lines)
        if plain or members:
            row["kommun_code"] = None  # neither the members nor the spelling say which
    return rows


def _shared_codes(contributor: str) -> set[str]:
    """Every municipality the contributor's one kommun name may be, folded: more than one where names collide."""
    index = _kommun_index()
    keys = {match.group() for match in index.pattern.finditer(fold(contributor))}
    return set(index.codes[keys.pop()]) if len(keys) == 1 else set()
