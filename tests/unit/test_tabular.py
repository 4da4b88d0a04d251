"""CSV cells for spreadsheets: formula injection escaped, ISO dates, one header row, BOM."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from reviewtool import tabular


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","click")', "+1+2",
                                  "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"])
def test_formula_starts_get_an_apostrophe(text):
    assert tabular.cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain title", "a=b", " =not first", "", "1-2"])
def test_other_text_is_left_alone(text):
    assert tabular.cell(text) == text


def test_values_numbers_dates_lists_and_booleans():
    assert [tabular.cell(v) for v in (None, True, False, 3, -2.5, 33.3)] == [
        "", "true", "false", "3", "-2.5", "33.3"]  # a negative number is a number, not text
    assert tabular.cell(date(2026, 12, 31)) == "2026-12-31"
    assert tabular.cell(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    assert tabular.cell(["events", "=cmd()"]) == "events; '=cmd()"


def test_document_has_a_bom_one_header_row_and_quotes_what_needs_it():
    text = tabular.document(["id", "title"], [[1, 'Say "hi", then =HYPERLINK("x")'],
                                              [2, "two\nlines"]])
    assert text.startswith("\ufeffid,title\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["id", "title"], ["1", 'Say "hi", then =HYPERLINK("x")'],
                    ["2", "two\nlines"]]
    hostile = tabular.document(["title"], [['=HYPERLINK("http://evil.example","x")']])
    assert list(csv.reader(io.StringIO(hostile[1:])))[1] == [
        '\'=HYPERLINK("http://evil.example","x")']
