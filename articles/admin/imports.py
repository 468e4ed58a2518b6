"""The import desk: import runs, uploads with a dry run, the worklist, unknown names.

- "Importläufe": every run, read-only, newest first; a run's page lists its files
  (result, error with line, warnings, articles) and, while it runs, its progress.
- Upload (Chefredaktion): `.txt` files or `.zip` archives; a dry run first shows per
  file what would happen; "Import ausführen" then imports the same bytes. Both run in
  the task worker (articles.importer.tasks). Redaktion may not start imports: an
  import publishes articles at once, past the four-eyes rule for live articles.
- "Zu prüfen": the open findings, filterable by kind, section and run, with the source
  lines beside the stored value; "Passt so" closes them, an edit of the field too.
- "Unbekannte Namen": unresolved kicker and tag names with their counts; one step makes
  a name an alias of a register entry or a new organisation, and relinks the articles.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join

from articles import roles
from articles.importer import upload as uploads
from articles.importer.models import Finding, ImportedArticle, ImportRun, UploadedSeedFile
from articles.importer.run import register_loaded
from articles.importer.tasks import EMPTY_REGISTER, run_import
from articles.models import Article, Municipality, MunicipalityAlias, unique_slug
from articles.register.relink import relink_municipalities
from articles.text import german_slugify, match_key


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Dateien",
        help_text=(
            "Gespeicherte Artikelseiten als .txt-Dateien oder ZIP-Archive davon; "
            f"höchstens {uploads.MAX_MEMBERS} Dateien. Zuerst zeigt ein Probelauf, "
            "was der Import täte."
        ),
    )
    force = forms.BooleanField(
        label="Auch unveränderte Dateien einlesen",
        required=False,
        help_text="Sonst werden Dateien übersprungen, die schon so importiert wurden.",
    )


def start_upload_run(user, read: uploads.ReadUpload, *, force: bool) -> ImportRun:
    """Store the accepted files as a dry run and enqueue it."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            origin=ImportRun.Origin.UPLOAD,
            started_by=user,
            dry_run=True,
            options={
                "force": force,
                "refused": [
                    {"label": refusal.label, "message": refusal.message}
                    for refusal in read.refusals
                ],
            },
        )
        UploadedSeedFile.objects.bulk_create(
            UploadedSeedFile(
                run=run, position=position, name=seed.name, label=seed.label, data=seed.data
            )
            for position, seed in enumerate(read.seeds)
        )
    run_import.enqueue(run.pk)
    return run


def execute_checked_run(user, checked: ImportRun) -> ImportRun:
    """Import the files of a finished dry run."""
    run = ImportRun.objects.create(
        origin=ImportRun.Origin.UPLOAD,
        started_by=user,
        checked_run=checked,
        options={"force": checked.options.get("force", False)},
    )
    run_import.enqueue(run.pk)
    return run


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "origin", "started_by", "state", "files_total", "summary"]
    list_filter = ["origin", "dry_run", "state"]
    list_select_related = ["started_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_start_permission(self, request):
        return roles.can_start_imports(request.user)

    @admin.display(description="Ergebnis")
    def summary(self, run):
        counts = run.counts or {}
        if not counts:
            return run.get_state_display()
        return (
            f"{counts.get('created', 0)} neu, {counts.get('updated', 0)} geändert, "
            f"{counts.get('files_unchanged', 0)} unverändert, "
            f"{counts.get('files_failed', 0)} fehlgeschlagen"
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("hochladen/", view(self.upload_view), name="articles_importrun_upload"),
            path(
                "<int:run_id>/ausfuehren/",
                view(self.execute_view),
                name="articles_importrun_execute",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_start": self.has_start_permission(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request) or request.method != "GET":
            raise PermissionDenied  # a record: nobody changes it
        run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=object_id)
        files = run.files.prefetch_related(
            Prefetch(
                "article_rows",
                queryset=ImportedArticle.objects.select_related("article").order_by("pk"),
            )
        )
        context = {
            **self.admin_site.each_context(request),
            "title": str(run),
            "opts": self.model._meta,
            "run": run,
            "files": files,
            "refused": run.options.get("refused", []),
            "open_findings": run.findings.open().count(),
            "can_execute": (
                run.dry_run
                and run.state == ImportRun.State.DONE
                and run.origin == ImportRun.Origin.UPLOAD
                and not run.executions.exists()
                and self.has_start_permission(request)
            ),
            "executions": run.executions.all(),
        }
        response = TemplateResponse(request, "admin/articles/import_run.html", context)
        add_never_cache_headers(response)
        return response

    def upload_view(self, request):
        if not self.has_start_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        refusals = []
        if request.method == "POST" and form.is_valid():
            read = uploads.read_upload(form.cleaned_data["files"])
            refusals = read.refusals
            if not register_loaded():
                form.add_error(None, EMPTY_REGISTER)
            elif not read.seeds:
                form.add_error("files", "Keine der Dateien lässt sich importieren (siehe unten).")
            else:
                run = start_upload_run(request.user, read, force=form.cleaned_data["force"])
                return HttpResponseRedirect(run.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": "Artikelseiten importieren",
            "opts": self.model._meta,
            "form": form,
            "refusals": refusals,
            "limits": {
                "file_mb": uploads.MAX_FILE_BYTES // 1_000_000,
                "upload_mb": uploads.MAX_UPLOAD_BYTES // 1_000_000,
                "members": uploads.MAX_MEMBERS,
            },
        }
        return TemplateResponse(request, "admin/articles/import_upload.html", context)

    def execute_view(self, request, run_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_start_permission(request):
            raise PermissionDenied
        with transaction.atomic():
            checked = get_object_or_404(ImportRun.objects.select_for_update(), pk=run_id)
            ready = checked.dry_run and checked.state == ImportRun.State.DONE
            if not ready or checked.executions.exists():
                self.message_user(
                    request,
                    "Dieser Probelauf ist nicht fertig oder wurde schon ausgeführt.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(checked.get_absolute_url())
            run = execute_checked_run(request.user, checked)
        return HttpResponseRedirect(run.get_absolute_url())


class FindingStatusFilter(admin.SimpleListFilter):
    """The worklist opens on the open findings; "Alle" shows the closed ones too."""

    title = "Status"
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [("erledigt", "Erledigt"), ("alle", "Alle")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Offen",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "alle":
            return queryset
        if self.value() == "erledigt":
            return queryset.filter(status=Finding.Status.CLOSED)
        return queryset.open()


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["finding", "article_link", "source", "stored_value"]
    list_filter = [
        FindingStatusFilter,
        "kind",
        ("article__section", admin.RelatedOnlyFieldListFilter),
        ("run", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["message", "subject", "article__title", "article__kicker"]
    list_select_related = ["article", "article__section"]
    actions = ["accept"]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("article__municipalities", "article__tags", "article__links")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # findings are closed by the action or an edit of the field

    def has_work_permission(self, request):
        return request.user.has_perm("articles.change_finding")

    class Media:
        css = {"all": ["articles/admin.css"]}

    @admin.display(description="Befund", ordering="kind")
    def finding(self, finding):
        closed = "" if finding.is_open else f" ({finding.get_resolution_display()})"
        return format_html(
            "<strong>{}</strong>{}<br>{}", finding.get_kind_display(), closed, finding.message
        )

    @admin.display(description="Artikel", ordering="article__title")
    def article_link(self, finding):
        url = reverse("admin:articles_article_change", args=[finding.article_id])
        return format_html('<a href="{}">{}</a>', url, finding.article)

    @admin.display(description="Quelle")
    def source(self, finding):
        rows = ((line["line"], line["text"]) for line in finding.source_lines)
        lines = format_html_join("", "<div><small>Zeile {}</small> {}</div>", rows)
        if finding.source_file:
            name = finding.source_file.rsplit("/", 1)[-1]
            return format_html(
                '<div><code title="{}">{}</code></div>{}', finding.source_file, name, lines
            )
        return lines or "—"

    @admin.display(description="Gespeichert", ordering="field")
    def stored_value(self, finding):
        if finding.kind == Finding.Kind.POSSIBLE_TWIN and finding.subject.isdigit():
            url = reverse("admin:articles_article_change", args=[finding.subject])
            return format_html('<a href="{}">Der andere Artikel (Nr. {})</a>', url, finding.subject)
        value = stored_value(finding.article, finding.field) or "—"
        if not finding.field:
            return value
        return format_html("<small>{}:</small> {}", field_label(finding.field), value)

    @admin.action(description="Passt so: gewählte Befunde abhaken", permissions=["work"])
    def accept(self, request, queryset):
        closed = queryset.close(Finding.Resolution.ACCEPTED, request.user)
        self.message_user(request, f"{closed} Befund(e) als „passt so“ abgehakt.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("namen/", view(self.candidates_view), name="articles_finding_candidates"),
            *super().get_urls(),
        ]

    def candidates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_work_permission(request):
                raise PermissionDenied
            level, message = resolve_candidate(request.POST, request.user)
            self.message_user(request, message, level)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Unbekannte Namen",
            "opts": self.model._meta,
            "candidates": Finding.objects.unknown_names(),
            "can_work": self.has_work_permission(request),
        }
        return TemplateResponse(request, "admin/articles/unknown_names.html", context)


def field_label(name: str) -> str:
    if not name:
        return "—"
    labels = {"tags": "Stichwörter", "links": "Links", "municipalities": "Kommunen"}
    if name in labels:
        return labels[name]
    return str(Article._meta.get_field(name).verbose_name)


def stored_value(article: Article, name: str) -> str:
    """The article's current value of a finding's field, as text (prefetched relations)."""
    if name == "municipalities":
        return ", ".join(m.name for m in article.municipalities.all())
    if name == "tags":
        return ", ".join(tag.name for tag in article.tags.all())
    if name == "links":
        return " · ".join(link.url or link.label for link in article.links.all())
    if name == "body":
        text = article.body_text
        return text if len(text) <= 200 else text[:199] + "…"
    if name == "section":
        return str(article.section or "")
    value = getattr(article, name, "") if name else ""
    return "" if value is None else str(value)


def resolve_candidate(post, user) -> tuple[int, str]:
    """One step for an unknown name: an alias of a register entry, a new organisation,
    or "not a place"; the affected articles are relinked. Returns a message."""
    name = post.get("name", "").strip()
    findings = Finding.objects.open().filter(kind=Finding.Kind.UNRESOLVED_PLACE, subject=name)
    article_ids = list(findings.values_list("article_id", flat=True))
    if not name or not article_ids:
        return messages.WARNING, "Zu diesem Namen gibt es keinen offenen Befund mehr."
    choice = post.get("choice")
    if choice == "no_place":
        findings.close(Finding.Resolution.ACCEPTED, user)
        return messages.SUCCESS, f"„{name}“ ist kein Ort: {len(article_ids)} Befund(e) abgehakt."
    with transaction.atomic():
        if choice == "alias":
            target = find_register_entry(post.get("target", ""))
            if target is None:
                return messages.ERROR, (
                    f"„{post.get('target', '')}“ ist kein Eintrag des Verzeichnisses: bitte den "
                    "amtlichen Schlüssel (AGS) oder den Kurznamen angeben."
                )
            if not target.aliases.filter(key=match_key(name)).exists():
                MunicipalityAlias.objects.create(municipality=target, name=name)
            done = f"„{name}“ ist jetzt ein anderer Name für {target}"
        elif choice == "organisation":
            target = Municipality.objects.create(
                name=name,
                slug=unique_municipality_slug(name),
                kind=Municipality.Kind.OTHER,
            )
            done = f"„{name}“ ist als Organisation angelegt"
        else:
            return messages.ERROR, "Bitte wählen, was mit dem Namen geschehen soll."
        result = relink_municipalities(article_ids)
    return messages.SUCCESS, f"{done}; {result.articles_changed} Artikel neu zugeordnet."


def find_register_entry(value: str) -> Municipality | None:
    value = value.strip()
    if not value:
        return None
    return (
        Municipality.objects.filter(ags=value).first()
        or Municipality.objects.filter(slug=value).first()
    )


def unique_municipality_slug(name: str) -> str:
    return unique_slug(Municipality, german_slugify(name), max_length=160)
