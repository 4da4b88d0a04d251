"""The portfolio's SVG charts, drawn on the server: horizontal bars, one group per row, with
the value written beside every bar, so they read without JavaScript and in screen readers
(role="img", an aria-label that says every figure, and a <title>). A group with too few
projects to compare is drawn washed out and says so."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, LABEL_W, VALUE_W = 680, 230, 70
BAR_H, GAP, TOP = 14, 12, 28
FADED = ' fill-opacity="0.3"'  # a small group's bars: the series' colour, washed out
# (row key, legend, colour) of the series a chart may draw
PALETTE = ("#b42318", "#1a7f37", "#0b5cad", "#9a6700", "#6e40c9")


def _number(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value}{unit}"


def bar_chart(title: str, rows: Sequence[dict[str, Any]],
              series: Sequence[tuple[str, str]], *, unit: str = "%",
              maximum: float | None = None, note: str = "",
              colours: Sequence[str] = PALETTE) -> Markup:
    """Bars of `series` ((key, name) pairs read from each row) for each row (with `label`,
    and `too_few` to grey it out); values run from 0 to `maximum` (100 for percentages, else
    the largest value); `colours` gives each series its colour."""
    top_value = maximum if maximum is not None else max(
        [row.get(key) or 0 for row in rows for key, _ in series] + [1])
    group_h = max(2, len(series)) * BAR_H + GAP  # room for "too few to compare"
    height = TOP + max(1, len(rows)) * group_h + 24
    plot_w = WIDTH - LABEL_W - VALUE_W
    described = []
    for row in rows:
        values = ", ".join(f"{name} {_number(row.get(key), unit)}" for key, name in series)
        extra = (f" ({row['projects']} project{'' if row['projects'] == 1 else 's'})"
                 if "projects" in row else "")
        described.append(f"{row['label']}: {values}{extra}"
                         + ("; too few to compare" if row.get("too_few") else ""))
    label = f"{title}. " + ("; ".join(described) if described else "No data.")
    if note:
        label += f" {note}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="portfolio-chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'aria-label="{escape(label)}" font-family="sans-serif" font-size="12">',
             f"<title>{escape(label)}</title>"]
    for i, (_key, name) in enumerate(series):  # the legend
        x = LABEL_W + i * 170
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colours[i]}"/>'
                     f'<text x="{x + 14}" y="15">{escape(name)}</text>')
    if not rows:
        parts.append(f'<text x="{LABEL_W}" y="{TOP + 12}">No projects match.</text>')
    for r, row in enumerate(rows):
        y0 = TOP + r * group_h
        faded = bool(row.get("too_few"))
        parts.append(f'<g class="group{" too-few" if faded else ""}" '
                     f'data-key="{escape(str(row.get("key", "")))}">')
        name_text = row["label"] if len(row["label"]) <= 36 else row["label"][:35] + "…"
        parts.append(f'<text x="{LABEL_W - 8}" y="{y0 + BAR_H - 2}" text-anchor="end" '
                     f'fill="{"#57606a" if faded else "#1b1f24"}">{escape(name_text)}</text>')
        if faded:
            parts.append(f'<text x="{LABEL_W - 8}" y="{y0 + 2 * BAR_H - 2}" '
                         f'text-anchor="end" font-size="10" fill="#57606a">too few to '
                         f'compare</text>')
        for i, (key, name) in enumerate(series):
            value = row.get(key)
            y = y0 + i * BAR_H
            width = 0 if not value else round(plot_w * min(value, top_value) / top_value, 1)
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{width}" height="{BAR_H - 2}" '
                         f'fill="{colours[i]}"{FADED if faded else ""} '
                         f'data-series="{escape(key)}" '
                         f'data-value="{"" if value is None else value}">'
                         f'<title>{escape(row["label"])}, {escape(name)}: '
                         f'{_number(value, unit)}</title></rect>')
            parts.append(f'<text x="{LABEL_W + width + 4}" y="{y + BAR_H - 3}" '
                         f'font-size="11">{_number(value, unit)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
