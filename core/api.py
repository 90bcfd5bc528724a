"""API plumbing shared by every app: errors from services become 400s with field errors, and
edit conflicts 409s."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import EditConflict


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        # 409: the input was fine, but it was made from a copy someone has since changed.
        body = {"detail": exc.messages[0], "current_version": exc.current_version}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(_error_detail(exc))
    return drf_exception_handler(exc, context)


def _error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """Django's errors keyed as DRF keys them: model-wide ones under `non_field_errors`."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    detail = dict(exc.message_dict)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = [
            *detail.get(api_settings.NON_FIELD_ERRORS_KEY, []),
            *detail.pop(NON_FIELD_ERRORS),
        ]
    return detail


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved only among the records `scope(user)` returns.

    An id outside the user's scope gets the same "does not exist" answer as an unknown one.
    Records the user may see but not change resolve, so the service answers 403 for them.
    """

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


class ScopedObjectMixin:
    """Objects come from the access module: outside scope 404, read-only 403 on writes."""

    get_for_user = None

    def get_object(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return type(self).get_for_user(self.request.user, self.kwargs["pk"], write=write)
