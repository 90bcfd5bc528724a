"""The benchmark's settings: production's (`DEBUG` off, cached template loader, manifest
static files) with the TLS redirect and secure cookies off (no TLS in front of it here), and
the manifest without WhiteNoise's compression, which only static files would notice and which
takes minutes to build on two busy cores."""

from kam_crm.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
