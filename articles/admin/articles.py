"""The article admin: list, change form, actions, history and the corrections rule."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles import roles
from articles.admin.article_merge import ArticleMergeAdminMixin
from articles.admin.body import BodyField
from articles.admin.concurrency import ConcurrentEditAdminMixin, as_text
from articles.admin.history import GermanHistoryContext, label_of
from articles.admin.revisions import (
    PROPOSED,
    RevisionViews,
    approval_reason,
    approved_revision,
    needs_approval,
    propose,
)
from articles.models import (
    Article,
    ArticleLink,
    Correction,
    EditingPresence,
    Finding,
    Municipality,
    Section,
    Tag,
)
from articles.versions import record_version_if_changed

EDITED_BADGE = "von Redaktion geändert"
SILENT, NOTICE = "still", "hinweis"
PUBLICATION_FIELDS = ("status", "published_at")
NOT_LOOKED_UP = object()


def is_public(stored: dict | None) -> bool:
    """Whether readers see an article with this stored status and date now."""
    return bool(
        stored
        and stored["status"] == Article.Status.PUBLISHED
        and stored["published_at"] <= timezone.now()
    )


# What readers read: a change to these on a live article is a correction.
READ_FIELDS = (
    "kicker",
    "title",
    "lead",
    "body",
    "image_caption",
    "image_credit",
    "author_initials",
)
PUBLICATION_LOCKED = (
    "Status und Datum eines veröffentlichten oder geplanten Artikels ändert nur die Chefredaktion."
)


def articles_count(number: int, *, dative=False) -> str:
    """ "1 Artikel", "3 Artikel" – or, after "bei", "3 Artikeln"."""
    return f"{number} Artikel" + ("n" if dative and number != 1 else "")


# --- List filters -------------------------------------------------------------------


class WorkflowFilter(admin.SimpleListFilter):
    """Draft → review → published, with "geplant" for a published article not yet due."""

    title = "Status"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return Article.WORKFLOW_STATES

    def queryset(self, request, queryset):
        return queryset.in_workflow_state(self.value()) if self.value() else queryset


class LandFilter(admin.SimpleListFilter):
    title = "Land"
    parameter_name = "land"

    def lookups(self, request, model_admin):
        laender = Municipality.objects.filter(kind=Municipality.Kind.LAND).only("pk", "name")
        return [(str(land.pk), land.name) for land in laender]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # A subquery, not a join: an article naming two places in one Land stays one row.
        linked = Article.municipalities.through.objects.filter(municipality__land=self.value())
        return queryset.filter(pk__in=linked.values("article_id"))


class YearFilter(admin.SimpleListFilter):
    title = "Jahr"
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        # Two index lookups instead of grouping every row by year.
        span = Article.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
        if span["first"] is None:
            return []
        return [(str(y), str(y)) for y in range(span["last"].year, span["first"].year - 1, -1)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(published_at__year=int(self.value()))


# --- Forms --------------------------------------------------------------------------


class ArticleActionForm(ActionForm):
    """The action bar's extra inputs: the section or tag an action applies."""

    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, label="Bereich", empty_label="Bereich …"
    )
    tag_name = forms.CharField(required=False, label="Stichwort", max_length=150)


class ArticleAdminForm(forms.ModelForm):
    """Server-side role rules for status and date, body as text, edited-field badges."""

    can_publish = True  # set per request by ArticleAdmin.get_form
    stored = NOT_LOOKED_UP  # status and date as stored; likewise

    body = BodyField(
        label="Text",
        required=False,
        help_text="Absätze durch eine Leerzeile trennen; Zwischenüberschriften mit „## “ beginnen.",
    )
    new_tags = forms.CharField(
        label="Neue Stichwörter",
        required=False,
        help_text="Durch Kommas getrennt; werden angelegt und zugeordnet.",
    )
    # Asked when the text of a live article changes (Pressekodex, Ziffer 3).
    correction_kind = forms.ChoiceField(
        label="Art der Korrektur",
        required=False,
        choices=[
            (SILENT, "Stille Korrektur (Tippfehler, Layout)"),
            (NOTICE, "Korrektur mit Hinweis"),
        ],
        widget=forms.RadioSelect,
        help_text="Ein Hinweis erscheint mit Datum unter dem Artikel.",
    )
    correction_note = forms.CharField(
        label="Hinweis für die Leser",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Was falsch war und was jetzt stimmt, z. B. „In einer früheren Fassung stand "
        "eine falsche Einwohnerzahl.“",
    )

    class Meta:
        model = Article
        fields = [
            "kicker",
            "title",
            "slug",
            "lead",
            "body",
            "author_initials",
            "image",
            "image_alt",
            "image_caption",
            "image_credit",
            "section",
            "municipalities",
            "tags",
            "status",
            "published_at",
            "kind",
            "teaser_only",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._restore_history_relations()
        for name in self.instance.edited_fields:
            if name in self.fields:
                field = self.fields[name]
                field.label = format_html(
                    '{} <span class="edited-badge">{}</span>', field.label, EDITED_BADGE
                )
        if not self.can_publish:
            self._limit_to_redaktion()
        if not self.stored_as_public():
            del self.fields["correction_kind"], self.fields["correction_note"]

    def stored_as_public(self) -> bool:
        """Whether readers see the article now (as stored, not as the form has it)."""
        return is_public(self._stored_publication())

    def _limit_to_redaktion(self):
        """Redaktion neither publishes nor moves or takes back a published article.

        For a published article (live or scheduled) status and date are shown but not
        editable, and their values are the stored ones, not the submitted ones nor, on
        the revert page, those of the old version.
        """
        if self._publication_locked():
            stored = self._stored_publication()
            for name in PUBLICATION_FIELDS:
                field = self.fields.get(name)
                if field is not None:
                    field.disabled = True
                    field.help_text = PUBLICATION_LOCKED
                    self.initial[name] = stored[name]
        elif "status" in self.fields:
            status = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] != Article.Status.PUBLISHED]

    def _restore_history_relations(self):
        """On simple-history's revert page, show the version's places and tags."""
        record = getattr(self.instance, "_history", None)
        if record is None or self.is_bound:
            return
        self.initial["municipalities"] = [
            row.municipality_id for row in record.municipalities.all()
        ]
        self.initial["tags"] = [row.tag_id for row in record.tags.all()]

    def _stored_publication(self) -> dict | None:
        """Status and date as the database has them now (None for a new article): from
        the admin, which looks them up once per request, or looked up here."""
        if not self.instance.pk:
            return None
        if self.stored is NOT_LOOKED_UP:
            self.stored = (
                Article.objects.filter(pk=self.instance.pk).values(*PUBLICATION_FIELDS).first()
            )
        return self.stored

    def _publication_locked(self) -> bool:
        """Status and date of a published (live or scheduled) article, for Redaktion."""
        return not self.can_publish and self._status_in_db() == Article.Status.PUBLISHED

    def _status_in_db(self):
        stored = self._stored_publication()
        return stored["status"] if stored else None

    def clean(self):
        cleaned = super().clean()
        self._clean_correction(cleaned)
        if getattr(self.instance, "_history", None) is None:
            # Saving unchanged relations would add empty entries to the history.
            for name in ("municipalities", "tags"):
                if name not in self.changed_data:
                    cleaned.pop(name, None)
        return cleaned

    def _clean_correction(self, cleaned):
        if "correction_kind" not in self.fields:
            return
        links = getattr(self.instance, "_links_formset", None)
        changed = set(self.changed_data) & set(READ_FIELDS)
        if links is not None and links.has_changed():
            changed.add("links")
        kind = cleaned.get("correction_kind")
        if changed and not kind:
            self.add_error(
                "correction_kind",
                "Der Artikel ist veröffentlicht: bitte wählen, ob die Änderung eine stille "
                "Korrektur oder eine Korrektur mit Hinweis ist.",
            )
        if kind == NOTICE and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", "Bitte den Hinweis für die Leser angeben.")

    def correction(self) -> tuple[str, str]:
        """The correction's kind and public note, as the editor gave them."""
        data = getattr(self, "cleaned_data", {})
        return data.get("correction_kind") or "", (data.get("correction_note") or "").strip()

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self._status_in_db()
        if (
            not self.can_publish
            and status != before
            and Article.Status.PUBLISHED in (status, before)
        ):
            raise forms.ValidationError(
                "Veröffentlichen und Zurückziehen darf nur die Chefredaktion."
            )
        return status

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if not self._publication_locked():
            return published_at
        stored = self._stored_publication()["published_at"]
        # The form shows whole seconds; the stored value is kept to the microsecond.
        if published_at.replace(microsecond=0) != stored.replace(microsecond=0):
            # Moving the date of a scheduled article breaks its embargo; moving a live
            # one into the future takes it off the site. Both are Chefredaktion's.
            raise forms.ValidationError(PUBLICATION_LOCKED)
        return stored

    def new_tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("new_tags", "")
        return [name.strip() for name in raw.split(",") if name.strip()]


def submitted_links(data) -> list[list[str]]:
    """The weblinks an article's change form posts, as [url, label] in their order."""
    rows = []
    for index in range(int(data.get("links-TOTAL_FORMS") or 0)):
        field = f"links-{index}-"
        url, label = data.get(field + "url", "").strip(), data.get(field + "label", "").strip()
        if (url or label) and not data.get(field + "DELETE"):
            position = data.get(field + "position") or "0"
            rows.append((int(position) if position.isdigit() else 0, index, [url, label]))
    return [row for *_, row in sorted(rows)]


class ArticleLinkFormSet(BaseInlineFormSet):
    """Lets save_model see whether the editor changed the links."""

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            instance._links_formset = self


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    formset = ArticleLinkFormSet
    extra = 0
    fields = ["position", "url", "label"]
    ordering = ["position", "pk"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a typed "www.…" becomes https://www.…
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).for_admin_list()


# --- The admin ----------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(
    ArticleMergeAdminMixin, RevisionViews, ConcurrentEditAdminMixin, SimpleHistoryAdmin
):
    form = ArticleAdminForm
    action_form = ArticleActionForm
    # Fits 1280 px beside the admin's navigation and the filters without a sideways
    # scroll (about 630 px for the table): Dachzeile, Titel, Kommunen and Stichwörter in
    # one wrapping column, "Nur Anreißer" under the Art, the time under the date.
    list_display = ["headline", "workflow", "kind_label", "date", "section"]
    list_display_links = ["headline"]
    list_filter = [
        WorkflowFilter,
        "section",
        "kind",
        "teaser_only",
        LandFilter,
        YearFilter,
    ]
    search_fields = ["kicker", "title", "lead", "body"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    autocomplete_fields = ["section", "municipalities", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "intertitles_list",
        "findings_list",
        "import_runs_list",
        "source_files_list",
        "duplicate_key",
        "edited_fields_list",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        ("Kopf", {"fields": ["kicker", "title", "slug"]}),
        ("Inhalt", {"fields": ["lead", "body", "intertitles_list", "author_initials"]}),
        ("Bild", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        ("Zuordnung", {"fields": ["section", "municipalities", "tags", "new_tags"]}),
        ("Veröffentlichung", {"fields": ["status", "published_at", "kind", "teaser_only"]}),
        ("Zu prüfen", {"fields": ["findings_list"]}),
        (
            "Import",
            {
                "classes": ["collapse"],
                "fields": [
                    "import_runs_list",
                    "source_files_list",
                    "duplicate_key",
                    "edited_fields_list",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    inlines = [ArticleLinkInline]
    actions = [
        "publish",
        "unpublish",
        "send_to_review",
        "set_section",
        "add_tag",
        "remove_tag",
        "release_edit_marks",
        "merge_articles",
    ]
    object_history_list_template = "admin/articles/article/object_history_list.html"
    conflict_passthrough = ("_revision",)  # an approval stays one through the conflict page

    class Media:
        css = {"all": ["articles/admin.css"]}
        js = ["articles/presence.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if is_public(self.stored_publication(request, obj)):
            correction = ("Korrektur", {"fields": ["correction_kind", "correction_note"]})
            fieldsets.insert(1, correction)
        return fieldsets

    # --- list ---------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    @admin.display(description="Artikel", ordering="title")
    def headline(self, article):
        places = ", ".join(m.name for m in article.municipalities.all()) or "—"
        tags = ", ".join(sorted(t.name for t in article.tags.all())) or "—"
        return format_html(
            '<small class="list-kicker">{}</small><span class="list-title">{}</span>'
            '<small class="list-assignments">Kommunen: {} · Stichwörter: {}</small>',
            article.kicker,
            article.title,
            places,
            tags,
        )

    @admin.display(description="Art", ordering="kind")
    def kind_label(self, article):
        if article.teaser_only:
            return format_html(
                '{}<br><small class="list-teaser">Nur Anreißer</small>', article.get_kind_display()
            )
        return article.get_kind_display()

    @admin.display(description="Datum", ordering="published_at")
    def date(self, article):
        when = timezone.localtime(article.published_at)
        return format_html(
            '{}<br><small class="list-time">{} Uhr</small>',
            formats.date_format(when, "j. F Y"),
            formats.time_format(when, "H:i"),
        )

    @admin.display(description="Status", ordering="status")
    def workflow(self, article):
        return format_html(
            '<span class="workflow workflow-{}">{}</span>',
            article.workflow_state,
            article.workflow_label,
        )

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    # --- change form ----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = roles.can_publish(request.user)
        form.stored = self.stored_publication(request, obj)
        return form

    def stored_publication(self, request, obj) -> dict | None:
        """Status and date of `obj` as stored, looked up once per request (on the revert
        page `obj` is the old version; None for a new article)."""
        if obj is None or obj.pk is None:
            return None
        known = request.__dict__.setdefault("_stored_publication", {})
        if obj.pk not in known:
            known[obj.pk] = Article.objects.filter(pk=obj.pk).values(*PUBLICATION_FIELDS).first()
        return known[obj.pk]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # Taggit's own field is free text; the desk picks from the existing tags.
            return forms.ModelMultipleChoiceField(
                Tag.objects.all(),
                required=False,
                label="Stichwörter",
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Zwischenüberschriften")
    def intertitles_list(self, article):
        return format_html_join("", "<div>{}</div>", ((t,) for t in article.intertitles)) or "—"

    @admin.display(description="Quelldateien (SHA-256)")
    def source_files_list(self, article):
        files = article.source_files.all() if article.pk else []
        rows = ((f.name, f.checksum[:12]) for f in files)
        return format_html_join("", "<div>{} <code>{}</code></div>", rows) or "—"

    @admin.display(description="Offene Befunde des Imports")
    def findings_list(self, article):
        if not article.pk:
            return "—"
        findings = article.findings.open().order_by("kind", "pk")
        rows = (
            (finding.get_absolute_url(), finding.get_kind_display(), finding.message)
            for finding in findings
        )
        return format_html_join("", '<div><a href="{}">{}</a>: {}</div>', rows) or "Keine."

    @admin.display(description="Importläufe")
    def import_runs_list(self, article):
        if not article.pk:
            return "—"
        rows = article.import_rows.select_related("file__run").order_by("-file__run__created_at")
        items = (
            (row.file.run.get_absolute_url(), row.file.run, row.get_action_display(), row.file.name)
            for row in rows[:20]
        )
        return (
            format_html_join("", '<div><a href="{}">{}</a>: {} (<code>{}</code>)</div>', items)
            or "—"
        )

    @admin.display(description="Von Redaktion geändert")
    def edited_fields_list(self, article):
        return ", ".join(label_of(name) for name in article.edited_fields) or "—"

    def save_model(self, request, obj, form, change):
        restored = getattr(obj, "_history", None)
        if change and needs_approval(request.user, self.stored_publication(request, obj)):
            # Four eyes: the change waits for Chefredaktion; nothing of it is saved now.
            request.proposed_revision = propose(self, request, obj, form)
            form.save_m2m = lambda: None  # the revert view saves relations this way
            return
        if change:
            edited = self.edited_by_hand(form, obj)
            obj.mark_edited(*edited)
            # The editor answered the import's doubts about these fields.
            Finding.objects.close_for_fields(obj.pk, edited, request.user)
            if not hasattr(obj, "_slug_from_db"):  # a revert: the instance is rebuilt
                obj._slug_from_db = (
                    Article.objects.filter(pk=obj.pk).values_list("slug", flat=True).first()
                )
        # One version per save, written once the relations are saved too (record_change).
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)
        if restored is not None:
            # simple-history's revert view saves the relations with form.save_m2m().
            save_m2m = form.save_m2m

            def save_m2m_and_record():
                save_m2m()
                self.record_change(request, obj, form, restored_from=restored)

            form.save_m2m = save_m2m_and_record

    def save_related(self, request, form, formsets, change):
        if getattr(request, "proposed_revision", None):
            return  # nothing of a proposal is saved now
        super().save_related(request, form, formsets, change)
        if form.new_tag_names():
            form.instance.tags.add(*form.new_tag_names())
        self.record_change(request, form.instance, form)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "proposed_revision", None):
            return []  # nothing was saved: the inlines have no saved objects to name
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if not getattr(request, "proposed_revision", None):
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "proposed_revision", None):
            self.message_user(request, PROPOSED, messages.WARNING)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["revisions"] = obj.revisions.select_related("author", "decided_by")[:10]
            if change:
                EditingPresence.ping(obj.pk, request.user)
                context["present_editors"] = EditingPresence.others(obj.pk, request.user)
            stored = self.stored_publication(request, obj)
            context["needs_approval"] = needs_approval(request.user, stored)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        presence = path(
            "<path:object_id>/anwesenheit/",
            self.admin_site.admin_view(self.presence_view),
            name="articles_article_presence",
        )
        return [presence, *self.revision_urls(), *super().get_urls()]

    def presence_view(self, request, object_id):
        """The change form's ping while it is open: who else has the article open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        EditingPresence.ping(article.pk, request.user)
        response = JsonResponse({"others": EditingPresence.others(article.pk, request.user)})
        add_never_cache_headers(response)
        return response

    def record_change(self, request, article, form, restored_from=None) -> None:
        """The save's one version, unless it changed nothing a version shows; with a
        public correction notice where the editor asked for one."""
        del article.skip_history_when_saving
        reasons = []
        if restored_from is not None:
            when = formats.date_format(
                timezone.localtime(restored_from.history_date), "j. F Y, H:i"
            )
            reasons.append(f"Wiederhergestellt: Version vom {when} Uhr")
        revision = approved_revision(request, article)
        if revision is not None:
            revision.decide(revision.Status.APPROVED, request.user)
            reasons.append(approval_reason(revision))
        kind, note = form.correction()
        if kind == NOTICE:
            correction = Correction.objects.create(
                article=article, note=note, created_by=request.user
            )
            article.corrected_at = correction.created_at
            Article.objects.filter(pk=article.pk).update(corrected_at=correction.created_at)
            reasons.append(f"Korrektur mit Hinweis: {note}")
        elif kind == SILENT:
            reasons.append("Stille Korrektur")
        record_version_if_changed(article, user=request.user, reason="; ".join(reasons))

    @staticmethod
    def edited_by_hand(form, article) -> set[str]:
        """The importable fields this form submission changed: the import keeps out."""
        names = set(form.changed_data) & set(Article.EDITABLE_CONTENT_FIELDS)
        if form.new_tag_names():
            names.add("tags")
        links = getattr(article, "_links_formset", None)
        if links is not None and links.has_changed():
            names.add("links")
        return names

    # --- concurrent edits (articles.admin.concurrency) --------------------------------

    def snapshot(self, request, obj):
        links = obj.links.order_by("position", "pk").values_list("url", "label")
        return super().snapshot(request, obj) | {"links": as_text([list(x) for x in links])}

    def submitted_snapshot(self, request, obj, base, data=None):
        state = super().submitted_snapshot(request, obj, base, data)
        state["links"] = as_text(submitted_links(request.POST if data is None else data))
        return state

    def last_change(self, obj):
        version = obj.history.select_related("history_user").order_by("-history_id").first()
        if version is None:
            return super().last_change(obj)
        when = formats.date_format(timezone.localtime(version.history_date), "j. F Y, H:i")
        user = version.history_user
        who = (user.get_full_name() or user.get_username()) if user else None
        who = who or version.history_change_reason or "dem System"
        return f"{who} am {when} Uhr"

    # --- history --------------------------------------------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        return GermanHistoryContext(self.model, historical_record)

    # --- actions --------------------------------------------------------------------

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

    @admin.action(description="Veröffentlichen", permissions=["publish"])
    def publish(self, request, queryset):
        scheduled = queryset.exclude(status=Article.Status.PUBLISHED).filter(
            published_at__gt=timezone.now()
        )
        scheduled = scheduled.count()
        count = queryset.set_status(Article.Status.PUBLISHED, user=request.user)
        message = f"{articles_count(count)} veröffentlicht"
        if scheduled:
            message += f", davon {scheduled} geplant (erscheinen zu ihrem Datum)"
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Zurückziehen (zurück auf Entwurf)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = queryset.set_status(Article.Status.DRAFT, user=request.user)
        self.message_user(request, f"{articles_count(count)} zurück auf Entwurf gesetzt")

    @admin.action(description="Zur Prüfung geben", permissions=["change"])
    def send_to_review(self, request, queryset):
        # Only drafts: "zur Prüfung" must never take a published article off the site.
        count = queryset.filter(status=Article.Status.DRAFT).set_status(
            Article.Status.REVIEW, user=request.user
        )
        self.message_user(request, f"{articles_count(count)} zur Prüfung gegeben")

    @admin.action(description="Bereich setzen", permissions=["change"])
    def set_section(self, request, queryset):
        section = self._action_value(request, "section")
        if section is None:
            self.message_user(request, "Bitte einen Bereich wählen.", messages.WARNING)
            return
        queryset = self.directly_changeable(request, queryset)
        count = queryset.set_section(section, user=request.user)
        self.message_user(
            request, f"Bereich „{section}“ bei {articles_count(count, dative=True)} gesetzt"
        )

    @admin.action(description="Stichwort hinzufügen", permissions=["change"])
    def add_tag(self, request, queryset):
        name = self._action_value(request, "tag_name")
        if not name:
            self.message_user(request, "Bitte ein Stichwort eingeben.", messages.WARNING)
            return
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        queryset = self.directly_changeable(request, queryset)
        count = queryset.add_tag(tag)
        self.message_user(
            request, f"Stichwort „{tag}“ bei {articles_count(count, dative=True)} hinzugefügt"
        )

    @admin.action(description="Stichwort entfernen", permissions=["change"])
    def remove_tag(self, request, queryset):
        name = self._action_value(request, "tag_name")
        tag = Tag.objects.filter(name__iexact=name).first() if name else None
        if tag is None:
            self.message_user(request, f"Kein Stichwort „{name}“ gefunden.", messages.WARNING)
            return
        queryset = self.directly_changeable(request, queryset)
        count = queryset.remove_tag(tag)
        self.message_user(
            request, f"Stichwort „{tag}“ bei {articles_count(count, dative=True)} entfernt"
        )

    @admin.action(description="Redaktionsmarkierungen aufheben", permissions=["change"])
    def release_edit_marks(self, request, queryset):
        queryset = self.directly_changeable(request, queryset)
        count = queryset.release_edit_marks(user=request.user)
        self.message_user(
            request,
            f"Markierungen bei {articles_count(count, dative=True)} aufgehoben; der nächste "
            "Import darf diese Felder wieder überschreiben.",
        )

    def directly_changeable(self, request, queryset):
        """What an action may change at once: for Redaktion not the published (live or
        scheduled) articles, whose changes wait for Chefredaktion's approval."""
        if roles.can_publish(request.user):
            return queryset
        published = queryset.filter(status=Article.Status.PUBLISHED).count()
        if published:
            self.message_user(
                request,
                f"{articles_count(published)} übersprungen: Änderungen an veröffentlichten "
                "oder geplanten Artikeln gibt die Chefredaktion frei (im Formular als "
                "Vorschlag speichern).",
                messages.WARNING,
            )
        return queryset.exclude(status=Article.Status.PUBLISHED)

    def _action_value(self, request, name):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        return form.cleaned_data.get(name) if form.is_valid() else None
