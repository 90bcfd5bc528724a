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


def _anchor(node: Node, toward: Node) -> tuple[float, float]:
    """Where an edge leaves or enters a node: below its caption when it goes down."""
    if toward.y > node.y:
        return node.x, node.y + node.radius + LABEL_HEIGHT
    if toward.y < node.y:
        return node.x, node.y - node.radius - 4
    side = 1 if toward.x > node.x else -1
    return node.x + side * (node.radius + 4), node.y


def _route(start: Node, end: Node, nth: int) -> tuple[str, float, float]:
    """A curve from `start` to `end`; the nth edge between the same two people bends further,
    and edges within one row arc above it so they do not cross the people between."""
    x1, y1 = _anchor(start, end)
    x2, y2 = _anchor(end, start)
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    bend = (nth + 1) // 2 * (1 if nth % 2 else -1) * 36
    if start.y == end.y:
        bend = -(abs(bend) + 40 + length / 6) * (1 if dx > 0 else -1)
    # Control point: the midpoint pushed sideways (perpendicular to the edge) by `bend`.
    cx = (x1 + x2) / 2 - dy / length * bend
    cy = (y1 + y2) / 2 + dx / length * bend
    # A quadratic curve passes halfway to its control point at its middle.
    label_x = (x1 + x2) / 4 + cx / 2
    label_y = (y1 + y2) / 4 + cy / 2
    path = f"M {x1:.1f} {y1:.1f} Q {cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"
    return path, round(label_x, 1), round(label_y - 4, 1)


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

    edges = []
    parallel: dict[frozenset, int] = {}
    for relation in relations:
        start, end = nodes.get(relation.from_contact_id), nodes.get(relation.to_contact_id)
        if start is None or end is None:
            continue
        pair = frozenset((start.contact_id, end.contact_id))
        nth = parallel[pair] = parallel.get(pair, -1) + 1
        stroke, dash = EDGE_STYLE.get(relation.kind, EDGE_STYLE["influences"])
        path, label_x, label_y = _route(start, end, nth)
        edges.append(
            Edge(
                kind=relation.kind,
                label=relation.get_kind_display(),
                path=path,
                label_x=label_x,
                label_y=label_y,
                stroke=stroke,
                dash=dash,
            )
        )
    return InfluenceMap(
        width=int(width), height=int(height), nodes=list(nodes.values()), edges=edges
    )
