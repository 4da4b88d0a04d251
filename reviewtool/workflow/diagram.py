"""The workflow drawn as an SVG on the server, from its definition (house style: charts.py).

States stand in a row in the file's order; a move forward is an arc above the row, a move back
an arc below it, each labelled with its trigger; a trigger from many states (withdraw) is one
bracket under the row. Plain SVG with <title>s and text, so it reads without JavaScript; the
page beside it lists every move in words (`moves`), its text alternative."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from reviewtool.workflow.definition import WorkflowDef

BOX_W, BOX_H, GAP = 104, 40, 30
STEP = BOX_W + GAP
MANY = 4  # a trigger from this many states or more is drawn as a bracket
ARC_RISE = 36  # px of height per state an arc spans, plus its own lane
PEAK = 0.75  # a cubic curve with both controls at one height peaks at 3/4 of it


def moves(definition: WorkflowDef) -> list[dict[str, object]]:
    """Every trigger in words: its label, from which states, to which, who fires it."""
    labels = {s.name: s.label for s in definition.states}
    return [{"name": t.name, "label": t.label, "from": [labels[s] for s in t.sources],
             "to": labels[t.dest], "roles": list(t.roles), "guards": list(t.guards),
             "comment": t.comment} for t in definition.triggers.values()]


def _box(x: float, y: float, label: str, name: str, terminal: bool, initial: bool) -> str:
    fill = "#eef2f6" if terminal else "#dbeafe" if initial else "#ffffff"
    stroke = "3" if initial else "1.5"
    return (f'<g class="state" data-state="{escape(name)}"><rect x="{x}" y="{y}" rx="6" '
            f'width="{BOX_W}" height="{BOX_H}" fill="{fill}" stroke="#1f2328" '
            f'stroke-width="{stroke}"><title>{escape(label)}'
            f'{" (end)" if terminal else " (start)" if initial else ""}</title></rect>'
            f'<text x="{x + BOX_W / 2}" y="{y + BOX_H / 2 + 4}" text-anchor="middle">'
            f'{escape(label)}</text></g>')


def diagram(definition: WorkflowDef) -> Markup:
    """The workflow as one SVG: states, and every trigger between them."""
    states = [s.name for s in definition.states]
    index = {name: i for i, name in enumerate(states)}
    edges = [(t, s) for t in definition.triggers.values() if len(t.sources) < MANY
             for s in t.sources]
    brackets = [t for t in definition.triggers.values() if len(t.sources) >= MANY]
    def reach(forward: bool) -> int:
        return max((abs(index[t.dest] - index[s]) for t, s in edges
                    if (index[t.dest] > index[s]) == forward), default=0)

    row_y = PEAK * (ARC_RISE * reach(True) + 22 * 3 + 40) + 24  # room for the tallest forward arc
    below = PEAK * (ARC_RISE * reach(False) + 40) + 24
    down = below + 30 * len(brackets) + 10
    width = len(states) * STEP + GAP
    height = row_y + BOX_H + down
    label = (f"Workflow '{definition.name}' (version {definition.version}): "
             f"{len(states)} states and {len(definition.triggers)} triggers; "
             "every move is listed in the table below the diagram")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(label)}" font-family="sans-serif" font-size="12">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#1f2328"/></marker></defs>']
    x_of = {name: GAP + i * STEP for i, name in enumerate(states)}
    lanes: dict[tuple[str, bool], int] = {}  # arcs already leaving a state on each side
    for trigger, source in edges:
        a, b = x_of[source] + BOX_W / 2, x_of[trigger.dest] + BOX_W / 2
        forward = index[trigger.dest] > index[source]
        lane = lanes[source, forward] = lanes.get((source, forward), -1) + 1
        # each further arc from one state flies higher, so its label clears the one before
        rise = ARC_RISE * abs(index[trigger.dest] - index[source]) + 22 * lane + 4
        y0 = row_y if forward else row_y + BOX_H
        apex = y0 - rise if forward else y0 + rise
        shift = 10 if forward else -10  # leave and arrive off-centre: arcs do not share ends
        d = f"M{a + shift},{y0} C{a + shift},{apex} {b - shift},{apex} {b - shift},{y0}"
        colour = "#1f2328" if forward else "#9a6700"
        # the label sits just above (below) the curve's highest (lowest) point
        text_y = y0 - PEAK * rise - 4 if forward else y0 + PEAK * rise + 13
        parts.append(f'<g class="move" data-trigger="{escape(trigger.name)}" '
                     f'data-from="{escape(source)}" data-to="{escape(trigger.dest)}">'
                     f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.5" '
                     f'marker-end="url(#arrow)"><title>{escape(trigger.label)}: '
                     f'{escape(source)} to {escape(trigger.dest)}</title></path>'
                     f'<text x="{(a + b) / 2}" y="{text_y}" '
                     f'text-anchor="middle" font-size="11" fill="{colour}" '
                     f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                     f'{escape(trigger.label)}</text></g>')
    for number, trigger in enumerate(brackets):
        y = row_y + BOX_H + below + 30 * number
        xs = [x_of[s] + BOX_W / 2 for s in trigger.sources]
        dest = x_of[trigger.dest] + BOX_W / 2
        ticks = "".join(f'<line x1="{x}" y1="{row_y + BOX_H}" x2="{x}" y2="{y}" '
                        f'stroke="#8c959f" stroke-dasharray="3 3"/>' for x in xs)
        parts.append(f'<g class="move" data-trigger="{escape(trigger.name)}" '
                     f'data-from="{escape(" ".join(trigger.sources))}" '
                     f'data-to="{escape(trigger.dest)}">{ticks}'
                     f'<path d="M{min(xs)},{y} H{dest} V{row_y + BOX_H}" fill="none" '
                     f'stroke="#8c959f" stroke-width="1.5" marker-end="url(#arrow)">'
                     f'<title>{escape(trigger.label)}: from every state before the end</title>'
                     f'</path><text x="{min(xs)}" y="{y + 14}" font-size="11">'
                     f'{escape(trigger.label)} (from {len(trigger.sources)} states)</text></g>')
    for state in definition.states:
        parts.append(_box(x_of[state.name], row_y, state.label, state.name, state.terminal,
                          state.initial))
    parts.append("</svg>")
    return Markup("".join(parts))
