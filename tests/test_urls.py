"""Every URL the project routes turns an anonymous visitor away, except a short list of public ones.

The list of URLs comes from the resolver, so a new app's pages and API are covered as soon as
they are routed: pages redirect to the login page, the API answers 401.
"""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize

PUBLIC = {
    "login",
    "healthz",  # the load balancer's probe
    # "Forgot password?": asked for, and answered, before anyone is logged in
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "activities:calendar_feed",  # a calendar app has no session: the token in the URL is the key
    "admin:login",
    "javascript-catalog",  # the translations of app.js, needed on the login page too
}
# Under /api/ but opened in a browser: redirects to the login page like any page.
BROWSER_PAGES_UNDER_API = {"api-docs"}

# Tried in turn for a path converter (the first its regex accepts); a regex group gets "1"
# unless named here (the API's format suffix, the admin's app index).
DUMMIES = ["1", "x", str(uuid.UUID(int=1)), ".json"]
DUMMY_BY_REGEX_GROUP = {"format": "json", "app_label": "team"}


def _dummy(converter) -> str:
    for value in DUMMIES:
        if re.fullmatch(converter.regex, value):
            return value
    raise AssertionError(f"no dummy value for {converter!r}: add one to DUMMIES")


def _fill(pattern) -> str:
    """The pattern's URL part with each parameter replaced by a value it accepts."""
    template, params = normalize(pattern.regex.pattern)[0]
    converters = getattr(pattern, "converters", {})
    return template % {
        param: _dummy(converters[param])
        if param in converters
        else DUMMY_BY_REGEX_GROUP.get(param, "1")
        for param in params
    }


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        part = _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + part, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, "/" + prefix + part, entry.callback


def _routes() -> list[tuple[str, str, object]]:
    """(url, name, view) of every routed URL, parameters filled in."""
    routes = {(url, name or "", view) for name, url, view in _walk(get_resolver().url_patterns)}
    return sorted(routes, key=lambda route: route[0])


def _turned_away(client, url: str, name: str) -> str | None:
    """None when an anonymous GET is refused as it should be, otherwise what went wrong."""
    response = client.get(url)
    if url.startswith("/api/") and name not in BROWSER_PAGES_UNDER_API:
        if response.status_code != 401 or response.get("WWW-Authenticate") != "Token":
            return f"answered {response.status_code}, not 401 with a token challenge"
        return None
    # LoginRequiredMiddleware sends everyone to the one login page; the admin's own views send
    # to the admin's login.
    logins = tuple(f"{reverse(login)}?next=" for login in ("login", "admin:login"))
    if response.status_code != 302 or not response["Location"].startswith(logins):
        return f"answered {response.status_code} {response.get('Location', '')}".rstrip()
    return None


def test_the_walk_finds_every_app_and_each_public_url():
    routes = _routes()
    names = {name for _, name, _ in routes}
    assert not PUBLIC - names, PUBLIC - names
    for namespace in ("accounts", "deals", "activities", "admin"):
        assert any(name.startswith(f"{namespace}:") for name in names), namespace
    assert any(url.startswith("/api/v1/") for url, _, _ in routes)


def test_every_url_but_the_public_ones_turns_an_anonymous_visitor_away(client, db):
    problems = []
    for url, name, view in _routes():
        if name in PUBLIC:
            continue
        if resolve(url).func is not view:
            problems.append(f"{url} ({name}): the filled-in URL reaches another view")
        elif (problem := _turned_away(client, url, name)) is not None:
            problems.append(f"{url} ({name}): {problem}")
    assert not problems, "\n".join(problems)
