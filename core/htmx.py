"""The one htmx check of the list pages (django-htmx's `request.htmx`)."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    """htmx asks for a fragment, except when restoring history: then it needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_list(request, *, template: str, fragment: str, context: dict):
    """`fragment` for htmx, else the page; `Vary: HX-Request` so that a cache (or the
    browser's back button) never serves the fragment for the page at the URL htmx pushed."""
    response = render(request, fragment if wants_fragment(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
