"""Reading amounts as Swedish reports print them.

Two situations: a table cell that holds one amount (`2 684 136`, `- 17 329`,
`+159 492`, `(1 200)`), and a run of tokens where the cell borders were lost
(OCR text: `2 2684136 2449 000`). The second is split by the rules of thousands
grouping and the number of columns; a split that stays ambiguous is refused with
`AmbiguousAmounts` rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations

EMPTY_MARKERS = frozenset({"", "-", "--", "–", "—", "inga", "0:-", "n/a"})
MAX_DIGITS = 9  # a förbund's amounts in kronor stay below one billion
MAX_TOKENS = 24  # beyond this a row is prose, not a table row
MAX_ROW_SPREAD = 1  # amounts of one row (this year, last year, …) differ by at most one digit

_CELL = re.compile(
    r"^(?P<open>\()?\s*(?P<sign>[+\-–])?\s*(?P<body>\d{1,3}(?: \d{3})+|\d+)"
    r"(?:,(?P<decimals>\d{1,3}))?\s*(?P<trailing>[-–])?\s*(?P<close>\))?$"
)
# thousands set off by dots or apostrophes (`32.258.675`, `423.245,22`, `1'250'000`): only whole groups of three,
# so a date (`31.12.2022`) or a decimal point never reads as one
_MARKED_THOUSANDS = re.compile(r"(?<![\d.,'’])\d{1,3}(?:([.'’])\d{3})(?:\1\d{3})*(?![\d'’]|\.\d)")


def plain_thousands(text: str) -> str:
    """Dot or apostrophe thousands separators as spaces: `32.258.675` -> `32 258 675`."""
    return _MARKED_THOUSANDS.sub(lambda m: re.sub(r"[.'’]", " ", m.group()), text)


_TOKEN = re.compile(r"^\(?[+\-–]?\d+(?:,\d{1,3})?\)?[-–]?$|^[+\-–]$|^\?+$")  # `292,0-`: a trailing minus
_UNREADABLE = re.compile(r"^[?\s]+$")  # digits OCR could not read for sure, masked by the reader


def masked(cell: str) -> bool:
    """A cell of digits OCR could not read for sure (`? ??? ???`): its column is unknown."""
    return "?" in cell and bool(_UNREADABLE.match(cell))


class NumberParseError(ValueError):
    """Text that should hold an amount does not."""


class UnreadableAmount(NumberParseError):
    """A cell whose digits were masked (`? ??? ???`): that column is unknown, the row's others may stand."""


class AmbiguousAmounts(NumberParseError):
    """Tokens that admit more than one reading; the value must be left out and flagged."""


def parse_amount(cell: str) -> int | None:
    """One cell to an integer; None for an empty cell or a dash."""
    value = parse_decimal_amount(cell)
    if value is not None and value.denominator != 1:
        raise NumberParseError(f"not a whole amount: {cell!r}")
    return None if value is None else int(value)


_UNIT_AT_END = re.compile(r"\s*(kr|sek|tkr|mkr)\.?$", re.IGNORECASE)


@lru_cache(maxsize=100_000)
def parse_decimal_amount(cell: str) -> Fraction | None:
    """One cell to an exact number, a decimal comma allowed (`12,5` in a table printed in Mkr).

    Cached: an amount is immutable, and cells recur, a report's tables being read by several parsers (a cell
    that is no amount raises anew each time)."""
    text = " ".join(plain_thousands(cell.replace("*", " ")).split())
    if text.lower() in EMPTY_MARKERS:
        return None
    if masked(text):
        raise UnreadableAmount(f"unreadable digits: {cell!r}")
    text = _UNIT_AT_END.sub("", text)
    match = _CELL.match(text)
    if not match or bool(match["open"]) != bool(match["close"]):
        raise NumberParseError(f"not an amount: {cell!r}")
    if match["body"].startswith("0") and len(match["body"]) > 1:
        # `081`: no amount is printed with a leading zero; OCR lost the digits before it (`-736 081`), so the
        # cell's column is unknown as a masked one's is
        raise UnreadableAmount(f"an amount's first digits are missing: {cell!r}")
    value = Fraction(int(match["body"].replace(" ", "")))
    if match["decimals"]:
        value += Fraction(int(match["decimals"]), 10 ** len(match["decimals"]))
    if match["sign"] and match["trailing"]:
        raise NumberParseError(f"two signs: {cell!r}")
    negative = match["sign"] in ("-", "–") or bool(match["open"]) or bool(match["trailing"])
    return PrintedAmount(-value if negative else value, len(match["decimals"] or ""))


class PrintedAmount(Fraction):
    """An amount with the number of decimals it was printed with: `5,310` is no 5,31 kr (`to_kronor`)."""

    def __new__(cls, value: Fraction, decimals: int) -> PrintedAmount:
        amount = super().__new__(cls, value)
        amount.decimals = decimals
        return amount


def to_kronor(value: Fraction | int, unit: int) -> int:
    """An amount in the table's unit to whole kronor; öre in a table in kronor are rounded half away from zero
    (`12 345,67` -> 12 346)."""
    scaled = Fraction(value) * unit
    if scaled.denominator != 1 and unit != 1:
        # tkr with one decimal and Mkr with two are whole kronor; a fraction of a krona under a larger unit
        # means the unit is not the table's
        raise NumberParseError(f"{float(value)} × {unit} is not whole kronor")
    if 100 % scaled.denominator or (unit == 1 and getattr(value, "decimals", 0) > 2):
        # kronor have öre, two decimals: `5,313` in kronor is a thousands group behind a comma (OCR's `5.313`, or
        # a comma printed as thousands separator), never 5 kronor
        raise NumberParseError(f"{float(value)} kr has decimals finer than öre: a thousands group, not öre")
    whole = abs(scaled.numerator) * 2 + scaled.denominator
    rounded = whole // (2 * scaled.denominator)
    return rounded if scaled >= 0 else -rounded


def is_amount_token(token: str) -> bool:
    return bool(_TOKEN.match(token.rstrip("*")))


@dataclass(frozen=True)
class _Token:
    sign: str  # "", "+" or "-"
    digits: str  # "" for an empty-cell dash

    @property
    def can_start(self) -> bool:
        return self.digits == "" or self.digits == "0" or not self.digits.startswith("0")

    @property
    def can_continue(self) -> bool:
        return self.sign == "" and len(self.digits) == 3


def tokenize_amounts(text: str) -> list[_Token]:
    """Whitespace tokens to signed digit groups; a lone sign binds to the next group when one space parts
    them (`- 307 000`); two or more spaces part cells, so a dash there is an empty cell (`–   22788000`)."""
    plain = plain_thousands(text).replace("|", " ")
    spaced = [(m.group().rstrip("*"), m.end()) for m in re.finditer(r"\S+", plain)]
    raw = [t for t, _ in spaced]
    if any("?" in t for t in raw):
        raise AmbiguousAmounts(f"unreadable digits without column borders: {text.strip()!r}")
    if any("," in t for t in raw):
        raise NumberParseError(f"decimal amounts without column borders cannot be split: {text.strip()!r}")
    # `(307 000)`: the parenthesis is the sign of the group it opens
    spaced = [
        (
            ("-" + t[1:] if t.startswith("(") and t[1:2].isdigit() else t.lstrip("(")).rstrip(")"),
            plain[end : end + 2] != "  ",
        )
        for t, end in spaced
    ]
    spaced = [(t, close) for t, close in spaced if t]
    raw = [t for t, _ in spaced]
    tokens: list[_Token] = []
    pending_sign = ""
    for index, token in enumerate(raw):
        if not is_amount_token(token):
            raise NumberParseError(f"not an amount token: {token!r}")
        if token in ("+", "-", "–"):
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if following[:1].isdigit() and not pending_sign and spaced[index][1]:
                pending_sign = "-" if token != "+" else "+"
            else:
                tokens.append(_Token("", ""))  # a dash standing for an empty cell
            continue
        if len(token) > 1 and token[-1] in "-–":
            # `4 120-`: the minus closes the whole amount, which of the groups before it belong to it is not printed
            raise NumberParseError(f"a trailing minus without column borders: {text.strip()!r}")
        sign = token[0] if token[0] in "+-–" else ""
        digits = token.lstrip("+-–")
        if pending_sign and sign:
            raise NumberParseError(f"two signs in a row before {token!r}")
        tokens.append(_Token("-" if (pending_sign or sign) in ("-", "–") else "", digits))
        pending_sign = ""
    if len(tokens) > MAX_TOKENS:
        raise NumberParseError(f"{len(tokens)} number tokens: too many for a table row")
    return tokens


def _segmentations(tokens: list[_Token]) -> list[list[int | None]]:
    """Every way of grouping tokens into amounts under the thousands-grouping rule."""
    results: list[list[int | None]] = []

    def walk(start: int, acc: list[int | None]) -> None:
        if start == len(tokens):
            results.append(list(acc))
            return
        first = tokens[start]
        if not first.can_start:
            return
        if first.digits == "":
            walk(start + 1, [*acc, None])
            return
        digits = first.digits
        end = start + 1
        while True:
            if len(digits.lstrip("0")) <= MAX_DIGITS:
                value = int(digits)
                walk(end, [*acc, -value if first.sign == "-" else value])
            if first.digits == "0" or end >= len(tokens) or not tokens[end].can_continue:
                break
            digits += tokens[end].digits
            end += 1

    walk(0, [])
    return results


def _magnitude_spread(values: list[int | None]) -> int:
    sizes = [len(str(abs(v))) for v in values if v]
    return max(sizes) - min(sizes) if sizes else 0


def split_amounts(text: str, columns: int) -> list[int | None]:
    """Split a run of amount tokens into exactly `columns` amounts, or refuse.

    A reading is accepted only when no reading with fewer amounts exists (we could not
    tell which columns are empty) and it is the only full reading, or the only one
    whose amounts share an order of magnitude (within one digit) while every other
    reading mixes magnitudes by at least two digits more.
    """
    tokens = tokenize_amounts(text)
    if not tokens:
        return [None] * columns
    readings = _segmentations(tokens)
    full = [r for r in readings if len(r) == columns]
    partial = [r for r in readings if 0 < len(r) < columns]
    if partial:
        shown = " ".join(f"{t.sign}{t.digits or '-'}" for t in tokens)
        raise AmbiguousAmounts(
            f"'{shown}' can be read as fewer than {columns} amounts: which columns are empty is unknown"
        )
    if not full:
        raise NumberParseError(f"'{text.strip()}' cannot be read as {columns} amounts")
    if len(full) == 1:
        return full[0]
    ranked = sorted(full, key=_magnitude_spread)
    best, runner_up = (_magnitude_spread(r) for r in ranked[:2])
    if best <= MAX_ROW_SPREAD and runner_up - best >= 2:
        return ranked[0]
    raise AmbiguousAmounts(
        f"'{text.strip()}' has {len(full)} readings as {columns} amounts, e.g. {ranked[0]} or {ranked[1]}"
    )


def candidate_readings(text: str, columns: int) -> list[list[int | None]]:
    """Every reading of a token run as `columns` cells, empty cells placed every possible way.

    For callers that can verify a reading against something the report states itself
    (a table's Summa row), never for picking a reading on its own. Digits OCR could not read
    (`?`) or decimals give no reading at all: nothing verifies a value that was never printed legibly.
    """
    try:
        tokens = tokenize_amounts(text)
    except NumberParseError:
        return []
    readings: list[list[int | None]] = []
    for reading in _segmentations(tokens):
        if len(reading) > columns or not reading:
            continue
        for positions in combinations(range(columns), len(reading)):
            cells: list[int | None] = [None] * columns
            for position, value in zip(positions, reading, strict=True):
                cells[position] = value
            readings.append(cells)
    return readings


def group_thousands(value: int) -> str:
    """Format the way reports do (`-2 684 136`); used by messages and tests."""
    sign = "-" if value < 0 else ""
    digits = str(abs(value))
    groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
    return sign + " ".join(groups)
