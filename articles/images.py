"""Article images: only the web's raster formats, stored under the extension of what
they are.

Pillow opens far more than browsers show, and Django's image field accepts any
extension Pillow can write (.pdf, .eps, …). A valid PNG with other bytes appended,
uploaded as "poly.pdf", was stored as a PDF. Now the name must end in one of
ALLOWED_EXTENSIONS, the content must be one of WEB_FORMATS, and the file is stored
under the extension of the detected format ("foto.jpeg" holding a PNG becomes
"foto.png"), so that the file name and what the server says it is always agree.
"""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models

# Pillow's format name → the extension the file is stored under. MPO is the
# multi-picture JPEG that many phone cameras write.
WEB_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ALLOWED_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
ALLOWED_DESCRIPTION = "JPEG, PNG, WebP oder GIF (.jpg, .jpeg, .png, .webp, .gif)"

validate_web_image_extension = FileExtensionValidator(
    ALLOWED_EXTENSIONS,
    message=(
        "Die Dateiendung „%(extension)s“ ist für Bilder nicht erlaubt. Erlaubt sind "
        + ALLOWED_DESCRIPTION
        + "."
    ),
)


class WebImageFormField(forms.ImageField):
    default_validators = [validate_web_image_extension]
    default_error_messages = {
        "invalid_image": (
            "Die Datei ist kein lesbares Bild. Erlaubt sind " + ALLOWED_DESCRIPTION + "."
        ),
    }

    def to_python(self, data):
        if data and getattr(data, "name", None):
            # Before Pillow looks: a refused name is refused whatever the bytes are.
            validate_web_image_extension(data)
        upload = super().to_python(data)
        if upload is None:
            return None
        detected = upload.image.format
        if detected not in WEB_FORMATS:
            raise ValidationError(
                "„%(name)s“ ist ein Bild im Format %(format)s. Erlaubt sind %(allowed)s.",
                code="invalid_image_format",
                params={"name": upload.name, "format": detected, "allowed": ALLOWED_DESCRIPTION},
            )
        upload.name = f"{PurePath(upload.name).stem}.{WEB_FORMATS[detected]}"
        return upload


class WebImageField(models.ImageField):
    """An ImageField that takes only JPEG, PNG, WebP and GIF (see the module)."""

    default_validators = [validate_web_image_extension]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebImageFormField, **kwargs})
