"""The permission matrix: every admin page and every admin action, for each role.

The expectations are written out by hand below, not derived from the permission code,
so that a change of rights shows up here as a failing cell. A model or action that is
added to the admin without a row here fails `test_matrix_covers_every_registered_*`.
"""

import itertools

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import roles
from articles.models import (
    Article,
    Author,
    Finding,
    ImportRun,
    Municipality,
    Revision,
    Section,
    SiteIdentity,
    SlugRedirect,
    SourceFile,
    Tag,
    Vendor,
)
from tests.admin.conftest import ensure_role_groups, logged_in, make_user
from tests.admin.helpers import form_values, messages_of, run_action
from tests.factories import make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db

ANONYMOUS, STAFF_WITHOUT_ROLE = "anonym", "ohne Rolle"
REDAKTION, CHEFREDAKTION = roles.REDAKTION, roles.CHEFREDAKTION
ROLES = [ANONYMOUS, STAFF_WITHOUT_ROLE, REDAKTION, CHEFREDAKTION]

# What each role may do with each admin model: v(iew), a(dd), c(hange), d(elete).
# Vendors and source files come from the import: nobody adds them by hand.
RIGHTS = {
    "articles.article": {REDAKTION: "vac", CHEFREDAKTION: "vacd"},
    "articles.tag": {REDAKTION: "vac", CHEFREDAKTION: "vacd"},
    "articles.municipality": {REDAKTION: "vac", CHEFREDAKTION: "vacd"},
    "articles.section": {REDAKTION: "v", CHEFREDAKTION: "vacd"},
    "articles.vendor": {REDAKTION: "v", CHEFREDAKTION: "vcd"},
    # Both roles keep the author directory; only Chefredaktion deletes from it.
    "articles.author": {REDAKTION: "vac", CHEFREDAKTION: "vacd"},
    # One row, created on the first visit: Chefredaktion edits it, nobody adds or deletes.
    "articles.siteidentity": {CHEFREDAKTION: "vc"},
    "articles.sourcefile": {REDAKTION: "v", CHEFREDAKTION: "v"},
    "articles.slugredirect": {REDAKTION: "v", CHEFREDAKTION: "vacd"},
    # Proposals are made in the article form and decided on their review page.
    "articles.revision": {REDAKTION: "v", CHEFREDAKTION: "v"},
    # Runs are records; findings are closed by "Passt so" or an edit of the field.
    "articles.importrun": {REDAKTION: "v", CHEFREDAKTION: "v"},
    "articles.finding": {REDAKTION: "v", CHEFREDAKTION: "v"},
    # The task queue's results: for administrators only.
    "django_tasks_database.dbtaskresult": {},
    "auth.user": {},
    "auth.group": {},
    "axes.accessattempt": {},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
}

# Which roles are offered (and may run) each action of the action bar.
ACTIONS = {
    "articles.article": {
        "publish": {CHEFREDAKTION},
        "unpublish": {CHEFREDAKTION},
        "send_to_review": {REDAKTION, CHEFREDAKTION},
        "set_section": {REDAKTION, CHEFREDAKTION},
        "add_tag": {REDAKTION, CHEFREDAKTION},
        "remove_tag": {REDAKTION, CHEFREDAKTION},
        "release_edit_marks": {REDAKTION, CHEFREDAKTION},
        "merge_articles": {CHEFREDAKTION},
        "delete_selected": {CHEFREDAKTION},
    },
    "articles.tag": {"merge_tags": {CHEFREDAKTION}, "delete_selected": {CHEFREDAKTION}},
    "articles.municipality": {
        "merge_municipalities": {CHEFREDAKTION},
        "relink_places": {REDAKTION, CHEFREDAKTION},
        "delete_selected": {CHEFREDAKTION},
    },
    "articles.section": {"delete_selected": {CHEFREDAKTION}},
    "articles.vendor": {"merge_vendors": {CHEFREDAKTION}, "delete_selected": {CHEFREDAKTION}},
    "articles.author": {"delete_selected": {CHEFREDAKTION}},
    "articles.siteidentity": {},
    "articles.sourcefile": {"delete_selected": set()},
    "articles.slugredirect": {"delete_selected": {CHEFREDAKTION}},
    "articles.revision": {},
    "articles.importrun": {},
    "articles.finding": {"accept": {REDAKTION, CHEFREDAKTION}},
    "django_tasks_database.dbtaskresult": {},
    "auth.user": {"delete_selected": set()},
    "auth.group": {"delete_selected": set()},
    "axes.accessattempt": {"cleanup_expired_attempts": set(), "delete_selected": set()},
    "axes.accesslog": {"delete_selected": set()},
    "axes.accessfailurelog": {"delete_selected": set()},
}

_number = itertools.count(1)
ATTEMPT = {"ip_address": "192.0.2.1", "user_agent": "ua", "path_info": "/"}
EXAMPLES = {
    "articles.article": lambda: make_article(),
    "articles.tag": lambda: Tag.objects.create(name=f"Stichwort {next(_number)}"),
    "articles.municipality": lambda: make_municipality(),
    "articles.section": lambda: make_section(),
    "articles.vendor": lambda: Vendor.objects.create(
        name=f"Anbieter {next(_number)}", city="Hamburg"
    ),
    "articles.author": lambda: Author.objects.create(
        initials=f"a{next(_number)}", name="Anna Berg"
    ),
    "articles.siteidentity": lambda: SiteIdentity.objects.get_or_create(pk=1)[0],
    "articles.sourcefile": lambda: SourceFile.objects.create(
        name=f"{next(_number):03}.txt", checksum="0" * 64
    ),
    "articles.slugredirect": lambda: SlugRedirect.objects.create(
        old_slug=f"alter-name-{next(_number)}", article=make_article()
    ),
    "articles.revision": lambda: Revision.objects.create(
        article=make_article(),
        author=User.objects.create_user(f"autorin{next(_number)}"),
        data={
            "kicker": ["Kreis Unna"],
            "title": ["Vorschlag"],
            "kind": ["meldung"],
            "correction_kind": ["still"],
        },
        loaded_state="",
    ),
    "articles.importrun": lambda: ImportRun.objects.create(origin=ImportRun.Origin.COMMAND),
    "articles.finding": lambda: Finding.objects.create(
        article=make_article(),
        kind=Finding.Kind.TRUNCATED,
        field="title",
        message="Gekürzt.",
        fingerprint=str(next(_number)),
    ),
    "django_tasks_database.dbtaskresult": lambda: DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="articles.importer.tasks.relink_places",
        backend_name="default",
        run_after=timezone.now(),
    ),
    "auth.user": lambda: User.objects.create_user(f"jemand{next(_number)}", "j@example.org"),
    "auth.group": lambda: Group.objects.create(name=f"Gruppe {next(_number)}"),
    "axes.accessattempt": lambda: AccessAttempt.objects.create(
        **ATTEMPT, username=f"x{next(_number)}", failures_since_start=1
    ),
    "axes.accesslog": lambda: AccessLog.objects.create(**ATTEMPT, username="x"),
    "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(**ATTEMPT, username="x"),
}


@pytest.fixture
def client_as():
    """A client per role, logged in as a fresh staff user of that role."""
    ensure_role_groups()
    clients = {}

    def client_for(role) -> Client:
        if role not in clients:
            if role == ANONYMOUS:
                clients[role] = Client()
            else:
                group = None if role == STAFF_WITHOUT_ROLE else role
                username = role.lower().replace(" ", "-")
                clients[role] = logged_in(make_user(username, group))
        return clients[role]

    return client_for


def admin_url(label, view, *args) -> str:
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


PAGES = ["changelist", "add", "change", "history", "delete", "save"]


def expected_pages(label, role) -> dict[str, str]:
    """What each admin page of `label` does for `role`, read from RIGHTS."""
    if role == ANONYMOUS:
        return dict.fromkeys(PAGES, "login")
    rights = RIGHTS[label].get(role, "")
    needs = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}
    needs["save"] = "c"
    return {page: "shown" if needs[page] in rights else "refused" for page in PAGES}


def outcome(response) -> str:
    if response.status_code == 403:
        return "refused"
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    # An empty form posted with the right to change comes back with its errors (200)
    # or, where nothing is required, is saved (302).
    assert response.status_code in {200, 302}, response.status_code
    return "shown"


def actual_pages(client, label, obj) -> dict[str, str]:
    return {
        "changelist": outcome(client.get(admin_url(label, "changelist"))),
        "add": outcome(client.get(admin_url(label, "add"))),
        # A view-only user sees the change page, but may not save it.
        "change": outcome(client.get(admin_url(label, "change", obj.pk))),
        "history": outcome(client.get(admin_url(label, "history", obj.pk))),
        "delete": outcome(client.get(admin_url(label, "delete", obj.pk))),
        "save": outcome(client.post(admin_url(label, "change", obj.pk), {})),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(RIGHTS))
def test_admin_pages_answer_each_role_as_its_rights_say(client_as, label, role):
    obj = EXAMPLES[label]()
    assert actual_pages(client_as(role), label, obj) == expected_pages(label, role)


REFUSED_WRITES = [
    (label, role, verb)
    for label in sorted(RIGHTS)
    for role in ROLES
    for verb in ["change", "delete"]
    if verb[0] not in RIGHTS[label].get(role, "")
]
FORGED_POSTS = {"change": {"name": "Geändert", "title": "Geändert"}, "delete": {"post": "yes"}}


@pytest.mark.parametrize(("label", "role", "verb"), REFUSED_WRITES)
def test_a_refused_save_or_delete_changes_nothing(client_as, label, role, verb):
    obj, client = EXAMPLES[label](), client_as(role)
    before = list(type(obj).objects.values())
    response = client.post(admin_url(label, verb, obj.pk), FORGED_POSTS[verb])
    assert outcome(response) == ("login" if role == ANONYMOUS else "refused")
    assert list(type(obj).objects.values()) == before


def offered_actions(client, label) -> set[str]:
    response = client.get(admin_url(label, "changelist"))
    if response.status_code != 200:
        return set()
    form = response.context["action_form"]  # None where no action is offered
    if form is None:
        return set()
    return {name for name, _ in form.fields["action"].choices if name}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(ACTIONS))
def test_each_role_is_offered_exactly_its_actions(client_as, label, role):
    EXAMPLES[label]()
    expected = {name for name, allowed in ACTIONS[label].items() if role in allowed}
    assert offered_actions(client_as(role), label) == expected


def refused_actions():
    for label, actions in sorted(ACTIONS.items()):
        for name, allowed in sorted(actions.items()):
            for role in ROLES:
                if role not in allowed:
                    yield label, name, role


def snapshot() -> dict:
    """Everything an action could touch: the editorial tables and the history."""
    models = [Article, Tag, Municipality, Section, Vendor, SlugRedirect, SourceFile, User, Group]
    models += [Revision, ImportRun, Finding]
    models += [AccessAttempt, AccessLog, AccessFailureLog]
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["tagging"] = list(Article.tags.through.objects.order_by("pk").values())
    state["history"] = Article.history.count()
    return state


@pytest.mark.parametrize(("label", "action", "role"), list(refused_actions()))
def test_a_refused_action_posted_anyway_changes_nothing(client_as, label, action, role):
    objects = [EXAMPLES[label](), EXAMPLES[label]()]
    section = make_section()
    client = client_as(role)
    before = snapshot()
    # Every input any action reads, already confirmed, as a forged request would send.
    extra = {"confirm": "1", "target": objects[0].pk, "post": "yes"}
    extra |= {"section": section.pk, "tag_name": "Neu"}
    run_action(client, action, objects, model=type(objects[0]), **extra)
    assert snapshot() == before


def test_matrix_covers_every_registered_model():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(RIGHTS) == set(ACTIONS)


def test_matrix_covers_every_registered_action(rf):
    superuser = User.objects.create_superuser("root", password="x-Passwort-123")
    for model, model_admin in admin.site._registry.items():
        request = rf.get("/")
        request.user = superuser
        assert set(model_admin.get_actions(request)) == set(ACTIONS[model._meta.label_lower])


# Each allowed action, run by each role that may run it, does what it says.


def run_allowed(client, action, articles, **extra):
    response = run_action(client, action, articles, **extra)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", [REDAKTION, CHEFREDAKTION])
def test_send_to_review_runs_for(client_as, role):
    article = make_article(status=Article.Status.DRAFT)
    run_allowed(client_as(role), "send_to_review", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


@pytest.mark.parametrize("role", [REDAKTION, CHEFREDAKTION])
def test_set_section_runs_for(client_as, role):
    article, section = make_article(status=Article.Status.DRAFT), make_section("E-Government")
    run_allowed(client_as(role), "set_section", [article], section=section.pk)
    article.refresh_from_db()
    assert article.section == section


@pytest.mark.parametrize("role", [REDAKTION, CHEFREDAKTION])
def test_add_and_remove_tag_run_for(client_as, role):
    article, client = make_article(status=Article.Status.DRAFT), client_as(role)
    run_allowed(client, "add_tag", [article], tag_name="OZG")
    assert list(article.tags.names()) == ["OZG"]
    run_allowed(client, "remove_tag", [article], tag_name="OZG")
    assert list(article.tags.names()) == []


@pytest.mark.parametrize("role", [REDAKTION, CHEFREDAKTION])
def test_release_edit_marks_runs_for(client_as, role):
    article = make_article(edited_fields=["title"], status=Article.Status.DRAFT)
    run_allowed(client_as(role), "release_edit_marks", [article])
    article.refresh_from_db()
    assert article.edited_fields == []


def test_publish_and_unpublish_run_for_chefredaktion(client_as):
    article, client = make_article(status=Article.Status.REVIEW), client_as(CHEFREDAKTION)
    run_allowed(client, "publish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    run_allowed(client, "unpublish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    "label",
    [label for label, a in ACTIONS.items() if CHEFREDAKTION in a.get("delete_selected", ())],
)
def test_delete_selected_runs_for_chefredaktion(client_as, label):
    obj = EXAMPLES[label]()
    model = type(obj)
    response = run_action(client_as(CHEFREDAKTION), "delete_selected", [obj], model=model)
    assert "Sind Sie sicher" in response.content.decode()  # the confirmation page first
    run_action(client_as(CHEFREDAKTION), "delete_selected", [obj], model=model, post="yes")
    assert not model.objects.filter(pk=obj.pk).exists()


def test_merge_tags_runs_for_chefredaktion(client_as):
    ozg, long_name = Tag.objects.create(name="OZG"), Tag.objects.create(name="Onlinezugang")
    client = client_as(CHEFREDAKTION)
    response = run_action(client, "merge_tags", [ozg, long_name], model=Tag, target=ozg.pk)
    assert "zusammenführen" in response.content.decode()
    run_action(client, "merge_tags", [ozg, long_name], model=Tag, target=ozg.pk, confirm="1")
    assert list(Tag.objects.values_list("name", flat=True)) == ["OZG"]


def test_merge_municipalities_runs_for_chefredaktion(client_as):
    unna, duplicate = make_municipality("Kreis Unna"), make_municipality("Kreis Unna (alt)")
    response = run_action(
        client_as(CHEFREDAKTION),
        "merge_municipalities",
        [unna, duplicate],
        model=Municipality,
        target=unna.pk,
        confirm="1",
    )
    assert "in „Kreis Unna“ zusammengeführt" in messages_of(response)[0]
    assert list(Municipality.objects.values_list("name", flat=True)) == ["Kreis Unna"]


# Paths around the change form that could publish without the right to.


def test_redaktion_cannot_publish_by_restoring_a_published_version(client_as):
    article = make_article(status=Article.Status.PUBLISHED)
    published_version = article.history.latest()
    article.status = Article.Status.DRAFT
    article.save()
    client = client_as(REDAKTION)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, published_version.pk])
    page = client.get(url)
    response = client.post(
        url, form_values(page.context["adminform"].form) | {"status": "published"}
    )
    assert set(response.context["adminform"].form.errors) == {"status"}
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_redaktion_cannot_publish_by_adding_a_published_article(client_as):
    response = client_as(REDAKTION).post(
        admin_url("articles.article", "add"),
        {
            "kicker": "Kreis Unna",
            "title": "Neu",
            "slug": "neu",
            "lead": "Text.",
            "status": "published",
            "published_at_0": "2019-07-08",
            "published_at_1": "12:00:00",
            "kind": "meldung",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert set(response.context["adminform"].form.errors) == {"status"}
    assert not Article.objects.exists()


def test_staff_without_a_role_sees_no_app_on_the_admin_index(client_as):
    response = client_as(STAFF_WITHOUT_ROLE).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_anonymous_admin_index_redirects_to_the_login(client_as):
    response = client_as(ANONYMOUS).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("role", "status"), [(ANONYMOUS, 302), (REDAKTION, 200)])
def test_autocomplete_answers_only_staff_with_view_rights(client_as, role, status):
    make_section("E-Government")
    url = reverse("admin:autocomplete")
    query = {"app_label": "articles", "model_name": "article", "field_name": "section"}
    response = client_as(role).get(url, query | {"term": "E-Gov"})
    assert response.status_code == status
    if status == 200:
        assert response.json()["results"][0]["text"] == "E-Government"


# The four-eyes pages: review, preview and the decision on a proposal.

REVIEW_PAGES = {
    ANONYMOUS: {"review": "login", "preview": "login", "approve": "login", "reject": "login"},
    STAFF_WITHOUT_ROLE: dict.fromkeys(["review", "preview", "approve", "reject"], "refused"),
    REDAKTION: {"review": "shown", "preview": "shown", "approve": "refused", "reject": "refused"},
    CHEFREDAKTION: dict.fromkeys(["review", "preview", "approve", "reject"], "shown"),
}


@pytest.mark.parametrize("role", ROLES)
def test_proposal_pages_answer_each_role(client_as, role):
    def revision():
        return EXAMPLES["articles.revision"]()

    client = client_as(role)

    def url(name, obj):
        return reverse(f"admin:articles_article_{name}", args=[obj.article_id, obj.pk])

    pages = {
        "review": outcome(client.get(url("revision", revision()))),
        "preview": outcome(client.get(url("revision_preview", revision()))),
        "approve": outcome(client.post(url("revision", revision()), {"_approve": "1"})),
        "reject": outcome(
            client.post(url("revision", revision()), {"_reject": "1", "reason": "Nein."})
        ),
    }
    assert pages == REVIEW_PAGES[role]
    decided = Revision.objects.exclude(status=Revision.Status.PENDING).count()
    assert decided == (2 if role == CHEFREDAKTION else 0)


@pytest.mark.parametrize("action", ["set_section", "add_tag", "remove_tag", "release_edit_marks"])
def test_redaktions_actions_leave_published_articles_for_approval(client_as, action):
    live, section, client = (
        make_article(edited_fields=["title"]),
        make_section(),
        client_as(REDAKTION),
    )
    live.tags.add("OZG")
    before = snapshot()
    response = run_action(client, action, [live], section=section.pk, tag_name="OZG")
    assert "gibt die Chefredaktion frei" in messages_of(response)[0]
    assert snapshot() == before


PRESENCE = {ANONYMOUS: "login", STAFF_WITHOUT_ROLE: "refused", REDAKTION: "shown"}
PRESENCE[CHEFREDAKTION] = "shown"


@pytest.mark.parametrize("role", ROLES)
def test_the_presence_ping_answers_each_role(client_as, role):
    article = make_article()
    url = reverse("admin:articles_article_presence", args=[article.pk])
    assert outcome(client_as(role).post(url)) == PRESENCE[role]


# The import desk's own pages (articles/admin/imports.py): what each role gets.
DESK_PAGES = {
    "upload": {CHEFREDAKTION},
    "execute": {CHEFREDAKTION},
    "names": {REDAKTION, CHEFREDAKTION},
    "resolve_name": {REDAKTION, CHEFREDAKTION},
}


def desk_request(client, page):
    checked = ImportRun.objects.create(
        origin=ImportRun.Origin.UPLOAD, dry_run=True, state=ImportRun.State.DONE
    )
    names = reverse("admin:articles_finding_candidates")
    return {
        "upload": lambda: client.get(reverse("admin:articles_importrun_upload")),
        "execute": lambda: client.post(
            reverse("admin:articles_importrun_execute", args=[checked.pk])
        ),
        "names": lambda: client.get(names),
        "resolve_name": lambda: client.post(names, {"name": "krz", "choice": "no_place"}),
    }[page]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(DESK_PAGES))
def test_the_import_desk_pages_answer_each_role_as_its_rights_say(client_as, page, role):
    response = desk_request(client_as(role), page)
    allowed = "shown" if role in DESK_PAGES[page] else "refused"
    expected = "login" if role == ANONYMOUS else allowed
    assert outcome(response) == expected
    if page == "execute":
        started = ImportRun.objects.filter(checked_run__isnull=False).exists()
        assert started == (expected == "shown")
