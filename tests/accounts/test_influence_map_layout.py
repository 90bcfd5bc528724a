"""The influence map's geometry where several arrows meet one person: the arrows arrive side
by side, and no label covers another label or a person's circle, name or caption."""

import itertools
import re

from accounts.influence_map import _label_box, _node_boxes, _overlap, influence_map_build
from accounts.models import Contact, ContactRelation

Kind = ContactRelation.Kind


def person(pk, name, influence=3, position="Manager"):
    first, last = name.split()
    return Contact(pk=pk, first_name=first, last_name=last, influence=influence, position=position)


def tie(from_, to, kind):
    return ContactRelation(from_contact_id=from_.pk, to_contact_id=to.pk, kind=kind)


def dense():
    """A boss with five reports, each of whom also influences her, with rivalries and an
    alliance in the row below and an ally beside her: nine arrows meet the boss."""
    boss = person(1, "Ewa Boss", 5, "Chief executive officer")
    peer = person(2, "Adam Peer", 4, "Chief financial officer")
    reports = [person(10 + n, f"Report Number{n}", 2 + n % 3) for n in range(5)]
    relations = [tie(peer, boss, Kind.ALLIED)]
    for report in reports:
        relations += [tie(report, boss, Kind.REPORTS_TO), tie(report, boss, Kind.INFLUENCES)]
    relations += [
        tie(reports[0], reports[1], Kind.RIVAL),
        tie(reports[1], reports[2], Kind.ALLIED),
        tie(reports[0], reports[3], Kind.INFLUENCES),
    ]
    relations.append(tie(reports[2], peer, Kind.INFLUENCES))
    return [boss, peer, *reports], relations


def test_labels_cover_neither_each_other_nor_people():
    contacts, relations = dense()
    built = influence_map_build(contacts=contacts, relations=relations)
    labels = [_label_box(edge.label, edge.label_x, edge.label_y) for edge in built.edges]
    for a, b in itertools.combinations(labels, 2):
        assert _overlap(a, b) == 0, (a, b)
    people = [box for node in built.nodes for box in _node_boxes(node)]
    for label, box in itertools.product(labels, people):
        assert _overlap(label, box) == 0, (label, box)


def test_arrows_meeting_one_person_arrive_side_by_side():
    contacts, relations = dense()
    built = influence_map_build(contacts=contacts, relations=relations)
    ends = [tuple(re.findall(r"[-\d.]+", edge.path)[-2:]) for edge in built.edges]
    starts = [tuple(re.findall(r"[-\d.]+", edge.path)[:2]) for edge in built.edges]
    points = ends + starts
    assert len(set(points)) == len(points)  # no two arrows share an end


def test_two_ties_between_the_same_two_people_are_drawn_apart():
    boss, buyer = person(1, "Ewa Boss", 5), person(2, "Jan Buyer", 2)
    built = influence_map_build(
        contacts=[boss, buyer],
        relations=[tie(buyer, boss, Kind.REPORTS_TO), tie(buyer, boss, Kind.RIVAL)],
    )
    first, second = (edge.path for edge in built.edges)
    assert first != second
    a, b = (_label_box(e.label, e.label_x, e.label_y) for e in built.edges)
    assert _overlap(a, b) == 0


def test_labels_stay_inside_the_drawing():
    contacts, relations = dense()
    built = influence_map_build(contacts=contacts, relations=relations)
    for edge in built.edges:
        left, top, right, bottom = _label_box(edge.label, edge.label_x, edge.label_y)
        assert left >= 0 and top >= 0 and right <= built.width and bottom <= built.height, edge
