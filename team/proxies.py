"""The address a request came from, as axes locks it out by."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Behind our proxy (BEHIND_TLS_PROXY), the hop it appended to X-Forwarded-For.

    nginx's `$proxy_add_x_forwarded_for` appends the address it saw to whatever the client
    sent, so entries to the left are the client's own, forgeable claim: with PROXY_COUNT
    proxies in a chain, each appending one, the client is the PROXY_COUNT-th from the right.
    Without a proxy, or with a header shorter than the chain, it is the socket's address.
    """
    hops = settings.PROXY_COUNT
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
