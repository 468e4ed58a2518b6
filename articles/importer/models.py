"""What every import did and doubted: runs, their files, and findings on articles.

An import run is a record: who or what started it, with which options, when, and what
each file did. A finding is a doubt about one field of one article ("Zu prüfen"): the
parser or the persistence step decided on weak evidence and says so, with the source
lines. A finding is identified by its article, kind, field and a fingerprint of its
input, so that the next import of unchanged input neither repeats nor reopens it.

The models live in the `articles` app (imported by articles/models.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone


class ImportRun(models.Model):
    class Origin(models.TextChoices):
        COMMAND = "command", "Befehl import_seeds"
        UPLOAD = "upload", "Hochgeladen im Admin"

    class State(models.TextChoices):
        QUEUED = "queued", "Wartet"
        RUNNING = "running", "Läuft"
        DONE = "done", "Fertig"
        FAILED = "failed", "Abgebrochen"

    origin = models.CharField("Herkunft", max_length=10, choices=Origin.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Gestartet von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dry_run = models.BooleanField(
        "Probelauf",
        default=False,
        help_text="Ein Probelauf zeigt, was geschähe, und schreibt nichts.",
    )
    options = models.JSONField("Optionen", default=dict, blank=True)
    # The dry run whose uploaded files this run imports (uploads only).
    checked_run = models.ForeignKey(
        "self",
        verbose_name="Probelauf",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="executions",
    )
    state = models.CharField("Zustand", max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField("Fehler", blank=True)
    created_at = models.DateTimeField("Angelegt am", default=timezone.now)
    started_at = models.DateTimeField("Begonnen am", null=True, blank=True)
    finished_at = models.DateTimeField("Beendet am", null=True, blank=True)
    files_total = models.PositiveIntegerField("Dateien", default=0)
    files_done = models.PositiveIntegerField("Dateien bearbeitet", default=0)
    counts = models.JSONField("Zahlen", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Importlauf"
        verbose_name_plural = "Importläufe"
        permissions = [("start_import", "Darf Importe im Admin starten")]
        indexes = [models.Index(fields=["-created_at"], name="importrun_created")]

    def __str__(self):
        kind = "Probelauf" if self.dry_run else "Import"
        when = timezone.localtime(self.created_at).strftime("%d.%m.%Y %H:%M")
        return f"{kind} #{self.pk} vom {when}"

    def get_absolute_url(self):
        return reverse("admin:articles_importrun_change", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def progress_percent(self) -> int:
        if not self.files_total:
            return 100 if self.is_finished else 0
        return min(100, 100 * self.files_done // self.files_total)


class UploadedSeedFile(models.Model):
    """A file an editor uploaded for import: kept so that the dry run and the
    execution read the same bytes."""

    run = models.ForeignKey(
        ImportRun, verbose_name="Importlauf", on_delete=models.CASCADE, related_name="uploads"
    )
    position = models.PositiveIntegerField("Position")
    name = models.CharField("Dateiname", max_length=255)
    label = models.CharField("Herkunft", max_length=500)
    data = models.BinaryField("Inhalt")

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "Hochgeladene Datei"
        verbose_name_plural = "Hochgeladene Dateien"
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="upload_unique_position"),
        ]

    def __str__(self):
        return self.label


class ImportFile(models.Model):
    """What one file of a run did."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Importiert"
        UNCHANGED = "unchanged", "Unverändert"
        FAILED = "failed", "Fehlgeschlagen"

    run = models.ForeignKey(
        ImportRun, verbose_name="Importlauf", on_delete=models.CASCADE, related_name="files"
    )
    position = models.PositiveIntegerField("Position")
    name = models.CharField("Datei", max_length=500)
    status = models.CharField("Ergebnis", max_length=10, choices=Status.choices)
    error = models.TextField("Fehler", blank=True)
    error_line = models.PositiveIntegerField("Zeile", null=True, blank=True)
    warnings = models.JSONField("Warnungen", default=list, blank=True)
    # Dry runs: what the import would change, per article.
    changes = models.JSONField("Änderungen", default=list, blank=True)
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name="Artikel",
        through="ImportedArticle",
        related_name="import_files",
        blank=True,
    )

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "Importierte Datei"
        verbose_name_plural = "Importierte Dateien"
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="importfile_unique_position"),
        ]

    def __str__(self):
        return self.name


class ImportedArticle(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "Angelegt"
        UPDATED = "updated", "Aktualisiert"
        UPGRADED = "upgraded", "Vom Anreißer zum Artikel"
        UNCHANGED = "unchanged", "Unverändert"
        TEASER = "teaser", "Anreißer angelegt"

    file = models.ForeignKey(
        ImportFile, verbose_name="Datei", on_delete=models.CASCADE, related_name="article_rows"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="import_rows",
    )
    action = models.CharField("Wirkung", max_length=10, choices=Action.choices)

    class Meta:
        ordering = ["file", "pk"]
        verbose_name = "Artikel eines Imports"
        verbose_name_plural = "Artikel eines Imports"
        constraints = [
            models.UniqueConstraint(fields=["file", "article"], name="importedarticle_unique"),
        ]

    def __str__(self):
        return f"{self.file}: {self.article_id} ({self.get_action_display()})"


class FindingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Finding.Status.OPEN)

    def close(self, resolution: str, user=None) -> int:
        """Close the open ones among these; returns how many were closed."""
        return self.open().update(
            status=Finding.Status.CLOSED,
            resolution=resolution,
            closed_at=timezone.now(),
            closed_by=user,
        )

    def open_counts_by_kind(self) -> list[dict]:
        """[{"kind": …, "total": …}, …] of the open findings, most first (one query)."""
        counts = self.open().values("kind").annotate(total=Count("pk"))
        return list(counts.order_by("-total", "kind"))

    def unknown_names(self):
        """Unresolved kicker and tag names with the number of open findings about them."""
        unresolved = self.open().filter(kind=Finding.Kind.UNRESOLVED_PLACE).exclude(subject="")
        return (
            unresolved.values("subject").annotate(total=Count("pk")).order_by("-total", "subject")
        )

    def close_for_fields(self, article_id: int, field_names, user=None) -> int:
        """The editor changed these fields of the article: the doubts about them are answered."""
        return self.filter(article_id=article_id, field__in=list(field_names)).close(
            Finding.Resolution.EDITED, user
        )


class Finding(models.Model):
    """A doubt the import had about one field of one article."""

    class Kind(models.TextChoices):
        UNRESOLVED_PLACE = "unresolved_place", "Ort nicht erkannt"
        CAPTION = "caption", "Bildunterschrift unsicher"
        CUT_OFF = "cut_off", "Seite unvollständig"
        LINK_DROPPED = "link_dropped", "Link verworfen"
        TRUNCATED = "truncated", "Gekürzt"
        TEASER_ONLY = "teaser_only", "Nur Anreißer"
        TEASER_CONFLICT = "teaser_conflict", "Anreißer widersprechen sich"
        POSSIBLE_TWIN = "possible_twin", "Mögliche Dublette"

    class Status(models.TextChoices):
        OPEN = "open", "Offen"
        CLOSED = "closed", "Erledigt"

    class Resolution(models.TextChoices):
        EDITED = "edited", "Feld geändert"
        ACCEPTED = "accepted", "Passt so"
        RESOLVED = "resolved", "Durch neue Zuordnung gelöst"
        MERGED = "merged", "Artikel zusammengeführt"

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="findings",
    )
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    field = models.CharField("Feld", max_length=30, blank=True)
    message = models.CharField("Hinweis", max_length=500)
    # What the finding is about, where one name says it: the unresolved place's name,
    # the twin's id. Unresolved names are gathered by it ("Unbekannte Namen").
    subject = models.CharField("Betrifft", max_length=300, blank=True)
    source_file = models.CharField("Quelldatei", max_length=500, blank=True)
    source_lines = models.JSONField(
        "Quellzeilen", default=list, blank=True, help_text='[{"line": 3, "text": "…"}, …]'
    )
    fingerprint = models.CharField("Fingerabdruck", max_length=64, editable=False)
    run = models.ForeignKey(
        ImportRun,
        verbose_name="Importlauf",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(
        "Erledigt durch", max_length=10, choices=Resolution.choices, blank=True
    )
    created_at = models.DateTimeField("Angelegt am", default=timezone.now)
    closed_at = models.DateTimeField("Erledigt am", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Erledigt von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Befund"
        verbose_name_plural = "Zu prüfen"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "field", "fingerprint"], name="finding_unique_input"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "-created_at"],
                condition=Q(status="open"),
                name="finding_open_kind",
            ),
            models.Index(
                fields=["subject"], condition=Q(status="open"), name="finding_open_subject"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.message}"

    def get_absolute_url(self):
        return reverse("admin:articles_finding_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
