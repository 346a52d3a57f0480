import contextlib
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_pipeline.parse.numbers import (
    AmbiguousAmounts,
    NumberParseError,
    UnreadableAmount,
    group_thousands,
    parse_amount,
    parse_decimal_amount,
    split_amounts,
)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("2 684 136", 2684136),
        ("2684136", 2684136),
        ("- 17 329", -17329),
        ("+159 492", 159492),
        ("(1 200)", -1200),
        ("20 114*", 20114),
        ("-", None),
        ("", None),
        ("inga", None),
        ("0", 0),
    ],
)
def test_cell_amounts_read_as_reports_print_them(cell, value):
    assert parse_amount(cell) == value


def test_text_in_an_amount_cell_is_refused():
    with pytest.raises(NumberParseError):
        parse_amount("Bidrag")


@pytest.mark.parametrize(
    ("tokens", "columns", "values"),
    [
        ("2684136 2449 000", 2, [2684136, 2449000]),
        ("-331 643 191 748", 2, [-331643, 191748]),
        ("2684 136 2 449 000 2 395 000 2 299 500 2 299 500", 5, [2684136, 2449000, 2395000, 2299500, 2299500]),
        ("-330 463 191431 350935 154 413 -191 782", 5, [-330463, 191431, 350935, 154413, -191782]),
        ("909 576 606 534", 2, [909576, 606534]),
        ("1180 76", 2, [1180, 76]),
        ("- -", 2, [None, None]),
    ],
)
def test_merged_ocr_digit_groups_split_by_column_count_and_grouping(tokens, columns, values):
    assert split_amounts(tokens, columns) == values


@pytest.mark.parametrize(
    ("tokens", "columns", "values"),
    [
        ("22468000  22468000         –   22788000", 4, [22468000, 22468000, None, 22788000]),
        ("1 200   -   300", 3, [1200, None, 300]),
        ("1 200  - 300", 2, [1200, -300]),
    ],
)
def test_a_dash_two_spaces_from_the_next_amount_is_an_empty_cell_not_its_sign(tokens, columns, values):
    """`–   22788000` under a deviation column left empty: read as a minus it had loaded −22 788 000."""
    assert split_amounts(tokens, columns) == values

@pytest.mark.parametrize(("tokens", "columns"), [("-397", 2), ("104 135", 2), ("5700", 2)])
def test_split_that_cannot_tell_the_columns_apart_is_refused(tokens, columns):
    with pytest.raises(AmbiguousAmounts):
        split_amounts(tokens, columns)


@given(st.integers(min_value=-999_999_999, max_value=999_999_999))
def test_grouped_amounts_read_back_exactly(value):
    assert parse_amount(group_thousands(value)) == value
    assert parse_amount(group_thousands(value).replace(" ", "")) == value


@st.composite
def same_magnitude_rows(draw):
    digits = draw(st.integers(min_value=4, max_value=8))
    sizes = st.integers(min_value=digits, max_value=digits + 1)
    count = draw(st.integers(min_value=1, max_value=5))
    return [
        draw(st.integers(min_value=10 ** (d - 1), max_value=10**d - 1)) * draw(st.sampled_from([1, -1]))
        for d in (draw(sizes) for _ in range(count))
    ]


@given(same_magnitude_rows())
def test_grouped_rows_split_back_exactly_or_are_refused_never_wrong(values):
    with contextlib.suppress(AmbiguousAmounts):
        assert split_amounts(" ".join(group_thousands(v) for v in values), len(values)) == values


def test_a_row_with_very_different_magnitudes_is_refused_not_guessed():
    with pytest.raises(AmbiguousAmounts):
        split_amounts("1 234 567 890", 2)  # 1 234 567 | 890 or 1 234 | 567 890


@given(st.text(max_size=60), st.integers(min_value=1, max_value=5))
def test_any_text_gives_values_or_our_own_error(text, columns):
    try:
        result = split_amounts(text, columns)
    except NumberParseError:
        return
    assert len(result) == columns


@pytest.mark.parametrize("cell", ["081", "-081", "0 450", "0450"])
def test_an_amount_with_a_leading_zero_has_lost_its_first_digits(cell):
    """`Årets resultat  TS 081` (OCR for `-736 081`): no amount is printed with a leading zero, so the cell's
    column is unknown, as a masked cell's is; it had loaded as 81 in two statements, each confirming the other."""
    with pytest.raises(UnreadableAmount):
        parse_decimal_amount(cell)
    assert parse_decimal_amount("0") == 0 and parse_decimal_amount("0,5") == Fraction(1, 2)
