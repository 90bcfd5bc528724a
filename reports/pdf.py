"""PDF documents from HTML templates with WeasyPrint.

Templates extend `reports/pdf/base.html`: the company letterhead (COMPANY_* settings), page
numbers in the `@page` margin boxes, the fonts shipped in `static/fonts/` (DejaVu Sans, every
Polish letter), and tables whose header row repeats on each page they run over.

Rendering reads only the shipped fonts: the fetcher refuses the network and any other file,
so text a user typed into a record can never make the worker fetch a URL.
"""

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import tinycss2
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .registry import Rendered

PDF = "application/pdf"
# The charts' look on the pages, which a chart in a PDF takes too (see `_chart_style`).
CHART_STYLESHEET = "css/dashboards.css"
PAGE_STYLESHEET = "css/app.css"


def _font_dir() -> Path:
    return Path(finders.find("fonts/DejaVuSans.ttf")).parent


def _shipped_files_only(root: Path):
    # WeasyPrint is imported here, in the worker, not by every web process at start-up.
    from weasyprint.urls import URLFetcher

    class ShippedFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file" and not (
                Path(unquote(parsed.path)).resolve().is_relative_to(root.resolve())
            ):
                raise ValueError(f"Only the shipped fonts may be read, not {url}")
            return super().fetch(url, headers)

    return ShippedFilesOnly(allowed_protocols={"file", "data"})


# Letters that Unicode does not decompose into a base letter and an accent, so slugify drops them.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"}
)


def file_slug(text: str, fallback: object) -> str:
    """`text` as a plain ASCII file-name part ("Zakłady Łuków" -> "zaklady-lukow")."""
    return slugify(text.translate(_UNDECOMPOSED)) or str(fallback)


def letterhead() -> dict[str, str | list[str]]:
    return {
        "name": settings.COMPANY_NAME,
        # Lines end with a newline, or with a literal "\n" where an env file cannot hold one.
        "address": [
            line.strip() for line in re.split(r"\\n|\n", settings.COMPANY_ADDRESS) if line.strip()
        ],
        "tax_id": settings.COMPANY_TAX_ID,
        "contact": settings.COMPANY_CONTACT,
    }


def html_render(template: str, context: dict) -> str:
    """The document's HTML, with what every page of it needs (letterhead, fonts, time)."""
    fonts = _font_dir()
    return render_to_string(
        template,
        {
            "company": letterhead(),
            "font_url": fonts.as_uri(),
            "generated_at": timezone.localtime(),
            **context,
        },
    )


# An inline chart of core/charts.py (pygal's style taken out for the pages' CSP), with the
# classes of the figure it sits in right before it, if any (`plan-chart`, `aging-chart`).
_CHART_START = re.compile(
    r'(?:<figure\b[^>]*\bclass="(?P<figure>[^"]*)"[^>]*>\s*)?'
    r'<svg[^>]*class="pygal-chart chart-svg"[^>]*>'
)
_VAR = re.compile(r"var\(--([\w-]+)\)")
# Hover and focus mean nothing on paper.
_SCREEN_ONLY = re.compile(r":(hover|focus)")


def _custom_properties() -> dict[str, str]:
    """The `:root { --name: value }` colours of the pages' stylesheet."""
    css = Path(finders.find(PAGE_STYLESHEET)).read_text(encoding="utf-8")
    properties = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for declaration in tinycss2.parse_declaration_list(
                rule.content, skip_comments=True, skip_whitespace=True
            ):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    properties[declaration.name[2:]] = tinycss2.serialize(declaration.value).strip()
    return properties


@functools.cache
def _chart_rules() -> tuple[tuple[frozenset[str], str, str], ...]:
    """Each chart rule of the pages' chart stylesheet as (the classes it asks of the figure
    around the chart, its selector inside the SVG, its declarations with var() resolved)."""
    css = Path(finders.find(CHART_STYLESHEET)).read_text(encoding="utf-8")
    properties = _custom_properties()
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # @media: the pages' phone layout
        declarations = _VAR.sub(
            lambda var: properties[var.group(1)], tinycss2.serialize(rule.content).strip()
        )
        for selector in tinycss2.serialize(rule.prelude).split(","):
            around, marker, inside = selector.strip().partition(".chart-svg ")
            if not marker or _SCREEN_ONLY.search(inside):
                continue
            figure = frozenset(re.findall(r"\.([\w-]+)", around)) - {"chart"}
            rules.append((figure, inside.strip(), declarations))
    return tuple(rules)


@functools.cache
def _chart_style(figure_classes: frozenset[str]) -> str:
    """The `<style>` a chart carries into a PDF. WeasyPrint styles an inline SVG only from a
    style element inside it (not from the document's CSS, nor with var()), so the pages'
    rules for this chart are put there: those of every chart and those of its kind (the
    classes of its figure), in the pages' order, so a PDF shows the chart the page shows."""
    rules = [
        f"{inside} {{ {declarations} }}"
        for needs, inside, declarations in _chart_rules()
        if needs <= figure_classes
    ]
    # The shipped font (pages use the system's); no "<" may reach the element (it could end it).
    css = "\n".join(['text { font-family: "DejaVu Sans", sans-serif; }', *rules])
    return css.replace("<", "")


def _styled_charts(html: str) -> str:
    """Each chart with the pages' chart rules inside it (see `_chart_style`)."""

    def styled(start: re.Match) -> str:
        figure = frozenset((start.group("figure") or "").split())
        return f"{start.group(0)}<style>{_chart_style(figure)}</style>"

    return _CHART_START.sub(styled, html)


def pdf_render(template: str, context: dict, *, filename: str) -> Rendered:
    from weasyprint import HTML

    html = _styled_charts(html_render(template, context))
    fonts = _font_dir()
    document = HTML(
        string=html, base_url=fonts.as_uri() + "/", url_fetcher=_shipped_files_only(fonts)
    )
    return Rendered(content=document.write_pdf(), filename=filename, content_type=PDF)
