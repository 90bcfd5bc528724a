"""Reads for complaints."""

from django.db.models import (
    QuerySet,
)

from team.models import User

from ..models import (
    Complaint,
)


def complaints_for_listing(*, user: User) -> QuerySet[Complaint]:
    return (
        Complaint.objects.visible_to(user)
        .select_related("account", "contact")
        .order_by("-opened_on", "-pk")
    )
