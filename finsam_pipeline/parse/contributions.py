"""Who paid what: `member_contributions` from the revenue note, else the financing text.

The note the income statement points at for its revenue (or, failing a note number,
the note titled like revenue or member fees) lists one line per payer; when it names no
payer, the list under a `Finansiering` heading does. The words live in data files:
payer types in `contributor_types.csv`, headings and the words around a payer's name in
`contribution_words.csv`, municipality names in `kommuner.csv` and `kommun_aliases.csv`.

A municipality gets its official code only when the text settles it: a whole name
(`Halmstads kommun`, `Uppsala kommun`, `Borås stad`, `Driftbidrag från Hagfors`), never a
name inside a region's (`Region Uppsala`), never one of two names. `Kommunen` alone is the
förbund's own municipality when the förbund has exactly one: from the registry, else from
the document's own words about its members or its name, else left NULL.

Amounts: note lines arrive in kronor from the table reader, which applies the table's unit;
they are not scaled again. Only when the note's sum disagrees with the income statement line
that points at it by exactly a factor of 1000 (a `tkr` the reader did not see) is the note
read in that unit. The financing text is read here, with its unit from the header, a line
above or below, the cells, or the total the text states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from finsam_pipeline.parse.numbers import MAX_DIGITS, NumberParseError, parse_amount, split_amounts
from finsam_pipeline.parse.sections import Section, heading_key, match_heading
from finsam_pipeline.parse.tables import cells_of, declared_unit, is_total_label, read_header, split_label, unit_of
from finsam_pipeline.parse.vocabulary import (
    contribution_words,
    contributor_patterns,
    forbund_member_kommuner,
    kommun_name_forms,
)
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold, normalise_unicode

REVENUE_NOTE_CODES = ("revenue_total", "member_contributions")
_SCALES = (1_000,)  # a table printed in tkr and read as kronor is short by exactly this factor
_MAX_SEK = 10**MAX_DIGITS  # a förbund's amounts stay below this; a scale that passes it is wrong
_UNIT_SUFFIX = re.compile(r"\s*(?:\b(?P<word>tkr|mkr|kr|kronor|sek)\.?|:-)\s*$", re.IGNORECASE)
_STATED_TOTAL = re.compile(r"(?<![\d,])(\d{1,3}(?: \d{3})+|\d+)\s*(tkr|mkr|kronor|kr|miljoner kronor)\b", re.IGNORECASE)
_FORBUND_NAME = re.compile(  # `Samordningsförbundet i Lund`, `Finsam Falun - Borlänge`: capitalised names only
    r"\b(?i:samordningsf\w{1,2}rbund(?:et)?|finsam)\s+(?:i\s+)?"
    r"(?P<names>[A-ZÅÄÖ][\w-]*(?:(?:\s*[,/&–-]\s*|\s+och\s+|\s+)[A-ZÅÄÖ][\w-]*)*)"
)
_HEADING_UNIT = re.compile(r"[\s,(]*(?:belopp i\s+)?(?:tkr|mkr|kr|kronor)\)?\s*$", re.IGNORECASE)
_YEAR_CELL = re.compile(r"^(?:19|20)\d{2}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])|\n\s*\n")
_BULLET = re.compile(r"^[\s•·*–-]+(?=\D)")
_MAX_LINES_BEFORE_ROWS = 15
_MAX_LABEL = 80


def _words(kind: str) -> frozenset[str]:
    return frozenset(contribution_words()[kind])


def _light(text: str) -> str:
    """Lower case with Swedish letters kept (Håbo is not Habo), punctuation as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", normalise_unicode(text).lower()).split())


def _has_phrase(folded: str, phrases: Iterable[str]) -> bool:
    padded = f" {folded} "
    return any(f" {phrase} " in padded for phrase in phrases)


# --- municipality names ---------------------------------------------------------------


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
    singular, before_region, after_region = _words("kommun_singular"), _words("region_before"), _words("region_after")
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


# --- payers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Payer:
    kind: str  # contributor_type
    kommun_code: str | None
    unnamed_kommun: bool = False  # written only as `Kommunen`: the förbund's own municipality


def contributor_type(contributor: str) -> str:
    folded = fold(contributor)
    for kind, pattern in contributor_patterns():
        if re.search(pattern, folded):
            return kind
    return "other"


@lru_cache(maxsize=20_000)
def payer(contributor: str) -> Payer:
    """The payer a note or list line names: its type and, for one named municipality, its code."""
    kind = contributor_type(contributor)
    folded = fold(contributor)
    mentions = _mentions(folded, _light(contributor))
    remainder = " ".join(w for w in folded.split() if w not in _words("payer_filler"))
    bare = len(mentions) == 1 and remainder == mentions[0].key  # `Driftbidrag från Hagfors`
    if kind == "other" and bare:
        kind = "municipality"
    if kind == "other" and len({m.key for m in mentions}) > 1 and not _FORBUND_NAME.search(contributor):
        kind = "municipality"  # `Medlemskommunerna (Umeå, Vindeln, Vännäs)`: registry municipalities, a group
    if kind != "municipality":
        return Payer(kind, None)
    plural = bool(_words("kommun_plural").intersection(folded.split()))
    codes = {m.code for m in mentions}
    if len(codes) == 1 and None not in codes and not plural and (bare or any(m.strong for m in mentions)):
        return Payer(kind, codes.pop())
    return Payer(kind, None, unnamed_kommun=not mentions and not plural and remainder in _words("unnamed_kommun"))


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
    membership, plural = _words("membership"), _words("kommun_plural")
    named: set[str | None] = set()
    if forbund_name:  # the report's own name only: a neighbour's name says nothing of this förbund's members
        for found in _FORBUND_NAME.finditer(forbund_name):
            named |= {m.code for m in _mentions(fold(found["names"]), _light(found["names"]))}
    for sentence in _SENTENCE_END.split(text):
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


# --- rows -----------------------------------------------------------------------------


def _payer_rows(items: Sequence[dict], *, payers_only: bool) -> list[dict]:
    """Contract rows from candidate lines (label, fiscal_year, amount_sek, note_no, source_*)."""
    out: list[dict] = []
    seen: set[tuple[str, int | None]] = set()
    for item in _without_broken_down(items):
        if is_total_label(item["label"]) or item["amount_sek"] is None:
            continue
        key = (fold(item["label"]), item["fiscal_year"])
        if key in seen:
            continue  # the same payer and year printed twice is one payment
        found = payer(item["label"])
        if payers_only and found.kind == "other":
            continue
        seen.add(key)
        out.append(
            {
                "fiscal_year": item["fiscal_year"],
                "contributor": item["label"],
                "contributor_type": found.kind,
                "kommun_code": found.kommun_code,
                "amount_sek": item["amount_sek"],
                "note_no": item["note_no"],
                "source_page": item["source_page"],
                "source_line": item["source_line"],
            }
        )
    return out


def _without_broken_down(items: Sequence[dict]) -> list[dict]:
    """`Medlemsavgifter` followed by `varav Försäkringskassan …` lines: the parts are the payers.

    When the `varav` lines name payers, the line they break down is dropped (and parts
    that name no payer with it); when they name none, they are parts of a payer's line
    and are dropped instead. Either way no krona is counted twice.
    """
    prefixes = _words("breakdown_prefix")
    drop: set[int] = set()
    by_block: dict[tuple, list[int]] = {}
    for position, item in enumerate(items):
        by_block.setdefault((item["note_no"], item["fiscal_year"]), []).append(position)
    for positions in by_block.values():
        ordered = sorted(positions, key=lambda p: items[p]["source_line"] or 0)
        parent: int | None = None
        parts: list[int] = []
        for position in [*ordered, None]:
            is_part = position is not None and (fold(items[position]["label"]).split() or [""])[0] in prefixes
            if is_part:
                parts.append(position)
                continue
            if parent is not None and parts:
                named = [p for p in parts if payer(items[p]["label"]).kind != "other"]
                drop |= {parent, *(set(parts) - set(named))} if named else set(parts)
            parent, parts = position, []
    return [item for position, item in enumerate(items) if position not in drop]


def _scale_evidence(sums: Iterable[int], targets: Iterable[int], rows: int) -> int | None:
    """The factor by which a table's sums meet totals stated elsewhere, if one does; 1 is tried first."""
    sums, targets = [abs(s) for s in sums if s], [abs(t) for t in targets if t]
    for factor in (1, *_SCALES):
        tolerance = (factor // 2) * (rows + 1) if factor > 1 else rows + 1  # rounding to whole tkr
        if any(abs(s * factor - t) <= tolerance and s * factor < _MAX_SEK for s in sums for t in targets):
            return factor
    return None


def revenue_note_numbers(facts: Sequence[dict], sections: Sequence[Section]) -> list[int]:
    referenced = sorted({f["note_no"] for f in facts if f["line_code"] in REVENUE_NOTE_CODES and f["note_no"]})
    if referenced:
        return referenced
    titles = tuple(contribution_words()["revenue_note_title"])
    titled = [s.note_no for s in sections if s.name == "note" and fold(s.title).startswith(titles)]
    return [n for n in titled if n is not None][:1]


def _note_scale(lines: Sequence[dict], facts: Sequence[dict], note_no: int) -> int | None:
    """1, unless the note's sum meets the statement line that points at it only in tkr. None where that line
    exists and no unit makes the note meet it: the note's amounts cannot fit the report, so none is loaded.
    A note a thousandfold above its line is not divided either: an over-scaled note and a statement left in
    unscaled tkr look alike."""
    verdicts: set[int | None] = set()
    for year in {line["fiscal_year"] for line in lines}:
        of_year = [line for line in lines if line["fiscal_year"] == year]
        parts = [line["amount_sek"] for line in of_year if not line["is_total"]]
        sums = [sum(parts), *(line["amount_sek"] for line in of_year if line["is_total"])]
        of_statement = [f for f in facts if f["fiscal_year"] == year and abs(f["amount_sek"]) < _MAX_SEK]
        # the line pointing at the note, whatever its label (a statement over a billion kronor is no evidence):
        # where it exists and no unit meets it, the note cannot fit the report
        pointing = [
            f["amount_sek"]
            for f in of_statement
            if f["note_no"] == note_no
            and (f["line_code"] in REVENUE_NOTE_CODES or (f["statement"] == "income" and f["line_code"] == "other"))
        ]
        if pointing:
            verdicts.add(_scale_evidence(sums, pointing, len(parts)))
            continue
        # no line points at it: the year's revenue lines may show the note's unit, but the note may also hold
        # less than they do (other revenue beside the members' money), so they never reject it
        revenue = [f["amount_sek"] for f in of_statement if f["line_code"] in REVENUE_NOTE_CODES]
        if revenue:
            verdicts.add(_scale_evidence(sums, revenue, len(parts)) or 1)
    if not verdicts or 1 in verdicts:
        return 1
    known = {v for v in verdicts if v is not None}
    return known.pop() if len(known) == 1 else None


def contribution_rows(
    notes: Sequence[dict], note_numbers: Sequence[int], *, facts: Sequence[dict] = (), sole_kommun: str | None = None
) -> list[dict]:
    """One row per line of the revenue note(s), totals left out; amounts as the table reader scaled them, in the
    unit that makes the note meet its statement line. A note no unit reconciles with that line is left out."""
    chosen = [line for line in notes if line["note_no"] in note_numbers]
    scale = {n: _note_scale([line for line in chosen if line["note_no"] == n], facts, n) for n in set(note_numbers)}
    items = [
        {**line, "amount_sek": line["amount_sek"] * factor}
        for line in chosen
        if (factor := scale[line["note_no"]]) is not None
    ]
    return name_sole_kommun(_payer_rows(items, payers_only=False), sole_kommun)


def unproven_ocr_notes(
    rows: list[dict], notes: Sequence[dict], ocr_pages: frozenset[int]
) -> tuple[list[dict], list[str]]:
    """Contributions read by OCR from a note that prints a total they do not add up to (a line unread, a digit
    misread: `220` for `225`) are left out: on a scan only the note's own sum proves its lines, and the law the
    state's half."""
    doubtful: dict[tuple, str] = {}
    for key in {(row.get("note_no"), row["fiscal_year"]) for row in rows if row.get("source_page") in ocr_pages}:
        of_key = [row for row in rows if (row.get("note_no"), row["fiscal_year"]) == key]
        totals = [
            line["amount_sek"] for line in notes if (line["note_no"], line["fiscal_year"]) == key and line["is_total"]
        ]
        found = sum(row["amount_sek"] for row in of_key)
        if totals and not any(found in (total, total * 1000) for total in totals):
            doubtful[key] = (
                f"member contributions {key[1]}: note {key[0]}, read by OCR, prints a total its payers do not add up "
                f"to ({found} against {', '.join(map(str, totals))}): left out"
            )
    kept = [row for row in rows if (row.get("note_no"), row["fiscal_year"]) not in doubtful or _half_of(row, notes)]
    return kept, list(doubtful.values())


def _half_of(row: dict, notes: Sequence[dict]) -> bool:
    """The state's line proven by the law alone: the state pays half of what the members pay (lag 2003:1210)."""
    totals = [
        line["amount_sek"]
        for line in notes
        if (line["note_no"], line["fiscal_year"]) == (row.get("note_no"), row["fiscal_year"]) and line["is_total"]
    ]
    return row["contributor_type"] == "state" and any(row["amount_sek"] * 2 in (t, t * 1000) for t in totals)


# --- the financing text ---------------------------------------------------------------


@dataclass
class _ListRow:
    label: str
    values: list[int | None]  # as printed, one per column
    unit: int | None  # stated in the row's own cells (`2 007 tkr`)
    line: TextLine


def _amount_cell(cell: str) -> tuple[int | None, int | None]:
    """(value as printed, unit written in the cell); NumberParseError when the cell is no amount."""
    match = _UNIT_SUFFIX.search(cell)
    unit = unit_of(match["word"]) if match and match["word"] else None
    body = cell[: match.start()] if match else cell
    if not any(ch.isdigit() for ch in body):
        raise NumberParseError(f"not an amount: {cell!r}")
    return parse_amount(body), unit


def _list_row(line: TextLine, columns: int) -> _ListRow | None:
    """A `payer  amount [amount …]` line in tabs, pipes, aligned columns or single spaces."""
    text = _BULLET.sub("", line.text.strip())
    delimited = cells_of(text)
    parts = delimited if delimited is not None else re.split(r"\s{2,}", text)
    parts = [p.strip() for p in parts]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    while len(parts) > 1 and not parts[0]:
        parts.pop(0)
    label = parts[0] if parts else ""
    cells = parts[1:]
    if delimited is None and (not cells or len(cells) < columns):
        body = " ".join([label, *cells])
        match = _UNIT_SUFFIX.search(body)
        stated = body[match.start() :] if match else ""
        label, tail = split_label(body[: match.start()] if match else body)
        if not tail:
            return None
        try:
            tokens = [tail] if columns == 1 else [str(v) if v is not None else "" for v in split_amounts(tail, columns)]
        except NumberParseError:
            return None
        cells = [*tokens[:-1], tokens[-1] + stated]
    label = label.strip(" .:=\t-–")
    if not label or not any(ch.isalpha() for ch in label) or len(label) > _MAX_LABEL or len(cells) != columns:
        return None
    values: list[int | None] = []
    units: set[int] = set()
    for cell in cells:
        try:
            value, unit = _amount_cell(cell) if cell else (None, None)
        except NumberParseError:
            return None
        values.append(value)
        units |= {unit} if unit else set()
    if all(v is None for v in values) or len(units) > 1:
        return None
    return _ListRow(label, values, units.pop() if units else None, line)


def _financing_blocks(lines: Sequence[TextLine]) -> list[Sequence[TextLine]]:
    headings = _words("financing_heading")
    starts = [i for i, line in enumerate(lines) if _financing_key(line.text) in headings]
    blocks = []
    for start in starts:
        end = start + 1
        while end < len(lines) and end - start < 120:
            if _financing_key(lines[end].text) in headings or (
                lines[end].text.strip() and match_heading(lines[end].text.strip())
            ):
                break
            end += 1
        blocks.append(lines[start:end])
    return blocks


def _financing_key(text: str) -> str:
    """A heading's key without a unit it states (`Finansiering (tkr)`)."""
    return heading_key(_HEADING_UNIT.sub("", text)) if len(text) < 90 else ""


def _year_header(line: TextLine) -> tuple[int, ...] | None:
    """`Finansiär<TAB>2023<TAB>2022`: a label cell over year columns."""
    cells = [c for c in (cells_of(line.text) or re.split(r"\s{2,}", line.text.strip()))[1:] if c]
    return tuple(int(c) for c in cells) if cells and all(_YEAR_CELL.match(c) for c in cells) else None


def _read_block(block: Sequence[TextLine], year: int | None) -> tuple[list[_ListRow], tuple, int | None, list[str]]:
    """The rows of one financing list, its year columns, its stated unit and the prose around it."""
    years: tuple[int | None, ...] = (year,)
    unit: int | None = unit_of(block[0].text) if block else None
    rows: list[_ListRow] = []
    prose: list[str] = []
    before_rows = 0
    body = [line for line in block[1:] if line.text.strip()]
    for index, line in enumerate(body):
        text = line.text.strip()
        header = read_header(line)
        header_years = header.years if header is not None else _year_header(line)
        if header_years and not rows:
            if _words("budget_header").intersection(fold(text).split()):
                return [], years, unit, prose  # a budget, not money paid
            years, unit = header_years, (header.unit if header is not None else None) or unit_of(text) or unit
            continue
        row = _list_row(line, len(years))
        if row is not None:
            rows.append(row)
            continue
        short_unit = declared_unit(text) if len(text) < 60 else None
        if not rows:
            before_rows += 1
            if short_unit is not None:
                unit = short_unit  # `Belopp i tkr`, `Finansiär  Belopp (tkr)`
            else:
                prose.append(text)
            if before_rows > _MAX_LINES_BEFORE_ROWS:
                return [], years, unit, prose
            continue
        if short_unit is not None:
            unit = unit or short_unit  # `Beloppen i tkr` under the list
            continue
        following = body[index + 1] if index + 1 < len(body) else None
        found = _list_row(following, len(years)) if following is not None and len(text) < 60 else None
        if found is not None and payer(found.label).kind != "other":
            continue  # a sub-heading inside the list (`Kommuner`)
        prose.append(text)
        break
    return rows, years, unit, prose


def _stated_totals(prose: Iterable[str]) -> list[int]:
    """Amounts the text around a list states with their unit (`uppgår till 4 496 tkr`), in kronor."""
    totals = []
    for text in prose:
        for match in _STATED_TOTAL.finditer(text):
            factor = unit_of(match[2])
            if factor is not None:
                totals.append(int(match[1].replace(" ", "")) * factor)
    return totals


def financing_text_rows(
    lines: Sequence[TextLine], year: int | None, *, facts: Sequence[dict] = (), sole_kommun: str | None = None
) -> list[dict]:
    """The payer list under a `Finansiering` heading (used when no note lists payers), scaled to kronor."""
    for block in _financing_blocks(lines):
        rows, years, unit, prose = _read_block(block, year)
        named = [r for r in rows if not is_total_label(r.label) and payer(r.label).kind != "other"]
        if not named:
            continue
        if unit is None:
            unit = _list_unit(rows, named, years, prose, facts)
        items = [
            {
                "label": row.label,
                "fiscal_year": column_year,
                "amount_sek": value * (row.unit or unit) if value is not None else None,
                "note_no": None,
                "source_page": row.line.page,
                "source_line": row.line.line_no,
            }
            for row in rows
            for column_year, value in zip(years, row.values, strict=True)
        ]
        return name_sole_kommun(_payer_rows(items, payers_only=True), sole_kommun)
    return []


def _list_unit(
    rows: list[_ListRow], named: list[_ListRow], years: tuple, prose: list[str], facts: Sequence[dict]
) -> int:
    """A list without a stated unit: the unit its cells state, else the one its sums meet a stated total in."""
    cell_units = {r.unit for r in rows if r.unit}
    if len(cell_units) == 1:
        return cell_units.pop()
    stated = _stated_totals(prose)
    for column, column_year in enumerate(years):
        unitless = [r for r in named if r.unit is None and r.values[column] is not None]
        sums = [sum(r.values[column] or 0 for r in unitless)]
        sums += [r.values[column] or 0 for r in rows if is_total_label(r.label) and r.unit is None]
        targets = stated + [
            f["amount_sek"] for f in facts if f["fiscal_year"] == column_year and f["line_code"] in REVENUE_NOTE_CODES
        ]
        found = _scale_evidence(sums, targets, len(unitless))
        if found is not None:
            return found
    return 1


# --- one entry point ------------------------------------------------------------------


def unreconciled_revenue_notes(notes: Sequence[dict], sections: Sequence[Section], facts: Sequence[dict]) -> list[int]:
    """The revenue notes whose sums meet the statement line pointing at them in no unit: their rows are left out
    (`contribution_rows`), and the caller flags them."""
    numbers = revenue_note_numbers(facts, sections)
    return [n for n in numbers if _note_scale([line for line in notes if line["note_no"] == n], facts, n) is None]


def member_contribution_rows(
    lines: Sequence[TextLine],
    sections: Sequence[Section],
    facts: Sequence[dict],
    notes: Sequence[dict],
    fiscal_year: int | None,
    forbund_id: str | None = None,
    forbund_name: str | None = None,
    messages: list[str] | None = None,
) -> list[dict]:
    """`member_contributions` of one document: the revenue note, else the note read by its share column, the
    financing text, a sentence listing the payers; `Kommunen` named. Why a year was left out goes to
    `messages`."""
    messages = [] if messages is None else messages
    rows = contribution_rows(notes, revenue_note_numbers(facts, sections), facts=facts)
    if not any(r["contributor_type"] != "other" for r in rows):  # the note names no payer: the list may
        rows = share_note_rows(lines, sections, facts, messages) or rows
    if not any(r["contributor_type"] != "other" for r in rows):
        rows = financing_text_rows(lines, fiscal_year, facts=facts) or rows
    if not any(r["contributor_type"] != "other" for r in rows):
        rows = prose_rows(lines, fiscal_year, facts, messages) or rows
    if any(r["kommun_code"] is None and payer(r["contributor"]).unnamed_kommun for r in rows):
        rows = name_sole_kommun(rows, sole_member_kommun(lines, forbund_id, fiscal_year, forbund_name))
    return rows


# --- notes and sentences the note reader leaves unread ----------------------------------
#
# Both readers below load nothing they cannot prove: a year's payers must add up to a total the report
# prints for them (the note's own total row, the statement line pointing at the note, the revenue line, a
# total stated in the text), else the year is left out and a message says why.

_SHARE_CELL = re.compile(r"^\d{1,3}(?:[,.]\d+)?\s*%$")
_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _note_lines_of(lines: Sequence[TextLine], sections: Sequence[Section], numbers: Sequence[int]) -> list:
    """The text lines of the revenue note(s), by the line numbers of their sections."""
    chosen = []
    for section in sections:
        if section.name == "note" and section.note_no in numbers:
            span = {line.line_no for line in lines[section.start : section.end]} if section.end <= len(lines) else set()
            chosen.append((section.note_no, span))
    return chosen


def _columns(text: str) -> tuple[str, list[int | None]] | None:
    """A note header with a share column: (its first cell, one year or None per value column), where every
    value column but the shares names a year (`kr | Andel % | 2023 | 2022`, `| Fördelning | Utfall 2022`)."""
    cells = cells_of(text)
    if cells is None or len(cells) < 3:
        return None
    columns: list[int | None] = []
    for cell in cells[1:]:
        years = _YEAR_IN.findall(cell)
        if len(years) > 1 or (not years and (not cell or any(ch.isdigit() for ch in cell))):
            return None
        columns.append(int(years[0]) if years else None)
    if columns.count(None) != 1 or not any(columns):
        return None
    return cells[0], columns


def _share_table_items(note_no: int, lines: Sequence[TextLine]) -> tuple[list[dict], int | None, list[str]] | None:
    """The rows of one note printed with a share column (`Försäkringskassan | 25 % | 2 784 | 2 711`): items in
    printed units, the unit the note states (None: unstated), and messages; None where no such table is."""
    for index, line in enumerate(lines):
        header = _columns(line.text)
        if header is None:
            continue
        first, columns = header
        unit = unit_of(first) or next(
            (u for prior in lines[max(0, index - 3) : index] if (u := declared_unit(prior.text))), None
        )
        items: list[dict] = []
        for row in lines[index + 1 :]:
            cells = cells_of(row.text)
            if cells is None:
                if row.text.strip() and items:
                    break
                continue
            cells += [""] * (len(columns) + 1 - len(cells))  # a tab-separated row may leave its empty cells off
            if len(cells) != len(columns) + 1 or not cells[0]:
                return (
                    [],
                    unit,
                    [
                        f"member contributions: note {note_no} line '{row.text.strip()}' does not fit its "
                        "columns: the note is left out"
                    ],
                )
            for column_year, cell in zip(columns, cells[1:], strict=True):
                if column_year is None:
                    if cell and not _SHARE_CELL.match(cell):
                        return (
                            [],
                            unit,
                            [
                                f"member contributions: note {note_no} share cell '{cell}' is no share: "
                                "the note is left out"
                            ],
                        )
                    continue
                try:
                    value = parse_amount(cell) if cell else None
                except NumberParseError:
                    return [], unit, [f"member contributions: note {note_no} cell '{cell}' is no amount: left out"]
                if value is not None:
                    items.append(
                        {
                            "label": cells[0],
                            "fiscal_year": column_year,
                            "amount_sek": value,
                            "note_no": note_no,
                            "is_total": is_total_label(cells[0]),
                            "source_page": row.page,
                            "source_line": row.line_no,
                        }
                    )
        return items, unit, []
    return None


def _proven_years(
    items: list[dict], unit: int | None, facts: Sequence[dict], note_no: int | None, stated: Sequence[int] = ()
) -> tuple[list[dict], list[str]]:
    """The items of the years whose payers add up to a printed total, scaled to kronor; the other years left
    out with a message. A printed total row must equal its parts; the statement line pointing at the note (else
    the year's revenue lines, else a total the text states) settles the unit where the note states none."""
    kept: list[dict] = []
    messages: list[str] = []
    for year in sorted({item["fiscal_year"] for item in items}):
        of_year = [item for item in items if item["fiscal_year"] == year]
        parts = [item["amount_sek"] for item in of_year if not item["is_total"]]
        totals = [item["amount_sek"] for item in of_year if item["is_total"]]
        if totals and sum(parts) not in totals:
            messages.append(
                f"member contributions {year}: the payers sum to {sum(parts)}, not the total printed "
                f"({', '.join(map(str, totals))}): left out"
            )
            continue
        of_statement = [f for f in facts if f["fiscal_year"] == year and abs(f["amount_sek"]) < _MAX_SEK]
        pointing = [
            f["amount_sek"]
            for f in of_statement
            if note_no is not None and f["note_no"] == note_no and f["statement"] == "income"
        ]
        # the line pointing at the note can reject it; other income lines and totals in the text only support
        support = pointing or [f["amount_sek"] for f in of_statement if f["statement"] == "income"] + list(stated)
        factor = _scale_evidence([sum(parts)], support, len(parts)) if support else None
        if factor is None and totals and not pointing:
            factor = unit or 1  # its own total proves the rows; the unit is the one it states, else kronor
        if factor is None or (unit is not None and factor != unit):
            messages.append(
                f"member contributions {year}: the payers ({sum(parts)} as printed) meet no total the "
                "report prints for them in its unit: left out"
            )
            continue
        kept += [{**item, "amount_sek": item["amount_sek"] * factor} for item in of_year]
    return kept, messages


def share_note_rows(
    lines: Sequence[TextLine], sections: Sequence[Section], facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions from a revenue note printed with a share column, the years that add up."""
    numbers = revenue_note_numbers(facts, sections)
    for note_no, span in _note_lines_of(lines, sections, numbers):
        found = _share_table_items(note_no, [line for line in lines if line.line_no in span])
        if found is None:
            continue
        items, unit, problems = found
        messages += problems
        kept, left_out = _proven_years(items, unit, facts, note_no)
        messages += left_out
        rows = _payer_rows(kept, payers_only=False)
        if any(r["contributor_type"] != "other" for r in rows):
            return rows
    return []


_ENUMERATED = re.compile(
    r"(?P<label>[^\W\d_][^,:;.]*?)\s+(?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)\s*(?P<unit>tkr|kr|kronor)\b",
    re.IGNORECASE,
)
_ITEM_SPLIT = re.compile(r",\s+|\s+och\s+")


def _enumerations(text: str) -> list[tuple[str, str]]:
    """`… 2024 var: staten genom Försäkringskassan 3 076 000 kr, Region Värmland 1 065 000 kr, … och Åmåls
    kommun 221 500 kr.`: (lead-in, list) of every sentence that lists amounts after a colon or `var`."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        lead, colon, tail = sentence.partition(":")
        tail = re.split(r"\.\s", tail + " ")[0]  # the sentence ends there even where no capital follows
        if colon and len(_ENUMERATED.findall(tail)) >= 3:
            found.append((lead, tail.rstrip(" .")))
    return found


def prose_rows(
    lines: Sequence[TextLine], fiscal_year: int | None, facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions listed in a sentence (`Bidragen från medlemmarna 2024 var: Försäkringskassan 5 237 000 kr,
    …, Täby 1 471 070 kr och Norrtälje kommun 1 255 310 kr.`), when every item is one payer and one amount and
    they add up to a total the report prints."""
    text = "\n".join(line.text for line in lines)
    for lead, listing in _enumerations(text):
        stated = _stated_totals([text.replace(listing, " ")])  # a total printed elsewhere, never an item
        first = _ENUMERATED.search(listing)
        source = next((line for line in lines if first and first["amount"] in line.text), None)
        years = {int(y) for y in _YEAR_IN.findall(lead)}
        year = years.pop() if len(years) == 1 else fiscal_year
        items = []
        for part in _ITEM_SPLIT.split(listing):
            match = _ENUMERATED.fullmatch(part.strip())
            if match is None or payer(match["label"]).kind == "other":
                items = []
                break
            unit = unit_of(match["unit"]) or 1
            items.append(
                {
                    "label": match["label"].strip(),
                    "fiscal_year": year,
                    "amount_sek": int(re.sub(r"\D", "", match["amount"])) * unit,
                    "note_no": None,
                    "is_total": False,
                    "source_page": source.page if source else None,
                    "source_line": source.line_no if source else None,
                }
            )
        if len(items) < 2 or year is None:
            continue
        kept, left_out = _proven_years(items, 1, facts, None, stated)
        messages += left_out
        rows = _payer_rows(kept, payers_only=True)
        if rows:
            return rows
    return []
