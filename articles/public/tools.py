"""The article tools: the PDF of an article ("Link mailen" is a template tag,
articles.templatetags.article_tools).

The PDF is rendered by WeasyPrint from its own template and print stylesheet. Whatever
the document refers to is served by `LocalFilesFetcher`: our static files (stylesheets,
the shipped fonts) and uploaded images, read from disk; every other address is refused,
so imported or edited text can never make the renderer reach the network or the file
system. The view answers like the article page (staff preview of drafts, 404 for the
public, old slugs redirected) and its response goes through the page cache like any
public page: anonymous readers get the stored PDF until the content version changes.
"""

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from articles.public.views import ArticleDetailView
from articles.site_url import absolute_url

# Importing WeasyPrint makes Pillow accept truncated images in the whole process
# (weasyprint/images.py); uploads and renditions must stay strict about them.
ImageFile.LOAD_TRUNCATED_IMAGES = False

PDF_TEMPLATE = "articles/article_pdf.html"
FILENAME_MAX_LENGTH = 100


class FetchRefused(ValueError):
    """An address the PDF may not load: it names what was refused."""


def _local_path_under(url: str, site_root: str, prefix: str) -> str | None:
    """The file name below `prefix` ("/static/") if `url` is one of ours, else None."""
    base = f"{site_root.rstrip('/')}/{prefix.strip('/')}/"
    if not url.startswith(base):
        return None
    name = unquote(urlsplit(url[len(base) :]).path)
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        raise FetchRefused(f"Ungültiger Dateiname in der Adresse: {url}")
    if any(part in ("", ".", "..") for part in name.split("/")):
        raise FetchRefused(f"Ungültiger Dateiname in der Adresse: {url}")
    return name


def _static_file(name: str) -> Path | None:
    """A static file as the site serves it: from the apps' and the project's static
    folders (the sources; development and tests use plain names), else collected
    (production's content-hashed names exist only in STATIC_ROOT)."""
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(staticfiles_storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation):
        return None
    return collected if collected.is_file() else None


def _media_file(name: str) -> Path | None:
    try:
        path = Path(default_storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation):
        return None
    return path if path.is_file() else None


class LocalFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to our own static and media files, read from disk.

    `site_root` is the base URL the document is rendered with (the canonical site), so
    the template's "/static/…" and "/media/…" addresses resolve below it. Anything else,
    another host, a file: or data: URL, a path outside the two folders, raises
    `FetchRefused`; nothing is ever requested over the network.
    """

    def __init__(self, site_root: str):
        super().__init__(fail_on_errors=False)
        self.site_root = site_root

    def fetch(self, url, headers=None):
        folders = ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file))
        for prefix, find in folders:
            name = _local_path_under(url, self.site_root, prefix)
            if name is None:
                continue
            path = find(name)
            if path is None:
                raise FetchRefused(f"Datei nicht gefunden: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )
        raise FetchRefused(f"Nur eigene Dateien dürfen ins PDF, nicht: {url[:200]}")


def render_pdf(html: str, site_root: str) -> bytes:
    """The PDF of `html`, its addresses resolved below `site_root`, fetched locally."""
    return HTML(
        string=html, base_url=site_root, url_fetcher=LocalFilesFetcher(site_root)
    ).write_pdf()


def pdf_filename(slug: str) -> str:
    """A safe ASCII file name from the slug: letters, digits, "-" and "_" only."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", slug).strip("-_")[:FILENAME_MAX_LENGTH]
    return f"{stem or 'artikel'}.pdf"


def author_name(article, author) -> str:
    """The author as the PDF names them: "Name (Kürzel)" where the Kürzel is known
    (`author`, the article page's lookup), else "(Kürzel)" as under the article; ""
    without one."""
    initials = article.author_initials.strip()
    if not initials:
        return ""
    return f"{author.name} ({author.initials})" if author else f"({initials})"


class ArticlePdfView(ArticleDetailView):
    """The article as a PDF, shown inline; same visibility as the article page."""

    template_name = PDF_TEMPLATE
    show_sidebars = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["author_name"] = author_name(self.object, context["author"])
        return context

    def render_to_response(self, context, **response_kwargs):
        site_root = absolute_url(self.request, "/")
        html = render_to_string(self.template_name, context, request=self.request)
        response = HttpResponse(render_pdf(html, site_root), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf_filename(self.object.slug)}"'
        return response
