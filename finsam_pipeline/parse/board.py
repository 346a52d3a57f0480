"""Board members (`board_members`): names, roles and who appointed them.

Reports list the board as a table (tabs or pipes: member, deputy, appointed by),
as `Organisation: Name` lines under `Ordinarie ledamöter` / `Ersättare`, as a list of
names followed by a list of the organisations in the same order, or only in prose
(`X har varit ordförande`). Only names and roles are kept: no other personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.contributions.payers import names_a_member
from finsam_pipeline.parse.similarity import reaches
from finsam_pipeline.parse.tables import cells_of
from finsam_pipeline.parse.vocabulary import board_words
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_NAME_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüæøA-ZÅÄÖ'-]+"
_NAME = re.compile(rf"^{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}$")
_ANNOTATION = re.compile(r"\s*\((?:from|fr\.?o\.?m\.?|från|t\.?o\.?m\.?|till)[^)]*\)", re.IGNORECASE)
_ORG_LINE = re.compile(r"^(?P<org>[^:]{3,60}):\s*(?P<name>.+)$")
_PERSON_WORD = rf"(?!Vice\b){_NAME_WORD}"  # `Maria Andersson` / `Vice ordförande`: the role is no name
_PROSE_CHAIR = re.compile(
    rf"(?P<name>{_PERSON_WORD}(?: {_PERSON_WORD}){{1,2}})(?: har varit| är| var|,)? "
    r"(?P<role>[Vv]ice ord\w{1,2}rande|ord\w{1,2}rande)\b"  # OCR writes ordférande
)
_LIST_INTRO = re.compile(r"(ordinarie ledam|ledamöter|ersättare)[^:]*(:|är:?)\s*$", re.IGNORECASE)


def _words(kind: str) -> tuple[str, ...]:
    return board_words()[kind]


def split_role(text: str) -> tuple[str, str | None]:
    """`Jan Bohman, ordförande` -> (`Jan Bohman`, `ordforande`)."""
    folded = fold(text)
    for role, kind in (("vice_ordforande", "vice_chair"), ("ordforande", "chair")):
        for word in _words(kind):
            if folded.endswith(" " + word):
                cut = len(text) - len(word)
                return text[:cut].rstrip(" ,;-–"), role
    return text.strip(" ,;"), None


def _names_in_cell(cell: str) -> list[str]:
    """One or, where a replacement is annotated `(from 230301)`, two names."""
    text = _ANNOTATION.sub("", cell).strip()
    if not text or fold(text) in _words("vacant"):
        return []
    words = text.split()
    if cell != text and len(words) >= 4 and len(words) % 2 == 0:
        half = len(words) // 2
        return [" ".join(words[:half]), " ".join(words[half:])]
    return [text]


def _is_org(text: str) -> bool:
    return names_a_member(text)


def _member(name: str, role: str, appointed_by: str | None, line: TextLine) -> dict | None:
    name, stated_role = split_role(name)
    if not _NAME.match(name) or _is_org(name):
        return None
    return {
        "name": name,
        "role": stated_role if stated_role and role == "ledamot" else role,
        "appointed_by": appointed_by,
        "source_page": line.page,
        "source_line": line.line_no,
    }


def _column_kind(cell: str) -> str | None:
    folded = fold(cell)
    for kind, role in (
        ("role_column_deputy", "ersattare"),
        ("appointed_column", "appointed"),
        ("role_column_member", "ledamot"),
    ):
        if folded in _words(kind):
            return role
    return None


def _from_tables(lines: Sequence[TextLine]) -> list[dict]:
    members: list[dict] = []
    index = 0
    while index < len(lines):
        cells = cells_of(lines[index].text)
        kinds = [_column_kind(c) for c in cells] if cells else []
        if "appointed" not in kinds or not ({"ledamot", "ersattare"} & set(kinds)):
            index += 1
            continue
        index += 1
        while index < len(lines):
            row = cells_of(lines[index].text)
            if row is None:
                if lines[index].text.strip():
                    break
                index += 1
                continue
            appointed = row[kinds.index("appointed")] if kinds.index("appointed") < len(row) else None
            for column, kind in enumerate(kinds):
                if kind in ("ledamot", "ersattare") and column < len(row):
                    for name in _names_in_cell(row[column]):
                        member = _member(name, kind, appointed or None, lines[index])
                        if member:
                            members.append(member)
            index += 1
    return members


def _from_org_lines(lines: Sequence[TextLine]) -> list[dict]:
    """`Region Värmland: Marita Ögren` under an `Ordinarie ledamöter` or `Ersättare` heading."""
    members: list[dict] = []
    role: str | None = None
    for line in lines:
        text = line.text.strip()
        folded = fold(text)
        if folded in _words("role_column_member") or folded.startswith("ordinarie ledam"):
            role = "ledamot"
            continue
        if folded in _words("role_column_deputy"):
            role = "ersattare"
            continue
        match = _ORG_LINE.match(text)
        if role and match and _is_org(match["org"]):
            member = _member(match["name"].strip(), role, match["org"].strip(), line)
            if member:
                members.append(member)
        elif text and role and not match:
            role = None if len(text) > 60 else role
    return members


def _from_name_then_org_lists(lines: Sequence[TextLine]) -> list[dict]:
    """A list of names, then a list of as many organisations in the same order."""
    members: list[dict] = []
    for index, line in enumerate(lines):
        if len(line.text) > 80:
            continue  # an introduction is short: the pattern only where it may stand
        intro = _LIST_INTRO.search(line.text.strip())
        if not intro:
            continue
        role = "ersattare" if "ersättare" in intro[1].lower() else "ledamot"
        blocks: list[list[TextLine]] = [[]]
        for following in lines[index + 1 : index + 60]:
            if not following.text.strip():
                if blocks[-1]:
                    blocks.append([])
                if len(blocks) > 2:
                    break
                continue
            blocks[-1].append(following)
        names, orgs = blocks[0], blocks[1] if len(blocks) > 1 else []
        if names and len(names) == len(orgs) and all(_is_org(o.text) for o in orgs):
            for name_line, org_line in zip(names, orgs, strict=True):
                member = _member(name_line.text.strip(), role, org_line.text.strip(), name_line)
                if member:
                    members.append(member)
    return members


def _chair_from_prose(lines: Sequence[TextLine]) -> list[dict]:
    """`Mathias Lindquist har varit ordförande och Björn Eriksson vice ordförande`, also across a line break."""
    found: list[dict] = []
    for index, line in enumerate(lines):
        if "rande" not in line.text:
            continue  # the role ends so (`ordförande`, OCR's `ordférande`) on the line itself, after the name
        words_above = lines[index - 1].text.split() if index > 0 else []
        tail = words_above[-1] if words_above else ""
        for match in _PROSE_CHAIR.finditer(f"{tail} {line.text}"):
            role = "vice_ordforande" if match["role"].lower().startswith("vice") else "ordforande"
            found.append(
                {
                    "name": match["name"],
                    "role": role,
                    "appointed_by": None,
                    "source_page": line.page,
                    "source_line": line.line_no,
                }
            )
    return found


_SAME_PERSON = 0.85


def _same_person(a: str, b: str) -> bool:
    """Equal names, allowing OCR and spelling variants (Lindquist / Lindqvist)."""
    fa, fb = fold(a), fold(b)
    return reaches(fa, fb, _SAME_PERSON)


def board_member_rows(lines: Sequence[TextLine]) -> list[dict]:
    members = _from_tables(lines) or _from_org_lines(lines) or _from_name_then_org_lists(lines)
    roles = {m["role"] for m in members}
    prose = [p for p in _chair_from_prose(lines) if p["role"] not in roles]
    for person in prose:  # first give the role to a listed member the prose names
        same = [m for m in members if _same_person(m["name"], person["name"])]
        if same and person["role"] not in roles:
            same[0]["role"] = person["role"]
            roles.add(person["role"])
    for person in prose:  # else keep the person the prose names
        if person["role"] not in roles:
            members.append(person)
            roles.add(person["role"])
    unique: dict[tuple[str, str], dict] = {}
    for member in members:
        unique.setdefault((fold(member["name"]), member["role"]), member)
    return list(unique.values())
