"""The one CSV writer: a cell a spreadsheet would run as a formula is written as text."""

import csv
import io
from decimal import Decimal

import pytest

from core.csv import csv_response, csv_text, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com","Click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_text_that_starts_like_a_formula_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert safe_cell(-3) == -3
    assert safe_cell("Iris Marlow") == "Iris Marlow"
    assert safe_cell(None) == ""


def test_a_download_is_utf8_with_a_byte_order_mark_and_safe_cells():
    response = csv_response(
        "x.csv", ["Name", "Amount (£)"], [["=cmd|' /C calc'!A0", Decimal("-1.50")]]
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Name", "Amount (£)"], ["'=cmd|' /C calc'!A0", "-1.50"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_csv_text_writes_the_same_rows():
    assert csv_text(["a"], [["=1"]]) == "a\r\n'=1\r\n"
