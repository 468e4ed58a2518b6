"""The site's identity: one row, edited by Chefredaktion."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.images import WebImageField

# What an Impressum cannot do without (§ 5 DDG, § 18 Abs. 2 MStV): the system check
# and the admin name the ones still empty.
REQUIRED_FIELDS = (
    "publisher",
    "street",
    "postcode",
    "city",
    "email",
    "responsible_name",
    "responsible_address",
)

postcode_validator = RegexValidator(r"^[0-9]{5}$", "Bitte eine fünfstellige Postleitzahl angeben.")


class SiteIdentity(models.Model):
    """The one row that says who runs the site. Empty fields show the readers a plain
    note that the operator has not filled them in yet, never invented data."""

    name = models.CharField("Name der Website", max_length=100, default="Newsroom")
    tagline = models.CharField("Untertitel", max_length=150, default="E-Government in Kommunen")
    description = models.CharField(
        "Beschreibung",
        max_length=300,
        default="Nachrichten über E-Government und Digitalisierung in Kommunen.",
        help_text="Für Suchmaschinen, Feeds und die Startseite.",
    )
    publisher = models.CharField(
        "Anbieter",
        max_length=200,
        blank=True,
        help_text="Name der Person oder Firma mit Rechtsform, die die Website betreibt (§ 5 DDG).",
    )
    representative = models.CharField(
        "Vertreten durch",
        max_length=200,
        blank=True,
        help_text="Bei Firmen: Geschäftsführung oder Vorstand.",
    )
    street = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True, validators=[postcode_validator])
    city = models.CharField("Ort", max_length=100, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    phone = models.CharField("Telefon", max_length=50, blank=True)
    register_entry = models.CharField(
        "Registereintrag",
        max_length=200,
        blank=True,
        help_text="Registergericht und Nummer, z. B. „Amtsgericht Münster, HRB 12345“.",
    )
    vat_id = models.CharField("Umsatzsteuer-ID", max_length=20, blank=True)
    responsible_name = models.CharField(
        "Verantwortlich nach § 18 Abs. 2 MStV",
        max_length=200,
        blank=True,
        help_text="Die Person, die für die redaktionellen Inhalte verantwortlich ist.",
    )
    responsible_address = models.CharField(
        "Anschrift der verantwortlichen Person",
        max_length=300,
        blank=True,
        help_text="Eine ladungsfähige Anschrift, z. B. die des Anbieters.",
    )
    accessibility_contact = models.EmailField(
        "Kontakt für Barrieren",
        blank=True,
        help_text="Hier melden Leserinnen und Leser Barrieren; leer: die E-Mail oben.",
    )
    enforcement_body = models.TextField(
        "Schlichtungs- oder Durchsetzungsstelle",
        blank=True,
        help_text="Für die Erklärung zur Barrierefreiheit, wenn eine Stelle zuständig ist.",
    )
    logo = WebImageField(
        "Logo",
        upload_to="website/",
        blank=True,
        help_text="Für Suchmaschinen (Herausgeber) und Vorschaukarten. PNG oder JPEG.",
    )
    default_image = WebImageField(
        "Standardbild",
        upload_to="website/",
        blank=True,
        help_text="Vorschaubild für Seiten und Artikel ohne eigenes Bild (1200 × 630 Pixel).",
    )
    default_image_alt = models.CharField(
        "Alternativtext des Standardbilds", max_length=300, blank=True
    )
    imprint_notes = models.TextField(
        "Weitere Angaben im Impressum",
        blank=True,
        help_text="Erscheint unter den Pflichtangaben. Absätze durch Leerzeilen trennen.",
    )
    privacy_notes = models.TextField(
        "Ergänzungen zur Datenschutzerklärung",
        blank=True,
        help_text="Z. B. Datenschutzbeauftragte, Hoster. Absätze durch Leerzeilen trennen.",
    )
    log_retention_days = models.PositiveSmallIntegerField(
        "Aufbewahrung der Server-Protokolle (Tage)",
        default=7,
        help_text="So steht es in der Datenschutzerklärung; der Server muss es einhalten.",
    )
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Angaben zur Website"
        verbose_name_plural = "Angaben zur Website"
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(id=1), name="site_identity_single_row")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:imprint")

    def clean(self):
        super().clean()
        if self.default_image and not self.default_image_alt.strip():
            raise ValidationError(
                {"default_image_alt": "Bitte einen Alternativtext für das Standardbild angeben."}
            )

    @classmethod
    def load(cls) -> "SiteIdentity":
        """The row, or the defaults when nobody has saved it yet (not written)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def missing_fields(self) -> list[str]:
        """verbose_names of the legally required fields still empty."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in REQUIRED_FIELDS
            if not getattr(self, name).strip()
        ]

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]

    @property
    def barrier_contact(self) -> str:
        return self.accessibility_contact or self.email
