"""An article image needs alternative text, in the model and in the admin form."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.admin.helpers import change_form_data, change_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def png(name="bild.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_model_rejects_an_image_without_alt_text():
    article = make_article()
    article.image = "artikel/2024/01/bild.png"
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "image_alt" in error.value.message_dict


def test_admin_refuses_an_upload_without_alt_text(chefredaktion):
    article = make_article()
    data = change_form_data(chefredaktion, article, image=png())
    response = chefredaktion.post(change_url(article), data)
    assert "Bitte einen Alternativtext" in response.content.decode()


def test_admin_stores_an_upload_with_alt_text(chefredaktion):
    article = make_article()
    data = change_form_data(chefredaktion, article, image=png(), image_alt="Rathaus von Unna")
    assert chefredaktion.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.image.name.startswith("artikel/")
    assert article.image_alt == "Rathaus von Unna"


# Only the web's raster formats, under the extension of the detected format.


def image_bytes(fmt, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (4, 3), "white").save(buffer, fmt)
    return buffer.getvalue()


def upload(chefredaktion, article, name, content):
    data = change_form_data(
        chefredaktion, article, image=SimpleUploadedFile(name, content), image_alt="Rathaus"
    )
    return chefredaktion.post(change_url(article), data)


def image_errors(response) -> list[str]:
    return response.context["adminform"].form.errors["image"]


POLYGLOT = image_bytes("PNG") + b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"


@pytest.mark.parametrize("name", ["poly.pdf", "poly.eps", "poly.html", "poly"])
def test_a_png_with_appended_bytes_under_another_extension_is_refused(chefredaktion, name):
    article = make_article()
    response = upload(chefredaktion, article, name, POLYGLOT)
    assert response.status_code == 200
    assert "Dateiendung" in image_errors(response)[0]
    assert "JPEG, PNG, WebP oder GIF" in image_errors(response)[0]
    article.refresh_from_db()
    assert not article.image


@pytest.mark.parametrize(
    ("name", "fmt", "stored"),
    [
        ("foto.jpg", "PNG", ".png"),  # the extension follows the content
        ("foto.jpeg", "JPEG", ".jpg"),
        ("foto.png", "WEBP", ".webp"),
        ("foto.gif", "GIF", ".gif"),
    ],
)
def test_an_image_is_stored_under_the_extension_of_its_format(chefredaktion, name, fmt, stored):
    article = make_article()
    assert upload(chefredaktion, article, name, image_bytes(fmt)).status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(stored)
    assert article.image.name.startswith("artikel/")


def test_an_image_of_another_format_is_refused_whatever_it_is_called(chefredaktion):
    article = make_article()
    response = upload(chefredaktion, article, "scan.png", image_bytes("TIFF"))
    assert "im Format TIFF" in image_errors(response)[0]
    article.refresh_from_db()
    assert not article.image


def test_a_file_that_is_no_image_is_refused_in_german(chefredaktion):
    article = make_article()
    response = upload(chefredaktion, article, "bild.png", b"<html><script>alert(1)</script>")
    assert "kein lesbares Bild" in image_errors(response)[0]


def test_the_model_refuses_a_stored_name_with_another_extension():
    article = make_article()
    article.image, article.image_alt = "artikel/2024/01/poly.pdf", "Rathaus"
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "Dateiendung" in error.value.message_dict["image"][0]
