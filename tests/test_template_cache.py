"""Production renders from Django's cached template loader (on by itself when DEBUG is off)."""

from django.template import engines


def test_templates_are_parsed_once_per_process_not_once_per_request():
    engine = engines["django"].engine
    assert engine.debug is False
    assert [type(loader).__module__ for loader in engine.template_loaders] == [
        "django.template.loaders.cached"
    ]
