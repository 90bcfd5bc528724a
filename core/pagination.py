"""Page numbers for people, at the cost of page 1 on every page, pages and API alike."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class DeepPaginator(Paginator):
    """Django's paginator, except that a page in the back half of an ordered queryset is read
    from the end: ORDER BY reversed, a small OFFSET, and the rows flipped back.

    With OFFSET the database sorts and skips every row before the page, so the last page of
    20,000 accounts cost ten times the first; read from the end it costs what the first does.
    Pages, counts and their order are exactly Django's: it only reads backwards when the
    ordering ends with the primary key, so that the reversed order is the same order backwards.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom <= self.count // 2 or not _ends_with_the_pk(rows):
            return self._get_page(rows[bottom:top], number, self)
        backwards = list(rows.reverse()[self.count - top : self.count - bottom])
        backwards.reverse()
        return self._get_page(backwards, number, self)


def _ends_with_the_pk(rows) -> bool:
    if not isinstance(rows, QuerySet):
        return False
    ordering = rows.query.order_by or (rows.query.default_ordering and rows.model._meta.ordering)
    last = ordering[-1] if ordering else None
    return isinstance(last, str) and last.lstrip("-") in {"pk", rows.model._meta.pk.attname}


class DeepPageNumberPagination(PageNumberPagination):
    """DRF's page-number pagination over `DeepPaginator`."""

    django_paginator_class = DeepPaginator
