"""Lay out an account's influence map: people as circles, relations as labelled arrows.

The layout is an org chart: each person sits one row below the person they report to, so
the decision structure reads top-down; other ties (influence, alliances, rivalries) are drawn
across it. Pure geometry, no queries: the template renders the result as inline SVG.
"""

import math
from dataclasses import dataclass

from .models import Contact, ContactRelation

ATTITUDE_FILL = {
    Contact.Attitude.SUPPORTER: "#2e9d5b",
    Contact.Attitude.NEUTRAL: "#8a94a6",
    Contact.Attitude.OPPONENT: "#d64545",
}
EDGE_STYLE = {  # stroke colour, dash pattern
    ContactRelation.Kind.REPORTS_TO: ("#4b5563", ""),
    ContactRelation.Kind.INFLUENCES: ("#2563eb", "6 4"),
    ContactRelation.Kind.ALLIED: ("#2e9d5b", ""),
    ContactRelation.Kind.RIVAL: ("#d64545", "3 3"),
}
COLUMN_WIDTH = 190
ROW_HEIGHT = 170
MARGIN = 60
LABEL_HEIGHT = 36  # name and caption under each circle


@dataclass(frozen=True)
class Node:
    contact_id: int
    x: float
    y: float
    radius: float
    fill: str
    name: str
    caption: str
    badges: str


@dataclass(frozen=True)
class Edge:
    kind: str
    label: str
    path: str  # SVG path data: a straight line or a quadratic curve
    label_x: float
    label_y: float
    stroke: str
    dash: str


@dataclass(frozen=True)
class InfluenceMap:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def _radius(influence: int) -> float:
    return 14 + 5 * influence


Box = tuple[float, float, float, float]  # left, top, right, bottom

ANCHOR_SPREAD = 22  # px between the ends of the arrows that meet one person on one side
LABEL_CHAR_WIDTH = 6.2  # of an edge label at font-size 11
LABEL_LINE = 14
# Where along its curve an edge's label may sit, best first, and how far off it may move.
LABEL_STOPS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)
LABEL_NUDGES = (0, -13, 13)


def _side(node: Node, toward: Node) -> str:
    if toward.y > node.y:
        return "bottom"
    if toward.y < node.y:
        return "top"
    return "right" if toward.x > node.x else "left"


def _anchor(node: Node, side: str, offset: float) -> tuple[float, float]:
    """Where an edge leaves or enters a node on `side`: below its caption when it goes down,
    on the circle otherwise; `offset` moves it along that side, so arrows meeting one person
    arrive side by side instead of in one point."""
    r = node.radius
    if side == "bottom":
        return node.x + offset, node.y + r + LABEL_HEIGHT
    offset = max(-0.85 * r, min(0.85 * r, offset))
    across = math.sqrt(max(r * r - offset * offset, 0)) + 4
    if side == "top":
        return node.x + offset, node.y - across
    return node.x + (across if side == "right" else -across), node.y + offset


def _spread(ends: list[tuple[float, int]]) -> dict[int, float]:
    """Offsets for the edge ends meeting on one side of a node, ordered by where the other
    person stands (so they do not cross on arrival), centred on the side."""
    ends = sorted(ends)
    middle = (len(ends) - 1) / 2
    return {key: (index - middle) * ANCHOR_SPREAD for index, (_, key) in enumerate(ends)}


def _curve(start: tuple[float, float], end: tuple[float, float], nth: int, same_row: bool):
    """A quadratic curve between two anchors: the control point. Edges between two rows run
    straight (several between the same two people already start and end side by side);
    edges within one row arc above it, the nth between the same two people higher, so they
    do not cross the people between."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    bend = 0.0
    if same_row:
        bend = -(nth * 30 + 40 + length / 6) * (1 if dx > 0 else -1)
    # Control point: the midpoint pushed sideways (perpendicular to the edge) by `bend`.
    return (x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend


def _point(start, control, end, t: float) -> tuple[float, float]:
    u = 1 - t
    return (
        u * u * start[0] + 2 * u * t * control[0] + t * t * end[0],
        u * u * start[1] + 2 * u * t * control[1] + t * t * end[1],
    )


def _label_box(label: str, x: float, y: float) -> Box:
    """The box of an edge label whose baseline is centred on (x, y)."""
    half = (len(label) * LABEL_CHAR_WIDTH + 6) / 2
    return x - half, y - 11, x + half, y + 3


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _node_boxes(node: Node) -> list[Box]:
    """What of a person the labels must not cover: the circle, the name and the caption."""
    r = node.radius
    name = len(node.name) * 7.2 / 2 + 4
    caption = min(len(node.caption), 28) * 5.6 / 2 + 4
    return [
        (node.x - r, node.y - r, node.x + r, node.y + r),
        (node.x - name, node.y + r + 4, node.x + name, node.y + r + 20),
        (node.x - caption, node.y + r + 20, node.x + caption, node.y + r + 34),
    ]


def _outside(box: Box, width: float, height: float) -> float:
    """How much of `box` lies outside the drawing (it would be cut off)."""
    inside = _overlap(box, (0, 0, width, height))
    return (box[2] - box[0]) * (box[3] - box[1]) - inside


def _place_label(
    label: str, start, control, end, taken: list[Box], size: tuple[float, float]
) -> tuple[float, float]:
    """The first spot along the edge where its label covers no other label and no person and
    stays inside the drawing; failing that, the spot that covers least."""
    best, best_cost = None, math.inf
    for t in LABEL_STOPS:
        x, y = _point(start, control, end, t)
        for nudge in LABEL_NUDGES:
            box = _label_box(label, x, y - 4 + nudge)
            cost = sum(_overlap(box, other) for other in taken) + 10 * _outside(box, *size)
            if cost < best_cost:
                best, best_cost = (x, y - 4 + nudge), cost
            if cost == 0:
                break
        if best_cost == 0:
            break
    taken.append(_label_box(label, *best))
    return round(best[0], 1), round(best[1], 1)


def _levels(contacts: list[Contact], relations: list[ContactRelation]) -> dict[int, int]:
    """Depth of each person in the reporting line; cycles and strangers stay on top."""
    boss = {
        r.from_contact_id: r.to_contact_id
        for r in relations
        if r.kind == ContactRelation.Kind.REPORTS_TO
    }
    levels = {}
    for contact in contacts:
        depth, current, seen = 0, contact.pk, {contact.pk}
        while current in boss and boss[current] not in seen:
            current = boss[current]
            seen.add(current)
            depth += 1
        levels[contact.pk] = depth
    return levels


def influence_map_build(
    *, contacts: list[Contact], relations: list[ContactRelation]
) -> InfluenceMap:
    levels = _levels(contacts, relations)
    rows: dict[int, list[Contact]] = {}
    for contact in sorted(contacts, key=lambda c: (-c.influence, c.last_name, c.pk)):
        rows.setdefault(levels[contact.pk], []).append(contact)
    widest = max((len(row) for row in rows.values()), default=1)
    width = max(widest * COLUMN_WIDTH, 2 * COLUMN_WIDTH) + 2 * MARGIN
    height = MARGIN + (max(len(rows), 1) - 1) * ROW_HEIGHT + _radius(5) + LABEL_HEIGHT + 20

    nodes: dict[int, Node] = {}
    for depth, row in sorted(rows.items()):
        step = (width - 2 * MARGIN) / len(row)
        for index, contact in enumerate(row):
            badges = " ".join(
                badge for badge, on in (("VIP", contact.is_vip), ("KOL", contact.is_kol)) if on
            )
            nodes[contact.pk] = Node(
                contact_id=contact.pk,
                x=round(MARGIN + step * (index + 0.5), 1),
                y=round(MARGIN + depth * ROW_HEIGHT, 1),
                radius=_radius(contact.influence),
                fill=ATTITUDE_FILL.get(contact.attitude, ATTITUDE_FILL["neutral"]),
                name=contact.full_name,
                caption=contact.position or contact.get_decision_role_display(),
                badges=badges,
            )

    pairs = []
    parallel: dict[frozenset, int] = {}
    for relation in relations:
        start, end = nodes.get(relation.from_contact_id), nodes.get(relation.to_contact_id)
        if start is None or end is None:
            continue
        pair = frozenset((start.contact_id, end.contact_id))
        nth = parallel[pair] = parallel.get(pair, -1) + 1
        pairs.append((relation, start, end, nth))

    # Spread the ends of the edges meeting one person on one side.
    ends: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for index, (_, start, end, _) in enumerate(pairs):
        ends.setdefault((start.contact_id, _side(start, end)), []).append((end.x, 2 * index))
        ends.setdefault((end.contact_id, _side(end, start)), []).append((start.x, 2 * index + 1))
    offsets: dict[int, float] = {}
    for group in ends.values():
        offsets.update(_spread(group))

    taken = [box for node in nodes.values() for box in _node_boxes(node)]
    edges = []
    for index, (relation, start, end, nth) in enumerate(pairs):
        a = _anchor(start, _side(start, end), offsets[2 * index])
        b = _anchor(end, _side(end, start), offsets[2 * index + 1])
        control = _curve(a, b, nth, same_row=start.y == end.y)
        label = relation.get_kind_display()
        label_x, label_y = _place_label(label, a, control, b, taken, (width, height))
        stroke, dash = EDGE_STYLE.get(relation.kind, EDGE_STYLE["influences"])
        edges.append(
            Edge(
                kind=relation.kind,
                label=label,
                path=f"M {a[0]:.1f} {a[1]:.1f} Q {control[0]:.1f} {control[1]:.1f} "
                f"{b[0]:.1f} {b[1]:.1f}",
                label_x=label_x,
                label_y=label_y,
                stroke=stroke,
                dash=dash,
            )
        )
    return InfluenceMap(
        width=int(width), height=int(height), nodes=list(nodes.values()), edges=edges
    )
