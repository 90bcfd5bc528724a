"""`{% report_request_button "kind" obj %}`: a page's "prepare this report" button, shown only
to users the kind lets ask (see ReportKind.button), with no rules in the page's template."""

from django import forms, template
from django.utils.translation import gettext as _

from .. import registry
from ..forms import RequestOptionsForm

register = template.Library()


@register.inclusion_tag("reports/partials/request_button.html", takes_context=True)
def report_request_button(context, kind: str, obj, **page):
    """`obj` is the page's object; a page that shows more than one (a period of a KAM) names
    the others, and the kind's `button` then gets `{"object": obj, **page}`."""
    return request_button_context(
        context["request"], kind, {"object": obj, **page} if page else obj
    )


def request_button_context(request, kind: str, obj) -> dict:
    """What `reports/partials/request_button.html` draws for `kind` on `obj`'s page."""
    report_kind = registry.kind_get(kind)
    parameters = report_kind.button(request.user, obj)
    if parameters is None:
        return {"allowed": False}
    form = report_kind.form(initial=parameters, auto_id=f"id_{kind}_%s")
    if report_kind.field_choices:
        for name, choices in report_kind.field_choices(request.user, obj).items():
            if len(choices) > 1:
                form.fields[name].widget.choices = choices
            else:  # nobody to choose: no field
                form.fields[name].widget = forms.HiddenInput()
    return {
        "allowed": True,
        "kind": report_kind,
        "parameters": parameters,
        "form": form,
        "label": report_kind.button_label or _("%(title)s (PDF)") % {"title": report_kind.title},
        "options": RequestOptionsForm(auto_id=f"id_{kind}_%s"),
        "next": request.get_full_path(),
    }
