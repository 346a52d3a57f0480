"""Participants per intervention, read by structure and proven by arithmetic.

Reports print the same three counts in many shapes: a table whose header names its count columns in any
order and words (`Insats | K | M | Tot`, `| Kvinnor | Män | Summa`, `Antal deltagare (K/M)` over
`21 (K 8, M 13)` or `104 (47/57)`), list lines (`Antal deltagare: 139` / `varav kvinnor: 65` /
`varav män: 74`, `Deltagare totalt: 28 (17 kvinnor, 11 män)`), and sentences (`I insatsen har 19 kvinnor
och 16 män deltagit, totalt 35 personer`, `… 252 deltagare … 61 % kvinnor (153 pers) och 39 % män (99 pers)`).

Only ordinary words are evidence (kvinnor, män, deltagare, personer, totalt, summa and their one-letter
abbreviations K / M / Tot). A reading is kept only when the report's own arithmetic proves it: women + men
make the total, and where the columns could be read more than one way, exactly one reading adds up. Anything
else is left out, never guessed. A count outside a table belongs to the heading of its section.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

from finsam_pipeline.parse.contributions.payers import payer
from finsam_pipeline.parse.tables import cells_of, is_total_label
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import normalise_unicode

_WOMEN = frozenset({"kvinnor", "kv", "k"})
_MEN = frozenset({"man", "m"})  # `män` folded; ascii-folded reports print `man` too
_TOTAL = frozenset({"deltagare", "totalt", "total", "tot", "summa", "antal"})
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_MAX_HEADER_WORDS = 14
_MAX_GAP = 10  # page furniture a table may run on over (footer, page number, running header)
_HEADING_LOOKBACK = 14

# counts in running text, on text folded to lower case without diacritics (punctuation kept)
_N = r"(\d{1,5})"
_WOMEN_COUNT = (
    re.compile(rf"kvinnor\s*\(\s*{_N}\s*(?:pers|personer|st)\b"),  # `61 % kvinnor (153 pers)`
    re.compile(rf"(?<![\d,.%]){_N}[ \t]+kvinnor\b"),  # `19 kvinnor` (a line break between is a list's)
    re.compile(rf"kvinnor[ \t]*:[ \t]*{_N}(?![ \t]*%)"),  # `varav kvinnor: 65`
)
_MEN_COUNT = (
    re.compile(rf"\bman\s*\(\s*{_N}\s*(?:pers|personer|st)\b"),
    re.compile(rf"(?<![\d,.%]){_N}[ \t]+man\b"),
    re.compile(rf"\bman[ \t]*:[ \t]*{_N}(?![ \t]*%)"),
)
_TOTAL_COUNT = (
    re.compile(rf"(?<![\d,.]){_N}\s+(?:deltagare|personer|individer)\b"),  # `35 personer`
    re.compile(rf"\btotalt[ \t]*:?[ \t]*{_N}\b(?![ \t]*%)"),  # `totalt 35`
    re.compile(rf"\bdeltagare\b[^:\d\n]{{0,20}}(?:(?:19|20)\d\d)?[ \t]*:[ \t]*{_N}\b"),  # `Antal deltagare 2018: 148`
)


@lru_cache(maxsize=100_000)
def _plain(text: str) -> str:
    """Lower case without diacritics, punctuation kept (`Män: 50` -> `man: 50`)."""
    text = unicodedata.normalize("NFKD", normalise_unicode(text).lower())
    return "".join(c for c in text if not unicodedata.combining(c))


_WORD_OR_NUMBER = re.compile(r"[a-z]+|\d+")


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    """The words and numbers of a text, plain (`_plain`). Cached: every line of a report is asked whether it
    is a count table's header, a row or page furniture."""
    return tuple(_WORD_OR_NUMBER.findall(_plain(text)))


# --- tables ---------------------------------------------------------------------------


def _header_roles(text: str) -> list[str] | None:
    """The count roles a header line names, in order (`T`, `W`, `M`); None when the line is no count header.

    A run of total words is one column (`Totalt antal deltagare`); words of no role (the name column,
    `Nya under året`, a year) take none: the arithmetic places the roles over the body's numbers."""
    words = _words(text)
    if _WOMEN.isdisjoint(words) or _MEN.isdisjoint(words):
        return None  # no cell can name both (the cells' words are the line's): asked of every line, so first
    if len(words) > _MAX_HEADER_WORDS or any(w.isdigit() and not _YEAR.match(w) for w in words):
        return None
    roles = _roles_of(_role_words(text))
    return roles if roles.count("W") == 1 and roles.count("M") == 1 and "T" in roles else None


def _roles_of(words: Sequence[str]) -> list[str]:
    """The count roles words name, in order (`T`, `W`, `M`), a run of total words one role."""
    roles: list[str] = []
    for word in words:
        role = "W" if word in _WOMEN else "M" if word in _MEN else "T" if word in _TOTAL else None
        if role is not None and not (role == "T" and roles and roles[-1] == "T"):
            roles.append(role)
    return roles


def _role_words(text: str) -> list[str]:
    """The header's words, cell by cell, without an `Antal` that counts the women or men of its own cell
    (`Antal kvinnor`): alone in its cell (`Antal`) it heads the total."""
    words: list[str] = []
    for cell in cells_of(text) or re.split(r"\s{2,}", text):
        in_cell = _words(cell)
        words += [
            word
            for position, word in enumerate(in_cell)
            if not (word == "antal" and position + 1 < len(in_cell) and in_cell[position + 1] in _WOMEN | _MEN)
        ]
    return words


def _cell_numbers(text: str) -> list[int] | None:
    """The counts in a row's number part, in printed order: `135 (K 60, M 75)`, `135  (K 60, M 75)` and
    `104 (47/57)` are three each. None where anything but counts, brackets and one K / M tagged pair stands."""
    plain = _plain(text).strip()
    if not re.fullmatch(r"[\d\s()/,;km]+", plain) or not re.search(r"\d", plain):
        return None
    tokens = re.findall(r"(?:\b([km])\s*)?(\d+)", plain)
    if re.sub(r"(?:\b[km]\s*)?\d+|[\s()/,;]", "", plain):
        return None  # a tag with no count after it
    tags = [tag for tag, _ in tokens if tag]
    if not tags:
        return [int(n) for _, n in tokens]
    if sorted(tags) != ["k", "m"]:
        return None
    tagged = [i for i, (tag, _) in enumerate(tokens) if tag]
    if tagged[1] != tagged[0] + 1:
        return None
    return [int(n) for _, n in tokens]


def _tag_order(text: str) -> str:
    """`WM` or `MW`: the order a row's K / M tags print its counts in (`(M 75, K 60)`), '' without tags."""
    return "".join("W" if tag == "k" else "M" for tag in re.findall(r"\b([km])\s*\d", _plain(text)))


def _row(
    text: str, header_cells: Sequence[str] = (), count_cells: Sequence[int] = ()
) -> tuple[str, list[int] | None] | None:
    """(name, counts) of a table body line: delimited cells, or a name followed by counts in plain text.
    Counts are None in a delimited row whose number cells cannot be read as counts (two rows run together).
    Under a delimited header of as many cells, only the cells its count columns head are read (`Kostnad tkr`
    beside them is no count); where a count falls a cell off its column, under a header cell of no column,
    and the row fills as many cells as the header names counts, they are read in order."""
    cells = cells_of(text)
    if cells is not None and count_cells and len(cells) == len(header_cells) and cells[0]:
        counted = [cells[i] for i in count_cells if cells[i].strip()]
        filled = [i for i in range(1, len(cells)) if cells[i].strip()]
        off = [i for i in filled if i not in count_cells]
        if len(counted) < len(count_cells) == len(filled) and not any(header_cells[i].strip() for i in off):
            # the columns came apart a cell off from the header's (`56 | | 34 | 22` under `Deltagare | Kvinnor |
            # | Män`): a count under no header of its own is read in order; one under another column is not
            counted = [cells[i] for i in filled]
        if counted and all(re.search(r"\d", cell) for cell in counted):
            return cells[0], _cell_numbers(" ".join(counted))
    if cells is not None:
        while len(cells) > 2 and not re.search(r"\d", cells[-1]):
            cells.pop()  # an empty cell or a column of words after the counts (`Typ`: `Individinriktad`)
        if len(cells) < 2 or not cells[0] or not re.search(r"[^\W\d_]", cells[0]):
            return None
        if not all(re.search(r"\d", cell) for cell in cells[1:]):
            return None
        return cells[0], _cell_numbers(" ".join(cells[1:]))
    match = re.fullmatch(r"\s*(?P<name>.*?[^\W\d_][^\d]*?)\s+(?P<tail>\d[\d\s()/,;KkMm]*?)\s*", text)
    if not match:
        return None
    found = _cell_numbers(match["tail"])
    return (match["name"].strip(), found) if found else None


def _reading(roles: Sequence[str], numbers: Sequence[int]) -> tuple[int, int, int] | None:
    """(total, women, men): the roles laid over the numbers in their order; when there are more numbers than
    roles, the one placement that adds up. None where none or several different ones add up."""
    if len(numbers) < len(roles):
        return None
    found: set[tuple[int, int, int]] = set()
    for positions in combinations(range(len(numbers)), len(roles)):
        placed = dict.fromkeys("TWM", None)
        totals = []
        for role, position in zip(roles, positions, strict=True):
            if role == "T":
                totals.append(numbers[position])
            else:
                placed[role] = numbers[position]
        women, men = placed["W"], placed["M"]
        found |= {(t, women, men) for t in totals if women + men == t}
    return found.pop() if len(found) == 1 else None


def _furniture(text: str) -> bool:
    """A line a page break puts inside a table: blank, a page number, a footer or running header."""
    words = _words(text)
    return not words or "sida" in words or "arsredovisning" in words or all(w.isdigit() for w in words)


def participant_tables(lines: Sequence[TextLine]) -> tuple[list[dict], list[str]]:
    """Rows of every count table: (items whose counts add up, messages for rows left out)."""
    items: list[dict] = []
    left_out: list[str] = []
    for index, line in enumerate(lines):
        header_text, body_from = _header_over_two_lines(lines, index)
        roles = _header_roles(header_text)
        if roles is None or _row(line.text) is not None:
            continue
        if not _about_participants(lines, index):
            continue  # `Personal | Kvinnor | Män | Totalt`: staff, not participants
        header_cells = cells_of(header_text) or []
        if any(_ran_together(cell) for cell in header_cells):
            continue  # `Kvinnor Män` in one cell: which count stands under which header is unknown
        count_cells = _count_cells(header_cells)
        gap = 0
        body = lines[body_from:]
        head = ""  # a name part ending in a hyphen, which the next row's name goes on from
        for position, following in enumerate(body):
            row = None if _furniture(following.text) else _row(following.text, header_cells, count_cells)
            if row is None:
                if _furniture(following.text) or _header_roles(following.text) == roles:
                    gap += 1
                    if gap > _MAX_GAP:
                        break
                    continue
                part = _name_part(following.text)
                if part is None or not _a_row_follows(body, position, header_cells, count_cells):
                    break
                head = part  # `Vårgårda-` over `Herrljunga  19  25  44`
                continue
            gap = 0
            name, numbers = row
            name, head = f"{head}{name}" if head else name, ""
            if is_total_label(name):
                continue
            tags = _tag_order(following.text)
            if tags and tags != "".join(r for r in roles if r != "T"):
                numbers = None  # the tags say the counts stand in another order than the header: left out
            reading = _reading(roles, numbers) if numbers else None
            if reading is None:
                left_out.append(f"participants of '{name}': no reading of {numbers} adds up: left out")
                continue
            items.append(_item(name, reading, following))
    return items, left_out


def _name_part(text: str) -> str | None:
    """A word ending in a hyphen alone on its line inside a count table: the first part of the next row's name,
    its cell wrapped (`Vårgårda-` over `Herrljunga  19  25  44`); None for anything else. A word without one is
    a heading as much as a name's last part (`Utbildningsnivå` over a table of counts by education): the table
    ends there."""
    stripped = text.strip()
    if len(stripped.split()) != 1 or not stripped.endswith("-") or any(ch.isdigit() for ch in stripped):
        return None
    return stripped if re.search(r"[^\W\d_]", stripped) else None


def _a_row_follows(
    body: Sequence[TextLine], position: int, header_cells: Sequence[str], count_cells: Sequence[int]
) -> bool:
    """Whether a row of the table follows a wrapped name part, past other parts of names."""
    for line in body[position + 1 :]:
        if line.text.strip() and _name_part(line.text) is None:
            return _row(line.text, header_cells, count_cells) is not None
    return False


def _header_over_two_lines(lines: Sequence[TextLine], index: int) -> tuple[str, int]:
    """The header's text, its cells joined with those of a second header line under it (`Insats | Deltagare |
    Kostnad` over ` | totalt (kv/män) | tkr`), and the index its body starts at."""
    cells = cells_of(lines[index].text)
    if cells is None or index + 1 >= len(lines):
        return lines[index].text, index + 1
    below = cells_of(lines[index + 1].text)
    if below is None or len(below) != len(cells) or any(ch.isdigit() for ch in lines[index + 1].text):
        return lines[index].text, index + 1
    return "\t".join(f"{a} {b}".strip() for a, b in zip(cells, below, strict=True)), index + 2


def _count_cells(header_cells: Sequence[str]) -> list[int]:
    """The cells the header's counts stand in: each cell naming a count, and where one names two (`Antal deltagare
    varav kvinnor`, the space between them lost) the empty cell after it, which the second heads."""
    cells: list[int] = []
    for index, cell in enumerate(header_cells):
        if index == 0 or not _names_a_count(cell):
            continue
        cells.append(index)
        following = index + 1
        for _ in _roles_of(_role_words(cell))[1:]:
            if following < len(header_cells) and not header_cells[following].strip():
                cells.append(following)
                following += 1
    return cells


def _names_a_count(cell: str) -> bool:
    """Whether a header cell names a count (`Deltagare totalt (kv/män)`, `Kvinnor`, `Tot`)."""
    return any(w in _WOMEN or w in _MEN or w in _TOTAL for w in _words(cell))


def _about_participants(lines: Sequence[TextLine], index: int) -> bool:
    """The header or the few lines above it speak of participants or interventions (`Deltagare 2019`,
    `Insats | K | M | Tot`)."""
    above = [line.text for line in lines[max(0, index - 4) : index + 1]]
    return bool(re.search(r"\b(?:deltag|insats|projekt)", _plain(" ".join(above))))


def _ran_together(cell: str) -> bool:
    roles = [w for w in _words(cell) if w in _WOMEN or w in _MEN]
    return len(roles) > 1 and not re.search(r"[(/]", cell)


def _item(name: str, reading: tuple[int, int, int], line: TextLine) -> dict:
    total, women, men = reading
    return {
        "name": name,
        "participants_total": total,
        "participants_women": women,
        "participants_men": men,
        "source_page": line.page,
        "source_line": line.line_no,
    }


# --- lists and sentences ----------------------------------------------------------------


def _found(patterns: Sequence[re.Pattern[str]], text: str) -> set[int]:
    """Every count any of the patterns reads in the text."""
    return {int(m[1]) for pattern in patterns for m in pattern.finditer(text)}


def _counts_in(lines: Sequence[str]) -> tuple[int, int, int] | None:
    """(total, women, men) of one passage (its lines kept apart: a list puts one count on each): the one
    women count, men count and stated total that add up; None where none or several readings do."""
    plain = ""
    for line in lines:  # a sentence wrapped onto the next line goes on there; a list item does not
        text = _plain(line).strip()
        plain += (" " if plain and text[:1].isalpha() and text[:1].islower() else "\n") + text
    women = _found(_WOMEN_COUNT, plain)
    men = _found(_MEN_COUNT, plain) if women else set()  # without one of the two no reading adds up:
    totals = _found(_TOTAL_COUNT, plain) if men else set()  # the patterns after it need not run
    readings = {(w + m, w, m) for w in women for m in men if w + m in totals}
    return readings.pop() if len(readings) == 1 else None


_NAME_PREFIX = re.compile(r"^(?:.*\s)?(?:insats(?:en)?|projekt(?:et)?)(?:\s*[:–-]\s*|\s+)(?=\S)", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"\s*\([^()]*\b(?:insats|projekt)\w*\)\s*$", re.IGNORECASE)


def _heading_name(text: str) -> str | None:
    """The name a heading line gives, or None when the line is no heading: short, no sentence end, no
    digits (a year, a page number, a count), not a list item or a table row."""
    stripped = text.strip().strip("#*_ ").strip()
    if not stripped or len(stripped) > 70 or len(stripped.split()) > 8 or "|" in stripped or "\t" in stripped:
        return None
    if stripped[-1] in ".,:;!?" or any(ch.isdigit() for ch in stripped) or not stripped[0].isupper():
        return None
    name = _NAME_PREFIX.sub("", _NAME_SUFFIX.sub("", stripped)).strip()  # `Resultat av insats Rebus` -> `Rebus`
    return name or None


def _is_heading(lines: Sequence[TextLine], index: int) -> str | None:
    """The name line `index` gives as a heading: a heading line that starts a block (a blank, a sentence end,
    another heading or page furniture before it)."""
    name = _heading_name(lines[index].text)
    if name is None:
        return None
    before = lines[index - 1].text.strip() if index > 0 else ""
    if not before or before[-1] in ".!?:" or _heading_name(before) is not None or _furniture(before):
        return name
    return None


def _heading_above(lines: Sequence[TextLine], start: int, end: int) -> str | None:
    """The heading of the section lines `start`..`end` stand in: the nearest heading above, not past another
    passage with counts, and one that heads only this passage's counts (`Insatser` over several
    interventions' sentences names none of them)."""
    for back in range(start - 1, max(-1, start - _HEADING_LOOKBACK), -1):
        name = _is_heading(lines, back)
        if name is not None:
            return name if _only_counts_under(lines, back, start, end) else None
        if "kvinnor" in _plain(lines[back].text):
            return None  # the counts of an earlier section
    return None


def _only_counts_under(lines: Sequence[TextLine], heading: int, start: int, end: int) -> bool:
    """No other line with counts stands under the heading before the next heading."""
    for index in range(heading + 1, min(len(lines), heading + 4 * _HEADING_LOOKBACK)):
        if start <= index < end:
            continue
        if index > end and _is_heading(lines, index) is not None:
            return True
        if "kvinnor" in _plain(lines[index].text):
            return False
    return True


_COUNT_WORDS = _TOTAL | _WOMEN | _MEN | {"antal", "personer", "individer", "varav"}
_LIST_MARK = re.compile(r"^\s*(?:[•·*▪◦‣–-]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_NAME_BEFORE_COUNTS = re.compile(r"^([^\d:;–—]{2,60}?)\s*(?::|\s[–—-]\s)\s*\S")  # `Bryggan: 94 deltagare, …`
_VERB = r"(?:har|hade|deltog|tog|tar|omfattade|tjänade|nådde|nådde ut till|samlade)"
_NAMED_BY_INSATS = re.compile(
    rf"\b(?:[Ii]nsatsen|[Pp]rojektet|[Vv]erksamheten)\s+([^\d,;:]{{2,60}}?)\s+{_VERB}\b"
)  # `I insatsen Lots för unga deltog under året 85 personer`, `Insatsen Uppstart hade under året 74 deltagare`
_SUBJECT_BEFORE_VERB = re.compile(
    rf"^(?:(?:I|Inom)\s+)?([A-ZÅÄÖ][^\d,;:]{{1,50}}?)\s+{_VERB}\b"
)  # `Motivationslotsen har haft 55 deltagare`, `I Balans deltog 8 kvinnor …`, `Lots för unga tog under året emot …`
_NAMED_LINE = re.compile(r"^[^\W\d_][^\d:]{1,59}:\s*\d")
_OTHER_YEAR = re.compile(r"\b(?:foregaende ar|forra aret|i fjol|nasta ar)\b")
_NOT_A_NAME = frozenset(
    {"aret", "forbundet", "forbundets", "samordningsforbundet", "insatsen", "insatserna", "insatser", "projektet",
     "verksamheten", "totalt",
     "sammanlagt", "samtliga", "alla", "deltagarna", "under", "sedan", "dessa", "det", "den", "vi", "man"}
)


def _clauses(lines: Sequence[TextLine], start: int, end: int) -> list[tuple[str, range, bool]]:
    """The list items and sentences of a paragraph (lines `start`..`end`), each with the lines it stands on and
    whether it opens a list item: a line goes on the one above only where it starts in lower case (a wrapped
    sentence); a list mark or a capital starts another piece, and a sentence end followed by a capital another
    sentence."""
    pieces: list[tuple[str, int, int, bool]] = []
    named_lines = {i for i in range(start, end) if _NAMED_LINE.match(lines[i].text.strip())}
    for index in range(start, end):
        text = lines[index].text.strip()
        # a list whose marks were lost (a PDF drops the bullet glyph): two or more lines in a row, each `Name: 131 …`
        unmarked_item = index in named_lines and bool({index - 1, index + 1} & named_lines)
        if pieces and text[:1].islower():
            piece, first, _, listed = pieces[-1]
            pieces[-1] = (f"{piece} {text}", first, index, listed)
        else:
            pieces.append((_LIST_MARK.sub("", text), index, index, _LIST_MARK.match(text) is not None or unmarked_item))
    return [
        (sentence, range(first, last + 1), listed and position == 0)
        for piece, first, last, listed in pieces
        for position, sentence in enumerate(_SENTENCE_END.split(piece))
    ]


def _inline_name(clause: str, listed: bool) -> str | None:
    """The intervention a clause names itself (a list item `• Bryggan: 94 deltagare …`; a sentence `I insatsen
    Lots för unga deltog …`, `Motivationslotsen har haft 55 deltagare …`), without the `insatsen` word; None
    when it names none, or names an organisation (`Arbetsförmedlingen har anvisat …`), the förbund's
    interventions together or a word of the text rather than an intervention."""
    patterns = (_NAME_BEFORE_COUNTS, _NAMED_BY_INSATS, _SUBJECT_BEFORE_VERB) if listed else (
        _NAMED_BY_INSATS,
        _SUBJECT_BEFORE_VERB,
    )
    for pattern in patterns:
        found = pattern.search(clause)
        if found is None:
            continue
        name = _NAME_PREFIX.sub("", found[1].strip()).strip(" .")
        words = name.split()
        plain = set(_words(name))
        if (
            1 <= len(words) <= 6
            and name[:1].isupper()
            and not plain & (_COUNT_WORDS | _NOT_A_NAME)
            and payer(name).kind == "other"
        ):
            return name
    return None


def _paragraphs(lines: Sequence[TextLine]) -> list[tuple[int, int]]:
    """Runs of non-empty lines of text outside tables."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate([*lines, TextLine(0, None, "")]):
        inside = bool(line.text.strip()) and cells_of(line.text) is None
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _named_clauses(lines: Sequence[TextLine]) -> tuple[list[dict], set[int]]:
    """Counts of sentences and list items that name their intervention themselves, each clause proven on its
    own (women + men = total); the lines of paragraphs read so."""
    items: list[dict] = []
    used: set[int] = set()
    for start, end in _paragraphs(lines):
        if not any("kvinnor" in _plain(lines[i].text) for i in range(start, end)):
            continue
        for clause, span, listed in _clauses(lines, start, end):
            if _OTHER_YEAR.search(_plain(clause)):
                continue  # `Föregående år hade Bryggan 40 deltagare …`: not the report's year
            counts = _counts_in([clause]) if "kvinnor" in _plain(clause) else None
            name = _inline_name(clause, listed) if counts else None
            if counts and name:
                items.append(_item(name, counts, lines[span.start]))
                used |= set(span)
    return items, used


def participant_passages(lines: Sequence[TextLine]) -> list[dict]:
    """Counts in sentences and list lines outside tables, named by the clause itself, else by their section's
    heading."""
    items, used = _named_clauses(lines)
    for index, line in enumerate(lines):
        if index in used or cells_of(line.text) is not None or "kvinnor" not in _plain(line.text):
            continue
        for start, end in (
            (index, index + 1),
            (index - 1, index + 1),
            (index, index + 2),
            (index - 2, index + 1),
            (index - 1, index + 2),
        ):
            if start < 0 or end > len(lines) or any(i in used for i in range(start, end) if i != index):
                continue
            if any(cells_of(lines[i].text) is not None for i in range(start, end)):
                continue
            counts = _counts_in([lines[i].text for i in range(start, end)])
            if counts is None:
                continue
            name = _heading_above(lines, start, end)
            if name is not None:
                items.append(_item(name, counts, line))
                used |= set(range(start, end))
            break
    return items
