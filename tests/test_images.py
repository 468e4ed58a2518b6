"""Image renditions (articles.renditions) and how pages show them: <picture> with WebP
and a fallback, srcset/sizes, width/height, link previews, structured data."""

import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import renditions
from articles.identity.current import forget
from articles.identity.models import SiteIdentity
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget()
    yield tmp_path
    forget()


def image_bytes(size=(2000, 1500), format="JPEG", mode="RGB", color=(30, 90, 160), **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **save)
    return buffer.getvalue()


def upload(name="kreishaus.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs))


def with_image(name="kreishaus.jpg", **kwargs):
    return make_article(
        image=upload(name, **kwargs),
        image_alt="Das Kreishaus in Unna",
        image_caption="Das Kreishaus.",
    )


def stored(url: str) -> Image.Image:
    """The rendition file behind a URL of the page, opened from the storage."""
    path = re.sub(r"^(https?://[^/]+)?/media/", "", url)
    with default_storage.open(path) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def page(client, article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def srcset(value: str) -> list[tuple[str, int]]:
    return [(url, int(w.rstrip("w"))) for url, w in (part.split() for part in value.split(", "))]


def json_ld(soup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def meta(soup, key) -> str | None:
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def set_identity(**fields):
    SiteIdentity(**fields).save()
    forget()


# --- The renditions -------------------------------------------------------------------


def test_column_renditions_are_webp_and_jpeg_at_the_column_widths():
    picture = renditions.column_picture(with_image().image)
    assert [(r.width, r.height) for r in picture.webp] == [
        (480, 360),
        (736, 552),
        (1104, 828),
        (1472, 1104),
    ]
    for webp, jpeg in zip(picture.webp, picture.fallback, strict=True):
        assert (stored(webp.url).format, stored(webp.url).size) == (
            "WEBP",
            (webp.width, webp.height),
        )
        assert (stored(jpeg.url).format, stored(jpeg.url).size) == (
            "JPEG",
            (jpeg.width, jpeg.height),
        )


def test_renditions_are_files_in_the_shared_storage_not_in_the_process(media):
    picture = renditions.column_picture(with_image().image)
    for rendition in picture.webp + picture.fallback:
        assert rendition.url.startswith("/media/renditions/artikel/")
        assert (media / rendition.url.removeprefix("/media/")).is_file()


def test_renditions_never_enlarge_a_small_image():
    picture = renditions.column_picture(with_image(size=(600, 400)).image)
    assert [(r.width, r.height) for r in picture.fallback] == [(480, 320), (600, 400)]
    assert stored(picture.largest.url).size == (600, 400)


def test_png_with_transparency_falls_back_to_png_and_keeps_it():
    article = with_image("plan.png", format="PNG", mode="RGBA", color=(0, 0, 0, 0), size=(800, 600))
    picture = renditions.column_picture(article.image)
    fallback = stored(picture.largest.url)
    assert fallback.format == "PNG"
    assert fallback.getpixel((10, 10))[3] == 0
    assert stored(picture.webp[-1].url).mode == "RGBA"


def test_animated_gif_renditions_show_its_first_frame():
    frames = [Image.new("RGB", (800, 600), color) for color in ((200, 0, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    article = make_article(
        image=SimpleUploadedFile("animation.gif", buffer.getvalue()), image_alt="Rot, dann blau"
    )
    picture = renditions.column_picture(article.image)
    still = stored(picture.webp[-1].url)
    assert getattr(still, "n_frames", 1) == 1
    red, _green, blue = still.convert("RGB").getpixel((400, 300))
    assert red > 150 and blue < 50
    assert stored(picture.largest.url).format == "PNG"


def test_photo_turned_by_exif_is_rendered_upright_with_its_upright_size():
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the camera turned: width and height swap when shown
    article = with_image(size=(800, 600), exif=exif.tobytes())
    picture = renditions.column_picture(article.image)
    assert (picture.largest.width, picture.largest.height) == (600, 800)
    assert stored(picture.largest.url).size == (600, 800)


def test_social_card_is_a_1200_by_630_jpeg():
    card = renditions.social_card(with_image(size=(900, 900)).image)
    assert (card.width, card.height, card.mime_type) == (1200, 630, "image/jpeg")
    assert (stored(card.url).format, stored(card.url).size) == ("JPEG", (1200, 630))


def test_renditions_are_made_when_the_image_is_uploaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = with_image()
    saved = renditions.ImageCacheFile

    def not_made_again(*args, **kwargs):
        cachefile = saved(*args, **kwargs)
        assert cachefile.cachefile_backend.exists(cachefile), cachefile.name
        return cachefile

    renditions.ImageCacheFile = not_made_again
    try:
        renditions.column_picture(article.image)
        renditions.social_card(article.image)
    finally:
        renditions.ImageCacheFile = saved


class Queue:
    def __init__(self, queued):
        self.enqueue = lambda *args: queued.append(args)


def test_saving_an_article_without_a_new_upload_queues_no_renditions(
    django_capture_on_commit_callbacks, monkeypatch
):
    article = with_image()
    queued = []
    monkeypatch.setattr(renditions, "make_renditions", Queue(queued))
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Neuer Titel"
        article.save()
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        article.image = upload("neu.jpg")
        article.save()
    assert queued == [("articles.article", article.pk)]


def test_a_second_page_view_writes_no_rendition_again(client, monkeypatch):
    article = with_image()
    page(client, article)
    written = []
    monkeypatch.setattr(FileSystemStorage, "save", lambda self, name, *a, **k: written.append(name))
    renditions.column_picture(article.image)
    renditions.social_card(article.image)
    assert written == []


# --- The article page -------------------------------------------------------------------


def test_article_image_is_a_picture_with_webp_source_and_fallback_srcset(client):
    soup = page(client, with_image())
    picture = soup.select_one("figure.article-image picture")
    source = picture.find("source")
    img = picture.find("img")
    assert source["type"] == "image/webp"
    assert [w for _, w in srcset(source["srcset"])] == [480, 736, 1104, 1472]
    assert [w for _, w in srcset(img["srcset"])] == [480, 736, 1104, 1472]
    assert all(stored(url).format == "WEBP" for url, _ in srcset(source["srcset"]))
    assert all(stored(url).format == "JPEG" for url, _ in srcset(img["srcset"]))
    assert source["sizes"] == img["sizes"] == renditions.COLUMN_SIZES


def test_article_image_has_width_and_height_of_its_src(client):
    img = page(client, with_image()).select_one("figure.article-image img")
    assert (img["width"], img["height"]) == ("736", "552")
    assert stored(img["src"]).size == (736, 552)
    assert img["alt"] == "Das Kreishaus in Unna"


def test_article_image_above_the_fold_loads_at_once_with_high_priority(client):
    img = page(client, with_image()).select_one("figure.article-image img")
    assert img.get("loading") != "lazy"
    assert img["fetchpriority"] == "high"


def test_og_image_is_the_absolute_social_card_with_alt_and_size(client):
    soup = page(client, with_image())
    url = meta(soup, "og:image")
    assert url.startswith("http://testserver/media/renditions/")
    assert stored(url).size == (1200, 630)
    assert meta(soup, "og:image:width") == "1200"
    assert meta(soup, "og:image:height") == "630"
    assert meta(soup, "og:image:type") == "image/jpeg"
    assert meta(soup, "og:image:alt") == "Das Kreishaus in Unna"


def test_article_with_image_has_a_large_twitter_card(client):
    soup = page(client, with_image())
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == meta(soup, "og:image")
    assert meta(soup, "twitter:image:alt") == "Das Kreishaus in Unna"


def test_page_without_any_image_keeps_the_summary_card(client):
    soup = page(client, make_article())
    assert meta(soup, "twitter:card") == "summary"
    assert meta(soup, "og:image") is None
    assert "image" not in json_ld(soup)


def test_site_default_image_serves_an_article_without_one(client):
    set_identity(
        default_image=upload("standard.png", format="PNG", size=(1200, 630)),
        default_image_alt="Logo des Newsrooms auf Blau",
    )
    soup = page(client, make_article())
    assert stored(meta(soup, "og:image")).size == (1200, 630)
    assert meta(soup, "og:image:alt") == "Logo des Newsrooms auf Blau"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert [image["url"] for image in json_ld(soup)["image"]] == [meta(soup, "og:image")]


def test_article_image_wins_over_the_default_image(client):
    set_identity(default_image=upload("standard.png", format="PNG"), default_image_alt="Standard")
    soup = page(client, with_image())
    assert meta(soup, "og:image:alt") == "Das Kreishaus in Unna"
    assert "/renditions/artikel/" in meta(soup, "og:image")


def test_alt_text_with_markup_is_escaped_in_the_meta_tags(client):
    article = with_image()
    article.image_alt = '"><script>alert(1)</script>'
    article.save()
    text = client.get(article.get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert 'content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in text


# --- A broken image -----------------------------------------------------------------------


def test_missing_image_file_renders_the_page_without_the_image(client, media, caplog):
    article = with_image()
    (media / article.image.name).unlink()
    soup = page(client, article)
    assert soup.find("picture") is None
    assert soup.find("figure") is None
    assert soup.select_one("p.caption").get_text() == "Das Kreishaus."
    assert meta(soup, "twitter:card") == "summary"
    assert "keine Varianten" in caplog.text and article.image.name in caplog.text


def test_unreadable_image_file_renders_the_page_without_the_image(client, media):
    article = with_image()
    (media / article.image.name).write_bytes(b"\xff\xd8\xff kein JPEG mehr")
    soup = page(client, article)
    assert soup.find("picture") is None
    assert meta(soup, "og:image") is None


def test_rendition_that_failed_is_made_on_the_next_view(client, monkeypatch):
    article = with_image()
    with monkeypatch.context() as patched:

        def fails(spec):
            raise OSError("image file is truncated")

        patched.setattr(renditions.RenditionSpec, "generate", fails)
        assert page(client, article).find("picture") is None
    article.refresh_from_db()  # a new request's article (the page itself is cached now)
    picture = renditions.column_picture(article.image)
    assert stored(picture.img.url).size == (736, 552)


# --- Query count ----------------------------------------------------------------------------


def test_article_page_with_image_and_site_images_keeps_its_query_count(
    client, django_assert_max_num_queries
):
    set_identity(logo=upload("logo.png", format="PNG", size=(300, 100)))
    article = with_image()
    article.tags.add("OZG", "Cloud")
    # The sidebars' lists read afresh (articles.cache.lists): kept, they cost one lookup.
    with django_assert_max_num_queries(12):
        client.get(article.get_absolute_url())


def test_the_fronts_lead_story_shows_the_renditions_not_the_upload(client):
    article = with_image()
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    lead = soup.select_one("article.lead-story")
    assert lead.select_one("picture source[type='image/webp']") is not None
    img = lead.select_one("img.lead-image")
    assert img["alt"] == "Das Kreishaus in Unna"
    assert img["src"] != article.image.url
    assert all(width <= 1472 for _, width in srcset(img["srcset"]))
