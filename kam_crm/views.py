"""Pages that compose every app: the global search."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from core.search import search_everywhere


@require_GET
def search(request):
    text = request.GET.get("q", "")
    groups = search_everywhere(user=request.user, text=text)
    # The box in the navigation asks for the results alone; the page works without script.
    fragment = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "search/partials/results.html" if fragment else "search/results.html"
    response = render(request, template, {"q": text.strip(), "groups": groups})
    patch_vary_headers(response, ["HX-Request"])
    return response
