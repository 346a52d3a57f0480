"""Financed interventions (`interventions`) and how participants left them (`intervention_outcomes`).

Three sources, in the reports' own words:
- a participants table (`Insatsens namn | … deltagare | Kvinnor | Män`);
- a follow-up table per intervention (`Antal aktiva | Antal avslut totalt | Antal i arbete | …`,
  cells like `67 33 K 34 M`), named by the nearest heading or mention before it;
- prose (`Under året har 56 deltagare varit inskrivna … 37 kvinnor och 19 män`,
  `Insatsen beviljades 1 500 tkr, men förbrukade 1 067 tkr`).
Column headers and kind words come from `assets/reference/intervention_*.csv`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from finsam_pipeline.parse.numbers import NumberParseError, parse_amount
from finsam_pipeline.parse.participants import participant_passages, participant_tables
from finsam_pipeline.parse.similarity import reaches
from finsam_pipeline.parse.tables import cells_of, is_total_label
from finsam_pipeline.parse.vocabulary import intervention_columns, intervention_kinds
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

OUTCOME_FIELDS = (
    "avslutade",
    "tidiga_avhopp",
    "arbete",
    "studier",
    "arbetssokande",
    "annan_arbetslivsinriktad_rehab",
    "medicinsk_rehab",
    "sjukersattning",
    "annat",
)
_NAME = r"[A-ZÅÄÖ][\wåäöÅÄÖ-]+(?: [A-ZÅÄÖ][\wåäöÅÄÖ-]+){0,3}"
_HEADING = re.compile(r"^(?P<name>[A-ZÅÄÖ].{2,120}?)[\s.–-]*\(proj(?:ekt)?\.?\s*nr[;:.]?\s*\d+\)", re.IGNORECASE)
# the name one space after the word: a table's header (`Insats\tKvinnor\tMän`, `Insats    Kvinnor`) names none
_MENTION = re.compile(rf"\b(?:[Ii]nsatsen|[Ii]nsats|[Pp]rojekt|[Pp]rojektet) (?P<name>{_NAME})")
_TOOK_PART = ("varit inskrivna", "har deltagit", "deltagit", "har medverkat")
_PROSE_PARTICIPANTS = re.compile(
    rf"(?P<total>\d+)\s+(?P<who>deltagare|individer|personer)\s+(?:{'|'.join(_TOOK_PART)})"
)
_PROSE_SEXES = re.compile(r"(?P<women>\d+)\s+kvinnor\s+och\s+(?P<men>\d+)\s+m[aä]n\b")
_PROSE_SEXES_PERS = re.compile(r"kvinnor\s*\((?P<women>\d+)\s*pers\)\s*och[^()]*m[aä]n\s*\((?P<men>\d+)\s*pers\)")
_PROSE_LEFT = re.compile(r"(?:[Dd]eltagare som avslutats under [aå]ret uppgick till|[Tt]otalt har)\s+(?P<n>\d+)")
_FUNDED = ("beviljades", "finansierades med", "hade en budget på", "har erhållit")
_FUNDING = re.compile(
    rf"(?:{'|'.join(_FUNDED)})\s+(?P<budget>\d[\d ]*)\s*(?P<unit>tkr|kr)"
    r"(?:[^.]*?förbrukade\s+(?P<cost>\d[\d ]*)\s*(?P<cost_unit>tkr|kr))?"
)
_KM = re.compile(r"(?P<n>\d+)\s*(?P<sex>[KM])\b")
_LOOKBACK = 30
_LOOKBACK_CHARS = 4000
_GENERIC_NAMES = frozenset({"insatsen", "insatser", "projektet", "som", "under"})


_A_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@lru_cache(maxsize=10_000)
def _field_of(header: str) -> str | None:
    folded = _A_YEAR.sub("", fold(header)).strip()  # `2023 Kvinnor`: the year is the column's period, not its role
    best, best_len = None, 0
    for field, headers in intervention_columns().items():
        for known in headers:
            if (folded == known or folded.startswith(known + " ") or folded.startswith(known)) and len(
                known
            ) > best_len:
                best, best_len = field, len(known)
    return best


@lru_cache(maxsize=100_000)
def _column_fields(text: str) -> tuple[str | None, ...] | None:
    """The field each cell of a delimited line names as a column header; None for a line without cells."""
    cells = cells_of(text)
    return tuple(_field_of(c) for c in cells) if cells else None


def _two_headers(header: str) -> bool:
    """Two column headers run together in one cell (`Kvinnor Män`): OCR of a narrow table lost the gap between
    them, so the header's cells and the body's columns no longer line up one to one."""
    words = fold(header).split()
    exact = {known: field for field, headers in intervention_columns().items() for known in headers}
    for cut in range(1, len(words)):
        left, right = exact.get(" ".join(words[:cut])), exact.get(" ".join(words[cut:]))
        if left and right and left != right:
            return True
    return False


@lru_cache(maxsize=100_000)
def kind_in(text: str) -> str | None:
    folded = f" {fold(text)} "
    for kind, words in intervention_kinds().items():
        if any(f" {word} " in folded for word in words):
            return kind
    return None


def parse_count_cell(cell: str) -> tuple[int | None, int | None, int | None]:
    """`67 33 K 34 M` -> (67, 33, 34); `3 3 K` -> (3, 3, None); `57` -> (57, None, None)."""
    text = cell.strip()
    women = men = None
    for match in _KM.finditer(text):
        if match["sex"] == "K":
            women = int(match["n"])
        else:
            men = int(match["n"])
    first = _KM.split(text)[0] if _KM.search(text) else text
    lead = re.match(r"^\s*(\d+)(?:\s|$)", text)
    total = int(lead[1]) if lead and not re.match(r"^\s*\d+\s*[KM]\b", text) else None
    if total is None and not _KM.search(text):
        try:
            total = parse_amount(first)
        except NumberParseError:
            total = None
    return total, women, men


def _heading_window(lines: Sequence[TextLine], index: int) -> Sequence[TextLine]:
    """The lines a heading may stand in above `index`: the last `_LOOKBACK` lines, or as many as hold
    `_LOOKBACK_CHARS` characters where lines are short (a PDF wraps each paragraph over many lines)."""
    start, length = index, 0
    while start > 0 and (index - start < _LOOKBACK or length < _LOOKBACK_CHARS):
        start -= 1
        length += len(lines[start].text)
    return lines[start : index + 1]


def _anchor_before(lines: Sequence[TextLine], index: int) -> tuple[str | None, str | None]:
    """(name, kind) of the intervention a table or sentence belongs to: nearest heading, else mention."""
    window = lines[max(0, index - _LOOKBACK) : index + 1]
    kind = None
    for line in reversed(_heading_window(lines, index)):
        kind = kind or kind_in(line.text)
        heading = _HEADING.match(line.text.strip())
        if heading:
            return heading["name"].strip(), kind_in(line.text) or kind
    for line in reversed(window):
        mentions = [m["name"] for m in _MENTION.finditer(line.text) if fold(m["name"]) not in _GENERIC_NAMES]
        if mentions:
            return mentions[-1], kind
    return None, kind


def _counts_of_the_year(
    fields: tuple[str | None, ...], header_cells: Sequence[str], fiscal_year: int | None
) -> tuple[str | None, ...] | None:
    """The header's fields with each count read from one column only: where it names a count more than once
    (`Kvinnor 2024 | Män 2024 | Totalt 2024 | Kvinnor 2023 | …`), the cells naming the report's year. None where
    its years do not tell the columns apart: the last column had been read, last year's counts loaded as this
    year's."""
    counted = [field for field in fields if field and field.startswith("participants_")]
    if len(counted) == len(set(counted)):
        return fields
    years = [{int(y) for y in _A_YEAR.findall(cell)} for cell in header_cells]
    counts_and_years = zip(fields, years, strict=False)
    if any(field and field.startswith("participants_") and not year for field, year in counts_and_years):
        return None  # a count column of no year (`Kvinnor utfall` beside `Kvinnor mål 2024`): whose is unknown
    kept = tuple(
        None if field and field.startswith("participants_") and fiscal_year not in year else field
        for field, year in zip(fields, years, strict=False)
    )
    counted = [field for field in kept if field and field.startswith("participants_")]
    return kept if counted and len(counted) == len(set(counted)) else None


def _years_over_the_groups(above: str, fields: Sequence[str | None], cells: Sequence[str]) -> list[str]:
    """The header's cells with the year a row above it prints over each group of count columns (`2023` over
    `Kvinnor | Män | Totalt`, `2022` over the next three), the k-th year over the k-th group wherever it is set
    (left, centred); the cells as they are where that row is no such row of years."""
    groups: list[list[int]] = []
    for position, field in enumerate(fields):
        if field and field.startswith("participants_"):
            if not groups or field in {fields[i] for i in groups[-1]}:
                groups.append([])
            groups[-1].append(position)
    years = _A_YEAR.findall(above)
    if len(groups) < 2 or len(years) != len(groups) or re.search(r"\d", _A_YEAR.sub("", above)):
        return list(cells)
    year_of = {position: year for group, year in zip(groups, years, strict=True) for position in group}
    return [f"{cell} {year_of[i]}" if i in year_of else cell for i, cell in enumerate(cells)]


def _participant_tables(lines: Sequence[TextLine], fiscal_year: int | None = None) -> tuple[list[dict], list[str]]:
    """Rows of the count tables headed by column names, and messages for tables left out."""
    rows: list[dict] = []
    left_out: list[str] = []
    for index, line in enumerate(lines):
        fields = _column_fields(line.text)
        if not fields or fields[0] != "name" or "participants_women" not in fields:
            continue
        printed = cells_of(line.text) or []
        cells = _years_over_the_groups(lines[index - 1].text, fields, printed) if index else printed
        fields = _counts_of_the_year(fields, cells, fiscal_year)
        if fields is None:
            header = " | ".join(cell.strip() for cell in printed)
            left_out.append(
                f"participants table under '{header}' (line {line.line_no}): its count columns are of several years or "
                f"groups the header does not tell {fiscal_year or 'the report'}'s apart from: left out"
            )
            continue
        if any(_two_headers(cell) for cell in printed):
            continue  # which count stands under which header is unknown: left out, not guessed
        _, kind = _anchor_before(lines, index)
        for following in lines[index + 1 :]:
            row = cells_of(following.text)
            if row is None:
                if following.text.strip():
                    break
                continue
            if not re.search(r"[^\W_]", row[0]) or is_total_label(row[0]):
                continue  # no name (a pipe table's `|---|` rule) or a total
            counts = {
                field: cell
                for field, cell in zip(fields, row, strict=False)
                if field and field.startswith("participants_")
            }
            if _words_not_counts(counts.values()):
                break  # `1.3  Ekonomi / Finances`: the next heading, the table has ended
            item = {"name": row[0], "kind": kind, "source_page": following.page, "source_line": following.line_no}
            item[HEADED_COUNTS] = tuple(field for field in fields if field and field.startswith("participants_"))
            item.update({field: parse_count_cell(cell)[0] for field, cell in counts.items()})
            rows.append(item)
    return rows, left_out


def _words_not_counts(cells: Iterable[str]) -> bool:
    """Whether a row's count cells hold words and no count: a heading or another table's row has begun."""
    cells = list(cells)
    return any(re.search(r"[^\W\d_]{2,}", cell) for cell in cells) and all(
        parse_count_cell(cell) == (None, None, None) for cell in cells
    )


def _outcome_tables(lines: Sequence[TextLine]) -> tuple[list[dict], list[dict]]:
    interventions, outcomes = [], []
    for index, line in enumerate(lines):
        fields = _column_fields(line.text)
        if not fields or sum(1 for f in fields if f in OUTCOME_FIELDS) < 3:
            continue
        data_index = next(
            (
                j
                for j in range(index + 1, min(index + 4, len(lines)))
                if cells_of(lines[j].text) and any(ch.isdigit() for ch in lines[j].text)
            ),
            None,
        )
        if data_index is None:
            continue
        name, kind = _anchor_before(lines, index)
        if name is None:
            continue
        data_line = lines[data_index]
        values = cells_of(data_line.text) or []
        item = {"name": name, "kind": kind, "source_page": data_line.page, "source_line": data_line.line_no}
        for field, cell in zip(fields, values, strict=False):
            if field is None or not cell.strip():
                continue
            total, women, men = parse_count_cell(cell)
            if field == "participants_total":
                item.update(participants_total=total, participants_women=women, participants_men=men)
            elif field in OUTCOME_FIELDS and (total is not None or women is not None or men is not None):
                outcomes.append(
                    {
                        "intervention": name,
                        "outcome": field,
                        "persons": total,
                        "women": women,
                        "men": men,
                        "source_page": data_line.page,
                        "source_line": data_line.line_no,
                    }
                )
        interventions.append(item)
    return interventions, outcomes


def _scaled(text: str | None, unit: str | None) -> int | None:
    if not text:
        return None
    return int(text.replace(" ", "")) * (1000 if unit == "tkr" else 1)


def _prose(lines: Sequence[TextLine]) -> tuple[list[dict], list[dict]]:
    interventions, outcomes = [], []
    for index, line in enumerate(lines):
        head = line.text
        # each pattern only where its verb stands: every line of every report passes here
        funding = _FUNDING.search(head) if any(verb in head for verb in _FUNDED) else None
        participants = _PROSE_PARTICIPANTS.search(head) if any(verb in head for verb in _TOOK_PART) else None
        if not (funding or participants):
            continue
        own = _MENTION.search(_sentence_of(head, (funding or participants).start()))
        if own and fold(own["name"]) not in _GENERIC_NAMES:
            name, kind = own["name"], kind_in(head)
        elif funding or participants["who"] == "deltagare":
            name, kind = _anchor_before(lines, index)  # `… deltagare varit inskrivna i insatsen`
        else:
            continue  # `13 personer deltagit` names no intervention
        if name is None:
            continue
        item = {"name": name, "kind": kind, "source_page": line.page, "source_line": line.line_no}
        if funding:
            item["budget_sek"] = _scaled(funding["budget"], funding["unit"])
            item["cost_sek"] = _scaled(funding["cost"], funding["cost_unit"])
        if participants:
            item["participants_total"] = int(participants["total"])
            following = " ".join(t.text for t in lines[index : index + 3])
            sexes = _PROSE_SEXES.search(following) or _PROSE_SEXES_PERS.search(following)
            if sexes:
                item["participants_women"], item["participants_men"] = int(sexes["women"]), int(sexes["men"])
            left = _PROSE_LEFT.search(" ".join(t.text for t in lines[index : index + 4]))
            if left:
                outcomes.append(
                    {
                        "intervention": name,
                        "outcome": "avslutade",
                        "persons": int(left["n"]),
                        "women": None,
                        "men": None,
                        "source_page": line.page,
                        "source_line": line.line_no,
                    }
                )
        interventions.append(item)
    return interventions, outcomes


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÅÄÖ0-9])")


def _sentence_of(text: str, position: int) -> str:
    """The sentence of `text` that `position` falls in: a count belongs to the intervention named in its
    own sentence (`… projekt Rätt använd kompetens. 140 personer har deltagit på frukostmötena`)."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if end.end() > position:
            return text[start : end.start() + 1]
        start = end.end()
    return text[start:]


_SAME_NAME = 0.85  # the similarity of two printings of one intervention's name (OCR, spelling)


def _same(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False  # a name of no letters (a pipe table's `|---|` rule) is no intervention's, and in every name
    if fa == fb or fa in fb or fb in fa:
        return True
    return reaches(fa, fb, _SAME_NAME)


def intervention_rows(lines: Sequence[TextLine], fiscal_year: int | None = None) -> tuple[list[dict], list[dict]]:
    """One row per intervention (sources merged by name), and its outcome rows. Counts proven by arithmetic
    (`participants.py`) come first; the other readers fill in what those leave empty."""
    interventions, outcomes, _ = intervention_reading(lines, fiscal_year)
    return interventions, outcomes


def unproven_participant_rows(lines: Sequence[TextLine]) -> list[str]:
    """Messages for count-table rows that no reading of their columns makes add up (left out)."""
    return participant_tables(lines)[1]


def intervention_reading(
    lines: Sequence[TextLine], fiscal_year: int | None = None
) -> tuple[list[dict], list[dict], list[str]]:
    """`intervention_rows` and `unproven_participant_rows` from one reading of the report's count tables; a table
    counting several years is read in the columns of `fiscal_year`."""
    counted, unproven = participant_tables(lines)
    headed, headed_left_out = _participant_tables(lines, fiscal_year)
    table_items, table_outcomes = _outcome_tables(lines)
    prose_items, prose_outcomes = _prose(lines)
    proven = [
        {**item, "kind": _anchor_before(lines, _index_of(lines, item))[1]}
        for item in [*counted, *participant_passages(lines)]
    ]
    merged: list[dict] = []
    for item in [*proven, *headed, *table_items, *prose_items]:
        match = next((m for m in merged if _same(m["name"], item["name"])), None)
        if match is None:
            merged.append(dict(item))
            continue
        for key, value in item.items():
            if match.get(key) is None and value is not None:
                match[key] = value
    outcomes: list[dict] = []
    for outcome in [*table_outcomes, *prose_outcomes]:
        owner = next((m for m in merged if _same(m["name"], outcome["intervention"])), None)
        outcome["intervention"] = owner["name"] if owner else outcome["intervention"]
        if not any(
            o["intervention"] == outcome["intervention"] and o["outcome"] == outcome["outcome"] for o in outcomes
        ):
            outcomes.append(outcome)
    columns = ("participants_total", "participants_women", "participants_men", "budget_sek", "cost_sek")
    return [{**{c: m.get(c) for c in columns}, **m} for m in merged], outcomes, [*unproven, *headed_left_out]


def _index_of(lines: Sequence[TextLine], item: dict) -> int:
    return next((i for i, line in enumerate(lines) if line.line_no == item["source_line"]), 0)


PARTICIPANT_COUNTS = ("participants_total", "participants_women", "participants_men")
HEADED_COUNTS = "headed_counts"  # the counts a table row's header names: a row printing fewer proves nothing


def counts_that_add_up(items: list[dict]) -> tuple[list[dict], list[str]]:
    """Participants where women + men = total, as the report must print them; a row whose three counts do not
    add up is read a column off or misprinted, and its counts are left out (with a message), never kept. A
    split by sex without its total (or a total with half a split) proves nothing and may be a column off (an
    OCR'd header that lost a column): left out too. A total printed with no split at all is kept, unless it
    stands in a table whose header names the split: then the row lost cells, and its one count may be another
    row's (OCR's `Bryggan  130`, where 130 was the next row's total)."""
    kept: list[dict] = []
    left_out: list[str] = []
    for item in items:
        total, women, men = (item.get(c) for c in PARTICIPANT_COUNTS)
        split_headed = {"participants_women", "participants_men"} & set(item.get(HEADED_COUNTS, ()))
        if total is not None and (women, men) == (None, None) and split_headed:
            left_out.append(
                f"participants of '{item['name']}': only {total} of the counts its table's header names: left out"
            )
            item = {**item, **dict.fromkeys(PARTICIPANT_COUNTS)}
        elif None not in (total, women, men) and women + men != total:
            left_out.append(f"participants of '{item['name']}': {women} women + {men} men is not {total}: left out")
            item = {**item, **dict.fromkeys(PARTICIPANT_COUNTS)}
        elif (women, men) != (None, None) and None in (total, women, men):
            left_out.append(
                f"participants of '{item['name']}': total {total}, women {women}, men {men} cannot be proven to add "
                "up: left out"
            )
            item = {**item, **dict.fromkeys(PARTICIPANT_COUNTS)}
        kept.append(item)
    return kept, left_out
