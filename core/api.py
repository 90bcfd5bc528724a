"""API plumbing shared by every app: errors from services become 400s with field errors, edit
conflicts 409s, and bodies that would break the parser or the renderer 400s."""

import codecs
import json
import math

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, renderers, serializers, status
from rest_framework.exceptions import ParseError
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


class VersionedSerializerMixin(serializers.Serializer):
    """`version`: read it with the record, send it back with a change; a change made from a
    version someone has saved since is refused with 409 and the `current_version`. A change
    sent without it is applied field by field (only the fields sent are written)."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The version you read. If someone saved the record since, the change is "
        "refused with 409 Conflict and `current_version`; read it again and resend.",
    )


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


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def _lone_surrogate(data) -> bool:
    """Whether any string (or key) in the parsed body cannot be encoded as UTF-8. Walked
    without recursion: the body may be as deep as the parser allowed."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


class JSONParser(parsers.JSONParser):
    """DRF's parser, with the bodies it let through to a 500 refused as a 400: numbers beyond
    a float (1e309 becomes infinity, then an overflow in a lookup), nesting deeper than
    Python's stack, and lone surrogates ("\\ud800"), which no response can echo back."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
            )
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if _lone_surrogate(data):
            raise ParseError(_("JSON parse error - text must be valid Unicode."))
        return data


class JSONRenderer(renderers.JSONRenderer):
    """Never fails on text it cannot encode as UTF-8: it is escaped instead."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return json.dumps(data, cls=self.encoder_class, ensure_ascii=True).encode("ascii")
