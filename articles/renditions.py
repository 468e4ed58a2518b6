"""Renditions of uploaded images: the sizes a page shows, made by django-imagekit.

Each rendition is an imagekit spec (pilkit processors on Pillow) whose file is named by
a hash of its source's name and its processing, and kept in the default storage under
settings.IMAGEKIT_CACHEFILE_DIR. Whether a file exists is asked of the storage (and
remembered in the shared cache), never of the process, so any number of app servers
agree on it: the first of them to need a rendition makes it, the others find it. Files
are made when an image is uploaded (a task in the worker) and, should the worker not
have run yet, when a page first needs them.

- Column: widths of COLUMN_WIDTHS (never wider than the source), each as WebP and as a
  fallback for browsers without WebP: JPEG for photographs, PNG for sources that may
  have transparency or flat colours (PNG, GIF, WebP with alpha).
- Social card: 1200 × 630, cropped around the centre, JPEG (what every crawler reads).
- Logo: at most 600 × 600, PNG (keeps the transparency logos have).

GIF: renditions show the first frame. An animation in the text column distracts from
reading (and keeps moving for readers who asked their system for less motion), and the
original can be megabytes; the uploaded file itself stays untouched in the storage.

A source that is missing on disk or cannot be read makes no renditions: the page is
rendered without the image and the error is logged, never a server error.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django_tasks import task
from imagekit.cachefiles import ImageCacheFile
from imagekit.cachefiles.backends import CacheFileState
from imagekit.specs import ImageSpec
from PIL import Image
from pilkit.processors import ResizeToFill, ResizeToFit, Transpose

logger = logging.getLogger(__name__)

# The text column is at most 46rem (736 px) wide; 1472 serves it at twice the density.
COLUMN_WIDTHS = (480, 736, 1104, 1472)
COLUMN_SIZES = "(min-width: 60rem) 46rem, calc(100vw - 2rem)"
CARD_SIZE = (1200, 630)
LOGO_BOX = (600, 600)

JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
WEBP_OPTIONS = {"quality": 80}
PNG_OPTIONS = {"optimize": True}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OPTIONS = {"JPEG": JPEG_OPTIONS, "PNG": PNG_OPTIONS, "WEBP": WEBP_OPTIONS}

# EXIF orientations that turn the picture by 90°: the stored width is its height.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112

# What reading or converting a broken image file raises (Pillow and the storage).
IMAGE_ERRORS = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


class RenditionSpec(ImageSpec):
    """One rendition: the source turned upright (EXIF), then `processors`."""

    cachefile_strategy = "imagekit.cachefiles.strategies.JustInTime"

    def __init__(self, source, processors, format):
        self.processors = [Transpose(Transpose.AUTO), *processors]
        self.format = format
        self.options = OPTIONS[format]
        super().__init__(source=source)


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    format: str

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def srcset_entry(self) -> str:
        return f"{self.url} {self.width}w"


@dataclass(frozen=True)
class Picture:
    """What a <picture> of the column needs: WebP and fallback at the same widths."""

    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]
    sizes: str = COLUMN_SIZES

    @property
    def webp_srcset(self) -> str:
        return ", ".join(r.srcset_entry for r in self.webp)

    @property
    def fallback_srcset(self) -> str:
        return ", ".join(r.srcset_entry for r in self.fallback)

    @property
    def img(self) -> Rendition:
        """The <img>'s own src: the one for the column at normal density."""
        fitting = [r for r in self.fallback if r.width <= COLUMN_WIDTHS[1]]
        return fitting[-1] if fitting else self.fallback[0]

    @property
    def largest(self) -> Rendition:
        return self.fallback[-1]


@dataclass(frozen=True)
class Source:
    """An upload as shown: upright size and the fallback format that suits it."""

    width: int
    height: int
    fallback_format: str


def read_source(image_file) -> Source:
    """Size (turned by the EXIF orientation) and kind of an image, from its header only."""
    image_file.open("rb")
    try:
        with Image.open(image_file) as image:
            width, height = image.size
            orientation = image.getexif().get(_EXIF_ORIENTATION)
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            graphic = image.format in ("PNG", "GIF")
    finally:
        image_file.close()
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return Source(width, height, "PNG" if transparent or graphic else "JPEG")


def _fit_size(width: int, height: int, target_width: int) -> tuple[int, int]:
    """The size pilkit's ResizeToFit(width=target_width) gives (same rounding)."""
    ratio = target_width / width
    return round(width * ratio), round(height * ratio)


def _made(source, processors, format, size) -> Rendition:
    """The rendition's file, made now unless the storage has it already."""
    cachefile = ImageCacheFile(RenditionSpec(source, processors, format))
    try:
        cachefile.generate()
    except Exception:
        # imagekit marked it "generating"; without this, no one would try again.
        cachefile.cachefile_backend.set_state(cachefile, CacheFileState.DOES_NOT_EXIST)
        raise
    return Rendition(cachefile.url, size[0], size[1], format)


def column_picture(image_file) -> Picture | None:
    """The column renditions of an uploaded image; None without a usable image."""
    if not image_file:
        return None
    try:
        source = read_source(image_file)
        widths = [w for w in COLUMN_WIDTHS if w < source.width]
        if len(widths) < len(COLUMN_WIDTHS):
            widths.append(source.width)  # the largest is the source's own width
        webp, other = [], []
        for target in widths:
            size = _fit_size(source.width, source.height, target)
            processors = [ResizeToFit(width=target, upscale=False)]
            webp.append(_made(image_file, processors, "WEBP", size))
            other.append(_made(image_file, processors, source.fallback_format, size))
    except IMAGE_ERRORS:
        logger.exception("Bild %s: keine Varianten, die Seite erscheint ohne Bild", image_file.name)
        return None
    return Picture(tuple(webp), tuple(other))


def social_card(image_file) -> Rendition | None:
    """The 1200 × 630 card for link previews (og:image, twitter:image)."""
    if not image_file:
        return None
    try:
        read_source(image_file)  # refuses a missing or unreadable file before imagekit
        return _made(image_file, [ResizeToFill(*CARD_SIZE)], "JPEG", CARD_SIZE)
    except IMAGE_ERRORS:
        logger.exception("Bild %s: keine Vorschaukarte", image_file.name)
        return None


def logo(image_file) -> Rendition | None:
    """The publisher's logo, at most 600 × 600, for JSON-LD."""
    if not image_file:
        return None
    try:
        source = read_source(image_file)
        ratio = min(LOGO_BOX[0] / source.width, LOGO_BOX[1] / source.height, 1)
        size = (round(source.width * ratio), round(source.height * ratio))
        return _made(image_file, [ResizeToFit(*LOGO_BOX, upscale=False)], "PNG", size)
    except IMAGE_ERRORS:
        logger.exception("Logo %s: keine Variante", image_file.name)
        return None


# --- Per article, once per rendering --------------------------------------------------


def article_picture(article) -> Picture | None:
    """The column picture of an article, computed once per article object."""
    if "_picture" not in article.__dict__:
        article.__dict__["_picture"] = column_picture(article.image)
    return article.__dict__["_picture"]


def article_card(article) -> Rendition | None:
    if "_card" not in article.__dict__:
        article.__dict__["_card"] = social_card(article.image)
    return article.__dict__["_card"]


@dataclass(frozen=True)
class PreviewImage:
    """The image of a page's link preview with its alternative text."""

    rendition: Rendition
    alt: str


def preview_image(article, identity) -> PreviewImage | None:
    """The article's own card, else the site's default image, else None."""
    card = article_card(article) if article is not None else None
    if card is not None:
        return PreviewImage(card, article.image_alt)
    if "_default_card" not in identity.__dict__:
        identity.__dict__["_default_card"] = social_card(identity.default_image)
    card = identity.__dict__["_default_card"]
    if card is not None:
        return PreviewImage(card, identity.default_image_alt)
    return None


# --- Made on upload ---------------------------------------------------------------------


def make_all(instance) -> None:
    """Every rendition an article or the site identity will ask for."""
    from articles.identity.models import SiteIdentity

    if isinstance(instance, SiteIdentity):
        social_card(instance.default_image)
        logo(instance.logo)
    else:
        column_picture(instance.image)
        social_card(instance.image)


@task()
def make_renditions(model_label: str, pk: int) -> None:
    """The worker's job after an upload: the page then finds every file ready."""
    from django.apps import apps

    instance = apps.get_model(model_label).objects.filter(pk=pk).first()
    if instance is not None:
        make_all(instance)


def _new_upload(instance, fields) -> bool:
    """A file assigned but not yet written: the field writes it right after pre_save."""
    return any(
        (file := getattr(instance, name)) and not getattr(file, "_committed", True)
        for name in fields
    )


def _note_upload(fields):
    def receiver(sender, instance, raw=False, **kwargs):
        instance.__dict__["_renditions_due"] = not raw and _new_upload(instance, fields)

    return receiver


def _enqueue_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.__dict__.pop("_renditions_due", False):
        return
    label, pk = instance._meta.label_lower, instance.pk
    transaction.on_commit(lambda: make_renditions.enqueue(label, pk))


def connect_signals() -> None:
    """From ArticlesConfig.ready: uploads of both models get their renditions made."""
    from articles.identity.models import SiteIdentity
    from articles.models import Article

    for model, fields in ((Article, ("image",)), (SiteIdentity, ("default_image", "logo"))):
        uid = f"renditions-{model._meta.label_lower}"
        pre_save.connect(_note_upload(fields), sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(_enqueue_renditions, sender=model, dispatch_uid=uid)
