"""Optimistic concurrency for the admin's change forms: no edit is silently lost.

Every change form carries a signed snapshot of what it showed (`loaded_state`). A save
compares it with the row as it is now, locked in the admin's transaction (SELECT … FOR
UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the write lock from the
start). If another editor, an action or the import changed the object in between,
nothing is written and the editor gets a conflict page: field by field, what the other
side changed and what this editor wanted. "ihre Fassung übernehmen" reloads the form
with the stored version; "meine Änderungen erneut anwenden" saves this editor's
changes on top of it, and where both changed the same field the editor chooses.

The snapshot is a signed token rather than a version column: it needs no schema
change, works for every model, and is the base the conflict page compares with.
"""

import copy
import json
import re
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models, router, transaction
from django.db.models.fields.files import FieldFile
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.utils import formats, timezone

TOKEN_FIELD = "loaded_state"
SALT = "articles.admin.concurrency"
MINE_PREFIX, CHOICE_PREFIX = "_mine__", "_choose__"


def as_text(value) -> str:
    """A field's value as comparable text: the same for the form's and the model's."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        # The form shows whole seconds.
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    if hasattr(value, "name") and hasattr(value, "read"):  # a new upload
        return f"upload:{value.name}"
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, models.QuerySet | tuple | set):
        return json.dumps(sorted(as_text(item) for item in value))
    return str(value)


class Conflict:
    """What changed on each side since the form was loaded, field by field."""

    def __init__(self, base: dict, theirs: dict, mine: dict, labels: dict):
        self.base, self.theirs, self.mine, self.labels = base, theirs, mine, labels

    def kind(self, name: str) -> str | None:
        """ "theirs", "mine", "both" (a choice), "same" (both made the same change)."""
        theirs = self.theirs[name] != self.base[name]
        mine = self.mine[name] != self.base[name]
        if theirs and mine:
            return "same" if self.theirs[name] == self.mine[name] else "both"
        return "theirs" if theirs else "mine" if mine else None

    @property
    def fields(self) -> list[str]:
        return [name for name in self.base if self.kind(name)]

    @property
    def colliding(self) -> list[str]:
        return [name for name in self.base if self.kind(name) == "both"]


class ConcurrentEditAdminMixin:
    """For a ModelAdmin: refuse a save against a newer version, offer a merge."""

    conflict_template = "admin/articles/edit_conflict.html"
    conflict_passthrough = ()  # inputs starting with "_" that the merged post keeps

    # --- what is compared ---------------------------------------------------------

    def snapshot_fields(self, request, obj) -> list[str]:
        """The model fields the change form edits."""
        names = set(flatten_fieldsets(self.get_fieldsets(request, obj)))
        names -= set(self.get_readonly_fields(request, obj))
        return [
            field.name
            for field in self.model._meta.get_fields()
            if field.name in names and (field.concrete or field.many_to_many)
        ]

    def snapshot(self, request, obj) -> dict[str, str]:
        state = {}
        for name in self.snapshot_fields(request, obj):
            field = self.model._meta.get_field(name)
            if field.many_to_many:
                state[name] = as_text(getattr(obj, name).order_by().values_list("pk", flat=True))
            else:
                state[name] = as_text(getattr(obj, name))
        return state

    def submitted_snapshot(self, request, obj, base: dict, data=None) -> dict[str, str]:
        """What this editor's form (or `data`, a post of it) would save, as text; a field
        the form refuses counts as unchanged (its error shows again after the merge)."""
        data = request.POST if data is None else data
        ModelForm = self.get_form(
            request, obj, change=True, fields=flatten_fieldsets(self.get_fieldsets(request, obj))
        )
        # A copy: cleaning the form writes the submitted values into its instance.
        form = ModelForm(data, request.FILES, instance=copy.deepcopy(obj))
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        state = {}
        for name in base:
            if name not in cleaned:
                state[name] = base[name]
            elif cleaned[name] is False and name in self.file_fields():  # "clear the file"
                state[name] = ""
            else:
                state[name] = as_text(cleaned[name])
        return state

    def file_fields(self) -> set[str]:
        return {f.name for f in self.model._meta.fields if isinstance(f, models.FileField)}

    def token_for(self, request, obj) -> str:
        return signing.dumps(self.snapshot(request, obj), salt=SALT, compress=True)

    def last_change(self, obj) -> str:
        """Who changed the object last, and when, as the conflict page says it."""
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry is None:
            return "jemand anderes"
        when = formats.date_format(timezone.localtime(entry.action_time), "j. F Y, H:i")
        return f"{entry.user.get_username()} am {when} Uhr"

    # --- the views ----------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context[TOKEN_FIELD] = self.token_for(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        request.POST = apply_choices(request.POST)
        with transaction.atomic(using=router.db_for_write(self.model)):
            conflict_page = self.refuse_stale_save(request, unquote(object_id))
            if conflict_page is not None:
                return conflict_page
            return super().changeform_view(request, object_id, form_url, extra_context)

    def refuse_stale_save(self, request, object_id):
        """The conflict page, if the object changed since the form was loaded."""
        try:
            base = signing.loads(request.POST.get(TOKEN_FIELD, ""), salt=SALT)
        except signing.BadSignature:
            return None  # a client that sends no token: the check guards against lost
            # updates in the browser; it is no access control (the form's rules are)
        current = self.model._default_manager.select_for_update().filter(pk=object_id).first()
        if current is None or not self.has_change_permission(request, current):
            return None  # the admin's own view answers these
        theirs = self.snapshot(request, current)
        base = {name: base.get(name, theirs[name]) for name in theirs}
        if theirs == base:
            return None
        conflict = Conflict(
            base,
            theirs,
            self.submitted_snapshot(request, current, base),
            {name: self.field_label(name) for name in theirs},
        )
        return self.conflict_response(request, current, conflict)

    def field_label(self, name: str) -> str:
        if name == "links":
            return "Weblinks"
        field = self.model._meta.get_field(name)
        return str(field.verbose_name)

    def conflict_response(self, request, current, conflict: Conflict):
        theirs_data = self.form_data_of(request, current)
        merged = QueryDict(mutable=True)
        for key, values in theirs_data.items():
            merged.setlist(key, values)
        mine_hidden = []
        for name in conflict.fields:
            kind = conflict.kind(name)
            if kind == "mine":
                replace_field(merged, name, request.POST)
            elif kind == "both":
                mine_hidden += [
                    (MINE_PREFIX + key, value)
                    for key in keys_of(name, request.POST)
                    for value in request.POST.getlist(key)
                ]
        for key in request.POST:  # inputs of the form that are no model fields
            if (
                key not in merged
                and not key_field(key, conflict.base)
                and key not in ("csrfmiddlewaretoken", TOKEN_FIELD)
                and (not key.startswith("_") or key in self.conflict_passthrough)
            ):
                merged.setlist(key, request.POST.getlist(key))
        merged.setlist(TOKEN_FIELD, [self.token_for(request, current)])
        rows = [
            {
                "name": name,
                "label": conflict.labels[name],
                "kind": conflict.kind(name),
                "base": self.display(name, conflict.base[name]),
                "theirs": self.display(name, conflict.theirs[name]),
                "mine": self.display(name, conflict.mine[name]),
            }
            for name in conflict.fields
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": current,
            "title": "Bearbeitungskonflikt",
            "rows": rows,
            "changed_by": self.last_change(current),
            "hidden": [(key, value) for key in merged for value in merged.getlist(key)]
            + mine_hidden,
            "dropped_upload": bool(request.FILES),
        }
        return TemplateResponse(request, self.conflict_template, context, status=409)

    def form_data_of(self, request, obj) -> dict[str, list[str]]:
        """The data a browser would post for `obj`'s change form unchanged."""
        ModelForm = self.get_form(
            request, obj, change=True, fields=flatten_fieldsets(self.get_fieldsets(request, obj))
        )
        data = browser_data(ModelForm(instance=obj))
        for FormSet, inline in self.get_formsets_with_inlines(request, obj):
            formset = FormSet(
                instance=obj,
                prefix=FormSet.get_default_prefix(),
                queryset=inline.get_queryset(request),
            )
            management = formset.management_form
            for key, value in management.initial.items():
                data[management.add_prefix(key)] = [str(value)]
            for form in formset.forms:
                data.update(browser_data(form))
        return data

    def display(self, name: str, text: str) -> str:
        """A snapshot value as the desk reads it."""
        if not text:
            return "—"
        if name == "links":
            return ", ".join(url or label for url, label in json.loads(text)) or "—"
        field = self.model._meta.get_field(name)
        if field.many_to_many or field.is_relation:
            pks = json.loads(text) if field.many_to_many else [text]
            related = field.related_model._default_manager.filter(pk__in=pks)
            return ", ".join(sorted(str(obj) for obj in related)) or "—"
        if isinstance(field, models.DateTimeField):
            return formats.date_format(datetime.fromisoformat(text), "j. F Y, H:i") + " Uhr"
        if isinstance(field, models.BooleanField):
            return "ja" if text == "1" else "nein"
        if field.choices:
            return str(dict(field.flatchoices).get(text, text))
        return text


def browser_data(form) -> dict[str, list[str]]:
    """The values a browser would submit for an unbound `form`, by input name."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        key, value = bound.html_name, bound.value()
        if isinstance(value, datetime):
            value = timezone.localtime(value)
            data[f"{key}_0"] = [value.date().isoformat()]
            data[f"{key}_1"] = [value.strftime("%H:%M:%S")]
        elif isinstance(value, bool):
            if value:
                data[key] = ["on"]
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is not None and not isinstance(value, FieldFile):
            data[key] = [str(value)]
    return data


def keys_of(name: str, data) -> list[str]:
    """The inputs that carry field `name`: name, name_0, name_1 …; an inline's all."""
    if name == "links":
        return [key for key in data if key.startswith("links-")]
    pattern = re.compile(rf"{re.escape(name)}(_\d+)?")
    return [key for key in data if pattern.fullmatch(key)]


def key_field(key: str, fields) -> str | None:
    return next((name for name in fields if key in keys_of(name, [key])), None)


def replace_field(target: QueryDict, name: str, source) -> None:
    for key in keys_of(name, list(target)):
        del target[key]
    for key in keys_of(name, source):
        target.setlist(key, source.getlist(key))


def apply_choices(post: QueryDict) -> QueryDict:
    """The conflict page's post: for each field the editor chose "mine" for, its
    inputs from the hidden copy of the editor's own values."""
    choices = {
        key[len(CHOICE_PREFIX) :]: post[key] for key in post if key.startswith(CHOICE_PREFIX)
    }
    if not choices:
        return post
    merged = post.copy()
    mine = QueryDict(mutable=True)
    for key in post:
        if key.startswith(MINE_PREFIX):
            mine.setlist(key[len(MINE_PREFIX) :], post.getlist(key))
    for name, choice in choices.items():
        if choice == "mine":
            replace_field(merged, name, mine)
    for key in list(merged):
        if key.startswith((MINE_PREFIX, CHOICE_PREFIX)):
            del merged[key]
    return merged
