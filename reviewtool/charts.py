"""SVG charts drawn on the server: the 5 x 5 risk heat map (inherent beside residual).

Plain SVG strings with a <title> and text in every cell, so they work without JavaScript, in
screen readers (role="img" with a label) and in WeasyPrint for the memo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

from markupsafe import Markup

CELL = 34
PAD = 44  # room for the axis labels
GAP = 40
BANDS = ((15, "#f4b4ad", "high"), (8, "#fbd9a5", "medium"), (1, "#cfe8cf", "low"))


def band(score: int) -> tuple[str, str]:
    """The fill colour and name of a likelihood x severity score."""
    for floor, colour, name in BANDS:
        if score >= floor:
            return colour, name
    return BANDS[-1][1], BANDS[-1][2]


def _grid(title: str, points: Iterable[tuple[int, int]], x0: int) -> list[str]:
    counts = Counter(points)
    parts = [f'<g class="grid" data-grid="{escape(title.lower())}">',
             f'<text x="{x0 + PAD + 2.5 * CELL}" y="14" text-anchor="middle" '
             f'font-weight="bold">{escape(title)}</text>']
    for likelihood in range(1, 6):
        for severity in range(1, 6):
            x = x0 + PAD + (likelihood - 1) * CELL
            y = 22 + (5 - severity) * CELL  # severity grows upwards
            colour, name = band(likelihood * severity)
            count = counts.get((likelihood, severity), 0)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{colour}" '
                f'stroke="#fff" data-likelihood="{likelihood}" data-severity="{severity}" '
                f'data-count="{count}" data-band="{name}"><title>likelihood {likelihood}, '
                f'severity {severity}: {count} risk(s)</title></rect>')
            if count:
                parts.append(f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 5}" '
                             f'text-anchor="middle" font-weight="bold">{count}</text>')
    for n in range(1, 6):
        parts.append(f'<text x="{x0 + PAD + (n - 0.5) * CELL}" y="{22 + 5 * CELL + 14}" '
                     f'text-anchor="middle" font-size="11">{n}</text>')
        parts.append(f'<text x="{x0 + PAD - 8}" y="{22 + (5.5 - n) * CELL + 4}" '
                     f'text-anchor="end" font-size="11">{n}</text>')
    parts.append(f'<text x="{x0 + PAD + 2.5 * CELL}" y="{22 + 5 * CELL + 30}" '
                 f'text-anchor="middle" font-size="11">likelihood</text>')
    parts.append(f'<text x="{x0 + 12}" y="{22 + 2.5 * CELL}" font-size="11" '
                 f'transform="rotate(-90 {x0 + 12} {22 + 2.5 * CELL})" '
                 f'text-anchor="middle">severity</text>')
    parts.append("</g>")
    return parts


def heat_map(inherent: Iterable[tuple[int, int]], residual: Iterable[tuple[int, int]]) -> Markup:
    """Two 5 x 5 grids, before and after safeguards; each cell shows how many risks sit there."""
    inherent, residual = list(inherent), list(residual)
    width = 2 * (PAD + 5 * CELL) + GAP
    height = 22 + 5 * CELL + 40
    count = f"{len(inherent)} risk{'' if len(inherent) == 1 else 's'}"
    label = f"Risk heat map: {count} by likelihood and severity, before and after safeguards"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(label)}" font-family="sans-serif" font-size="12">',
             *_grid("Inherent", inherent, 0),
             *_grid("Residual", residual, PAD + 5 * CELL + GAP), "</svg>"]
    return Markup("".join(parts))


# key, legend, colour, dash pattern
SERIES = (("concern_pct", "Concern %", "#b42318", ""),
          ("weighted_concern_pct", "Confidence-weighted concern %", "#9a6700", "6 4"),
          ("optimism_pct", "Optimism %", "#1a7f37", "2 3"))
CHAR_WIDTH = 7.0  # px per character of the 11 px legend text, generous for DejaVu Sans


def legend_offsets(names: list[str]) -> list[float]:
    """Where each legend entry starts: after the one before, its swatch and a gap, so that
    no name runs into the next (whatever the font's exact widths)."""
    offsets, x = [], 0.0
    for name in names:
        offsets.append(x)
        x += 14 + len(name) * CHAR_WIDTH + 18
    return offsets


def trajectory(rounds: list[dict]) -> Markup:
    """A line chart of concern, weighted concern and optimism per round (0-100 %)."""
    width, height, left, top, plot_h = 480, 230, 44, 16, 160
    step = (width - left - 24) / max(1, len(rounds) - 1)
    x_of = {r["number"]: left + (i * step if len(rounds) > 1 else (width - left) / 2 - 12)
            for i, r in enumerate(rounds)}

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - value / 100), 1)

    label = "Concern and optimism per review round: " + "; ".join(
        f"round {r['number']}: concern {r.get('concern_pct')}%, optimism "
        f"{r.get('optimism_pct')}%" for r in rounds)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trajectory" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(label)}" font-family="sans-serif" font-size="11">']
    for pct in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{y_of(pct)}" y2="{y_of(pct)}" '
                     f'stroke="#d0d7de"/><text x="{left - 6}" y="{y_of(pct) + 4}" '
                     f'text-anchor="end">{pct}</text>')
    for r in rounds:
        parts.append(f'<text x="{x_of[r["number"]]}" y="{top + plot_h + 18}" '
                     f'text-anchor="middle">Round {r["number"]}</text>')
    offsets = legend_offsets([name for _, name, _, _ in SERIES])
    for (key, name, colour, dash), offset in zip(SERIES, offsets, strict=True):
        points = [(x_of[r["number"]], y_of(r[key]), r["number"], r[key]) for r in rounds
                  if r.get(key) is not None]
        if len(points) > 1:
            path = " ".join(f"{x},{y}" for x, y, _, _ in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                         f'stroke-dasharray="{dash}" points="{path}"/>')
        for x, y, number, value in points:
            parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}" '
                         f'data-series="{key}" data-round="{number}" data-value="{value}">'
                         f'<title>{escape(name)}, round {number}: {value}</title></circle>')
        parts.append(f'<rect x="{left + offset}" y="{height - 14}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + offset + 14}" y="{height - 5}">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
