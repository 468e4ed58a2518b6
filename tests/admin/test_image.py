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


def test_admin_refuses_an_upload_without_alt_text(redaktion):
    article = make_article()
    data = change_form_data(redaktion, article, image=png())
    response = redaktion.post(change_url(article), data)
    assert "Bitte einen Alternativtext" in response.content.decode()


def test_admin_stores_an_upload_with_alt_text(redaktion):
    article = make_article()
    data = change_form_data(redaktion, article, image=png(), image_alt="Rathaus von Unna")
    assert redaktion.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.image.name.startswith("artikel/")
    assert article.image_alt == "Rathaus von Unna"
