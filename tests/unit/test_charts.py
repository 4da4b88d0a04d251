"""The 5 x 5 risk heat map (reviewtool/charts.py), read back as XML."""

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from reviewtool.charts import band, heat_map

SVG = "{http://www.w3.org/2000/svg}"
INHERENT = [(5, 3), (5, 3), (2, 4), (1, 1), (4, 4), (5, 3)]
RESIDUAL = [(3, 3), (1, 3), (2, 2), (1, 1), (4, 4), (2, 3)]


def parse(inherent, residual) -> ET.Element:
    return ET.fromstring(str(heat_map(inherent, residual)))


def cells(root: ET.Element, grid: str) -> dict[tuple[int, int], ET.Element]:
    """(likelihood, severity) → rect of the grid named `grid`."""
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-grid") == grid]
    rects = group.findall(f"{SVG}rect")
    return {(int(r.get("data-likelihood")), int(r.get("data-severity"))): r for r in rects}


def test_heat_map_has_two_grids_of_25_cells():
    root = parse(INHERENT, RESIDUAL)
    assert [g.get("data-grid") for g in root.iter(f"{SVG}g")] == ["inherent", "residual"]
    for grid in ("inherent", "residual"):
        assert sorted(cells(root, grid)) == [(lk, sv) for lk in range(1, 6) for sv in range(1, 6)]


@pytest.mark.parametrize(("grid", "points"), [("inherent", INHERENT), ("residual", RESIDUAL)])
def test_heat_map_cell_counts_match_the_risks(grid, points):
    expected = Counter(points)
    rects = cells(parse(INHERENT, RESIDUAL), grid)
    for position, rect in rects.items():
        assert int(rect.get("data-count")) == expected.get(position, 0), position


def test_heat_map_counts_spelled_out_for_known_cells():
    root = parse(INHERENT, RESIDUAL)
    inherent, residual = cells(root, "inherent"), cells(root, "residual")
    assert inherent[(5, 3)].get("data-count") == "3"
    assert inherent[(2, 4)].get("data-count") == "1"
    assert inherent[(3, 3)].get("data-count") == "0"
    assert residual[(3, 3)].get("data-count") == "1"
    assert residual[(5, 3)].get("data-count") == "0"
    assert residual[(4, 4)].get("data-count") == "1"
    assert inherent[(5, 3)].find(f"{SVG}title").text == "likelihood 5, severity 3: 3 risk(s)"


def test_heat_map_empty_has_only_zero_counts():
    root = parse([], [])
    for grid in ("inherent", "residual"):
        assert {r.get("data-count") for r in cells(root, grid).values()} == {"0"}


def test_heat_map_cell_shows_its_count_as_text_only_when_nonzero():
    root = parse([(5, 3), (5, 3)], [])
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-grid") == "inherent"]
    bold = [t.text for t in group.findall(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert bold == ["Inherent", "2"]


@pytest.mark.parametrize(("likelihood", "severity", "expected"), [
    (5, 3, "high"), (3, 5, "high"), (5, 5, "high"),
    (4, 2, "medium"), (2, 4, "medium"), (2, 3, "low"),
    (2, 2, "low"), (1, 1, "low"), (1, 5, "low"),
])
def test_heat_map_band_follows_the_score(likelihood, severity, expected):
    rect = cells(parse([], []), "inherent")[(likelihood, severity)]
    assert rect.get("data-band") == expected


@pytest.mark.parametrize(("score", "expected"), [
    (25, "high"), (15, "high"), (14, "medium"), (8, "medium"), (7, "low"), (4, "low"),
    (1, "low"),
])
def test_band_score_thresholds(score, expected):
    assert band(score)[1] == expected


def test_heat_map_aria_label_counts_risks():
    root = parse(INHERENT, RESIDUAL)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == ("Risk heat map: 6 risks by likelihood and severity, "
                                      "before and after safeguards")


def test_heat_map_accepts_generators():
    root = ET.fromstring(str(heat_map(iter([(1, 2)]), iter([(1, 1)]))))
    assert cells(root, "inherent")[(1, 2)].get("data-count") == "1"
    assert cells(root, "residual")[(1, 1)].get("data-count") == "1"
    assert root.get("aria-label") == ("Risk heat map: 1 risk by likelihood and severity, "
                                      "before and after safeguards")
