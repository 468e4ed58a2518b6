"""Posting admin forms as a browser would: the page's own values plus the changes."""

import datetime as dt

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model=Article) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def form_values(form) -> dict:
    """The values a browser would submit for `form` unchanged."""
    data = {}
    for bound in form:
        name = bound.name
        if bound.field.disabled:
            continue
        value = bound.value()
        key = form.add_prefix(name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
            data[f"{key}_0"], data[f"{key}_1"] = (
                value.date().isoformat(),
                value.strftime("%H:%M:%S"),
            )
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif value is not None and not isinstance(value, FieldFile):
            data[key] = str(value)
    return data


def change_form_data(client, obj, **changes) -> dict:
    """The change form of `obj` as the page shows it, with `changes` applied; a change
    to a live article is a silent correction unless `changes` say otherwise."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = form_values(form)
    if "correction_kind" in form.fields:
        data["correction_kind"] = "still"
    if response.context.get("loaded_state"):  # what the form showed (concurrency check)
        data["loaded_state"] = response.context["loaded_state"]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            data.update(form_values(form))
    data.update(changes)
    return data


def post_change(client, obj, **changes):
    return client.post(change_url(obj), change_form_data(client, obj, **changes))


def run_action(client, action, objects, model=Article, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], "index": "0"}
    data.update(extra)
    return client.post(changelist_url(model), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
