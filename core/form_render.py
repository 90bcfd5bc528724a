"""A form renderer that draws Django's own widget, label, error and field templates in Python.

The account page shows several small forms (the quick activity log, the collection action, the
tier override, the report requests), and drawing them through the template engine, one
`{% include %}` per widget, option and attribute list, cost about a tenth of the page's time.
`FastFormRenderer` gives the same HTML, character for character, for the templates below
(`tests/core/test_form_render.py` compares it with the template engine on every widget and
form the account page draws, bound with errors and unbound), and hands every other template,
a project's own widget templates among them, to the template engine as before.
"""

from types import SimpleNamespace

from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

from .forms import NoTruncationFormRenderer

# What the form renderer's template engine renders a variable with (`make_context` of a plain
# dict: autoescaping on, the active locale's formats, the current time zone).
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)

_WIDGETS = "django/forms/widgets/"
_INPUTS = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "password.html",
        "hidden.html",
        "date.html",
        "datetime.html",
        "time.html",
        "checkbox.html",
        "search.html",
        "tel.html",
        "color.html",
    )
)


def _var(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _s(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe string safe)."""
    text = str(value)  # what `"%s" % value` gives, a tuple's included
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs) -> str:
    """`django/forms/attrs.html` and `django/forms/widgets/attrs.html` (none: nothing)."""
    if not attrs:
        return ""
    return "".join(
        f" {_var(name)}" if value is True else f' {_var(name)}="{_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    value = widget["value"]
    shown = f' value="{_s(value)}"' if value != None else ""  # noqa: E711 (the template's test)
    head = f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"'
    return f"{head}{shown}{_attrs(widget['attrs'])}>"


def _textarea(widget) -> str:
    text = _var(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _option(option) -> str:
    return (
        f'<option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_var(option['label'])}</option>"
    )


def _select(widget) -> str | None:
    parts = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _WIDGETS + "select_option.html":
                return None
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _widget(widget) -> str | None:
    """One widget's HTML as its template gives it, or None for a template not drawn here."""
    name = widget["template_name"]
    if name in _INPUTS:
        return _input(widget)
    if name == _WIDGETS + "textarea.html":
        return _textarea(widget)
    if name in (_WIDGETS + "select.html", _WIDGETS + "select_multiple.html"):
        return _select(widget)
    if name in (_WIDGETS + "multiwidget.html", _WIDGETS + "splitdatetime.html"):
        parts = [_widget(sub) for sub in widget["subwidgets"]]
        if None in parts:
            return None
        # `{% spaceless %}` between the subwidgets' tags; each is one tag, so only the joins.
        return "".join(parts)
    return None


def _label(context) -> str:
    if not context["use_tag"]:
        return _var(context["label"])
    tag = _var(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_var(context['label'])}</{tag}>"


def _field(field) -> str | None:
    """`django/forms/field.html` outside a fieldset: the label, help text, errors and widget,
    one a line as the template's lines give them (the renderer strips the ends)."""
    if field.use_fieldset:
        return None
    label = field.label_tag() if field.label else ""
    helptext = ""
    if field.help_text:
        helptext_id = f' id="{_var(field.auto_id)}_helptext"' if field.auto_id else ""
        helptext = f'<div class="helptext"{helptext_id}>{field.help_text}</div>'
    return f"\n  {label}\n\n{helptext}\n{_var(field.errors)}\n{_var(field)}\n"


class FastFormRenderer(NoTruncationFormRenderer):
    """NoTruncationFormRenderer, with Django's plain widget, label, error-list and field
    templates drawn in Python; any other template goes through the template engine."""

    def render(self, template_name, context, request=None):
        html = None
        if request is None and isinstance(context, dict):
            html = self._fast(template_name, context)
        if html is None:
            return super().render(template_name, context, request=request)
        return html.strip()

    def _fast(self, template_name, context) -> str | None:
        widget = context.get("widget")
        if isinstance(widget, dict) and widget.get("template_name") == template_name:
            if "maxlength" in widget.get("attrs", {}):
                attrs = dict(widget["attrs"])
                attrs["data-maxlength"] = attrs.pop("maxlength")
                widget = {**widget, "attrs": attrs}
            return _widget(widget)
        if template_name == "django/forms/label.html":
            return _label(context)
        if template_name in (
            "django/forms/errors/list/default.html",
            "django/forms/errors/list/ul.html",
        ):
            return "" if not context["errors"] else None
        if template_name == "django/forms/field.html" and set(context) == {"field"}:
            return _field(context["field"])
        return None
