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
COLUMN_WIDTH = 180
ROW_HEIGHT = 150
MARGIN = 60


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
    x1: float
    y1: float
    x2: float
    y2: float
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
    height = max(len(rows), 1) * ROW_HEIGHT + MARGIN

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
    for relation in relations:
        start, end = nodes.get(relation.from_contact_id), nodes.get(relation.to_contact_id)
        if start is None or end is None:
            continue
        dx, dy = end.x - start.x, end.y - start.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        stroke, dash = EDGE_STYLE.get(relation.kind, EDGE_STYLE["influences"])
        x1, y1 = start.x + ux * start.radius, start.y + uy * start.radius
        x2, y2 = end.x - ux * (end.radius + 4), end.y - uy * (end.radius + 4)
        edges.append(
            Edge(
                kind=relation.kind,
                label=relation.get_kind_display(),
                x1=round(x1, 1),
                y1=round(y1, 1),
                x2=round(x2, 1),
                y2=round(y2, 1),
                label_x=round((x1 + x2) / 2 - uy * 10, 1),
                label_y=round((y1 + y2) / 2 + ux * 10, 1),
                stroke=stroke,
                dash=dash,
            )
        )
    return InfluenceMap(
        width=int(width), height=int(height), nodes=list(nodes.values()), edges=edges
    )
