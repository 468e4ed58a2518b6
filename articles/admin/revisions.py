"""Four eyes on live articles: Redaktion proposes, Chefredaktion approves or rejects.

A Redaktion member's save of a published or scheduled article is stored as a Revision
("Änderung wartet auf Freigabe"); the article, and with it the public page, feeds,
search and sitemaps, stays as it is. Chefredaktion reviews the change against the live
version and approves it, which saves it through the same change form, rules and
conflict check as any edit (if the live article changed since the proposal, the
conflict page shows both changes and the approver decides per field), or rejects it
with a reason the author sees. Staff can preview a proposal as the public page.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers

from articles import roles
from articles.admin.concurrency import SALT, TOKEN_FIELD, Conflict, keys_of
from articles.models import Article, Revision

PUBLICATION_INPUTS = ("status", "published_at_0", "published_at_1")
REVISION_FIELD = "_revision"  # an approval's save names the revision it approves
PROPOSED = (
    "Ihre Änderung wartet auf Freigabe durch die Chefredaktion; bis dahin bleibt der "
    "Artikel, wie er ist."
)
NO_REASON = "Bitte einen Grund für die Ablehnung angeben: die Autorin oder der Autor sieht ihn."


def needs_approval(user, stored: dict | None) -> bool:
    """A Redaktion member's change to a published (live or scheduled) article; `stored`
    is the article's status and date as stored (None for a new one)."""
    if stored is None or roles.can_publish(user):
        return False
    return stored["status"] == Article.Status.PUBLISHED


def propose(model_admin, request, article, form) -> Revision:
    """Store the change form's post as a pending revision of `article`."""
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key != "csrfmiddlewaretoken" and not key.startswith("_")
    }
    data.pop(TOKEN_FIELD, None)
    # What the author's form did not let them change (status and date of a published
    # article) is not theirs to propose, whatever a crafted post carries.
    for name, field in form.fields.items():
        if field.disabled:
            for key in keys_of(name, list(data)):
                del data[key]
    changed = [name for name in form.changed_data if name in Article.EDITABLE_CONTENT_FIELDS]
    links = getattr(article, "_links_formset", None)  # none on the revert page
    if links is not None and links.has_changed():
        changed.append("links")
    revision = Revision.objects.create(
        article=article,
        author=request.user,
        data=data,
        loaded_state=request.POST.get(TOKEN_FIELD)
        or model_admin.token_for(request, Article.objects.get(pk=article.pk)),
        fields=[model_admin.field_label(name) for name in changed],
    )
    if request.FILES:
        model_admin.message_user(
            request,
            "Ein hochgeladenes Bild kann nicht vorgeschlagen werden: bitte nach der Freigabe "
            "hochladen.",
            messages.WARNING,
        )
    return revision


def approval_post(model_admin, request, revision) -> QueryDict:
    """The change form's post that approving `revision` saves."""
    post = QueryDict(mutable=True)
    for key, values in revision.data.items():
        post.setlist(key, values)
    # What the author's form could not post: status and date (locked for Redaktion on a
    # published article) and, from the revert page, the links: the live values.
    current = model_admin.form_data_of(request, revision.article)
    kept = [*PUBLICATION_INPUTS, *(["links-"] if "links-TOTAL_FORMS" not in post else [])]
    for key, values in current.items():
        if key.startswith(tuple(kept)) and key not in post:
            post.setlist(key, values)
    post[TOKEN_FIELD] = revision.loaded_state
    post[REVISION_FIELD] = str(revision.pk)
    post["_continue"] = "1"
    post["csrfmiddlewaretoken"] = request.POST.get("csrfmiddlewaretoken", "")
    return post


def approved_revision(request, article) -> Revision | None:
    """The pending revision an approver's save carries, if any."""
    revision_id = request.POST.get(REVISION_FIELD, "")
    if not revision_id.isdigit() or not roles.can_publish(request.user):
        return None
    return Revision.objects.filter(
        pk=revision_id, article=article, status=Revision.Status.PENDING
    ).first()


def proposed_correction(revision) -> str:
    """How the author described the change for readers, as the review page says it."""
    kind = (revision.data.get("correction_kind") or [""])[0]
    note = (revision.data.get("correction_note") or [""])[0].strip()
    if kind == "hinweis":
        return f"Korrektur mit Hinweis: „{note}“"
    return "Stille Korrektur" if kind == "still" else ""


def approval_reason(revision) -> str:
    when = formats.date_format(timezone.localtime(revision.created_at), "j. F Y")
    return f"Freigabe des Vorschlags von {revision.author} vom {when}"


class RevisionViews:
    """The review and preview pages, mixed into the article admin."""

    def revision_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/vorschlag/<int:revision_id>/",
                view(self.revision_view),
                name="articles_article_revision",
            ),
            path(
                "<path:object_id>/vorschlag/<int:revision_id>/vorschau/",
                view(self.revision_preview),
                name="articles_article_revision_preview",
            ),
        ]

    def get_revision(self, request, object_id, revision_id) -> Revision:
        revision = get_object_or_404(
            Revision.objects.select_related("article", "author", "decided_by"),
            pk=revision_id,
            article_id=object_id,
        )
        if not self.has_view_permission(request, revision.article):
            raise PermissionDenied
        return revision

    def revision_view(self, request, object_id, revision_id):
        revision = self.get_revision(request, object_id, revision_id)
        article = revision.article
        if request.method == "POST":
            if not roles.can_publish(request.user):
                raise PermissionDenied
            if revision.status != Revision.Status.PENDING:
                self.message_user(request, "Über diesen Vorschlag ist schon entschieden.")
                return HttpResponseRedirect(request.path)
            if "_approve" in request.POST:
                request.POST = approval_post(self, request, revision)
                return self.changeform_view(request, str(article.pk))
            reason = request.POST.get("reason", "").strip()
            if "_reject" in request.POST and reason:
                revision.decide(Revision.Status.REJECTED, request.user, reason)
                self.message_user(
                    request, f"Vorschlag abgelehnt; {revision.author} sieht den Grund."
                )
                return HttpResponseRedirect(reverse("admin:articles_revision_changelist"))
            error = (
                "Bitte einen Grund für die Ablehnung angeben: die Autorin oder der Autor sieht ihn."
            )
        else:
            error = ""
        return TemplateResponse(
            request,
            "admin/articles/article/revision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "revision": revision,
                "title": "Änderungsvorschlag prüfen",
                "rows": self.revision_rows(request, revision),
                "correction": proposed_correction(revision),
                "can_decide": roles.can_publish(request.user)
                and revision.status == Revision.Status.PENDING,
                "error": error,
            },
        )

    def revision_rows(self, request, revision):
        """The proposal against the live article; changes made live since, beside it."""
        article = revision.article
        live = self.snapshot(request, article)
        try:
            base = signing.loads(revision.loaded_state, salt=SALT)
        except signing.BadSignature:
            base = live
        base = {name: base.get(name, live[name]) for name in live}
        proposed = self.submitted_snapshot(
            request, article, base, data=approval_post(self, request, revision)
        )
        conflict = Conflict(base, live, proposed, {})
        return [
            {
                "label": self.field_label(name),
                "kind": conflict.kind(name),
                "base": self.display(name, base[name]),
                "live": self.display(name, live[name]),
                "proposed": self.display(name, proposed[name]),
            }
            for name in conflict.fields
        ]

    def revision_preview(self, request, object_id, revision_id):
        """The public page as it would look approved; nothing is kept."""
        from articles.public.views import ArticleDetailView

        revision = self.get_revision(request, object_id, revision_id)
        article = Article.objects.get(pk=revision.article_id)
        response = None
        try:
            with transaction.atomic():
                data = approval_post(self, request, revision)
                ModelForm = self.get_form(request, article, change=True)
                form = ModelForm(data, instance=article)
                if not form.is_valid():
                    self.message_user(
                        request,
                        "Keine Vorschau: der Vorschlag ist so nicht gültig "
                        f"({', '.join(form.errors)}).",
                        messages.ERROR,
                    )
                    return HttpResponseRedirect(revision.get_absolute_url())
                article.skip_history_when_saving = True
                form.save()
                view = ArticleDetailView.as_view(preview_revision=revision)
                response = view(request, slug=article.slug)
                response.render()
                raise _DiscardPreview
        except _DiscardPreview:
            pass
        add_never_cache_headers(response)
        return response


class _DiscardPreview(Exception):
    """Rolls the preview's writes back once the page is rendered."""
