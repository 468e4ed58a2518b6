"""A readable German field-by-field diff for the article history page."""

import difflib
from datetime import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.admin.body import blocks_to_text
from articles.models import Article
from articles.versions import BOOKKEEPING_FIELDS

EMPTY = "—"
LONG_TEXT = 120  # longer values are shown as a word diff, not as old → new
CONTEXT_WORDS = 8  # unchanged words kept around each change in a word diff


def display_value(field, value) -> str:
    """A value as an editor knows it: labels of choices, names, German dates."""
    if value in (None, "", []):
        return EMPTY
    if field.name in ("municipalities", "tags"):
        related = "municipality" if field.name == "municipalities" else "tag"
        names = sorted(str(row[related]) for row in value)
        return ", ".join(names) if names else EMPTY
    if field.name == "body":
        return blocks_to_text(value)
    if field.name == "edited_fields":
        return ", ".join(label_of(name) for name in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    return str(value)


def label_of(field_name: str) -> str:
    return capfirst(Article._meta.get_field(field_name).verbose_name)


def word_diff(old: str, new: str):
    """Words removed (<del>) and added (<ins>), long unchanged stretches shortened."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words = old_words[i1:i2]
            if len(words) > 2 * CONTEXT_WORDS:
                words = [*words[:CONTEXT_WORDS], "…", *words[-CONTEXT_WORDS:]]
            parts.append(format_html("{} ", " ".join(words)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del> ", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins> ", " ".join(new_words[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


class GermanHistoryContext(HistoricalRecordContextHelper):
    """Each change as label, old and new value in German, long texts as a word diff."""

    def context_for_delta_changes(self, delta):
        changes = []
        content = (c for c in delta.changes if c.field not in BOOKKEEPING_FIELDS)
        for change in sorted(content, key=lambda c: field_order(c.field)):
            field = Article._meta.get_field(change.field)
            old, new = display_value(field, change.old), display_value(field, change.new)
            entry = {"field": label_of(change.field), "old": old, "new": new, "diff": None}
            if max(len(old), len(new)) > LONG_TEXT:
                entry["diff"] = word_diff("" if old == EMPTY else old, "" if new == EMPTY else new)
            changes.append(entry)
        return changes


def field_order(name: str) -> int:
    names = [field.name for field in Article._meta.get_fields()]
    return names.index(name) if name in names else len(names)
