"""PDF documents from HTML templates with WeasyPrint.

Templates extend `reports/pdf/base.html`: the company letterhead (COMPANY_* settings), page
numbers in the `@page` margin boxes, the fonts shipped in `static/fonts/` (DejaVu Sans, every
Polish letter), and tables whose header row repeats on each page they run over.

Rendering reads only the shipped fonts: the fetcher refuses the network and any other file,
so text a user typed into a record can never make the worker fetch a URL.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .registry import Rendered

PDF = "application/pdf"
CHART_STYLESHEET = "css/pdf-charts.css"


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


# An inline chart of core/charts.py (pygal's style taken out for the pages' CSP).
_CHART_START = re.compile(r'<svg[^>]*class="pygal-chart chart-svg"[^>]*>')


def _styled_charts(html: str) -> str:
    """Each chart with the PDF chart stylesheet inside it: WeasyPrint styles an inline SVG
    from its own <style> only, so the classes the pages colour need their rules there."""
    if not _CHART_START.search(html):
        return html
    css = Path(finders.find(CHART_STYLESHEET)).read_text(encoding="utf-8")
    return _CHART_START.sub(lambda start: f"{start.group(0)}<style>{css}</style>", html)


def pdf_render(template: str, context: dict, *, filename: str) -> Rendered:
    from weasyprint import HTML

    html = _styled_charts(html_render(template, context))
    fonts = _font_dir()
    document = HTML(
        string=html, base_url=fonts.as_uri() + "/", url_fetcher=_shipped_files_only(fonts)
    )
    return Rendered(content=document.write_pdf(), filename=filename, content_type=PDF)
