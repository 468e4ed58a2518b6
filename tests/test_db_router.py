"""The read-replica router: which requests read from the replica, and when they may not.

The replica is not connected to here: a queryset's `.db` is the alias the router chose,
and the content versions are stubbed. checks/read_replica.py runs the same router
against a second PostgreSQL database standing in for the replica.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from articles.models import Article
from newsroom import db_router
from newsroom.db_router import (
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    public_read,
)


@pytest.fixture
def replica(monkeypatch):
    """A configured replica at the primary's content version; versions["replica"] and
    versions["primary"] set what the router sees."""
    versions = {"primary": 7, "replica": 7}
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)

    def primary_version(request):
        version = getattr(request, "content_version", None)
        return versions["primary"] if version is None else version

    def replica_version():
        if isinstance(versions["replica"], Exception):
            raise versions["replica"]
        return versions["replica"]

    monkeypatch.setattr(db_router, "primary_version", primary_version)
    monkeypatch.setattr(db_router, "replica_version", replica_version)
    return versions


def routed(request) -> dict:
    """Runs a request through the middleware; the aliases its reads and writes got."""
    seen = {}

    def view(request):
        seen["article"] = Article.objects.all().db
        seen["session"] = Session.objects.all().db
        seen["write"] = PrimaryReplicaRouter().db_for_write(Article)
        seen["after_write"] = Article.objects.all().db
        return None

    ReplicaReadsMiddleware(view)(request)
    return seen


def request(method="get", path="/", user=None):
    made = getattr(RequestFactory(), method)(path)
    made.user = user or AnonymousUser()
    return made


def test_without_a_replica_everything_reads_from_the_primary():
    assert not db_router.replica_configured()  # the test settings have none
    assert routed(request())["article"] == PRIMARY
    with public_read():
        assert Article.objects.all().db == PRIMARY


def test_anonymous_get_reads_articles_from_the_replica(replica):
    seen = routed(request())
    assert seen["article"] == REPLICA
    assert seen["session"] == PRIMARY  # who a request is: always the primary
    assert routed(request("head", "/artikel/x/"))["article"] == REPLICA


def test_a_write_goes_to_the_primary_and_the_reads_after_it_too(replica):
    seen = routed(request())
    assert seen["write"] == PRIMARY
    assert seen["after_write"] == PRIMARY


@pytest.mark.parametrize(
    "method, path", [("post", "/suche/"), ("get", "/admin/"), ("get", "/admin/articles/")]
)
def test_posts_and_the_admin_read_from_the_primary(replica, method, path):
    assert routed(request(method, path))["article"] == PRIMARY


@pytest.mark.django_db
def test_logged_in_users_read_from_the_primary(replica):
    editor = User.objects.create_user("redakteurin", password="x" * 16)
    assert routed(request(user=editor))["article"] == PRIMARY


def test_outside_a_request_the_worker_and_commands_read_from_the_primary(replica):
    assert Article.objects.all().db == PRIMARY
    assert PrimaryReplicaRouter().db_for_read(Article) == PRIMARY


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    with public_read():
        assert Article.objects.all().db == REPLICA
        with transaction.atomic():
            assert Article.objects.all().db == PRIMARY


def test_a_replica_behind_the_primary_is_not_read(replica):
    """A page rendered from a lagging replica would be cached as current."""
    replica["replica"] = 6
    with public_read() as state:
        assert Article.objects.all().db == PRIMARY
    assert "replica behind" in state.reasons[0]
    replica["replica"] = 8  # ahead: it has every write the request could know of
    assert routed(request())["article"] == REPLICA


def test_the_version_the_page_cache_read_is_the_one_compared(replica):
    """The page cache stores a page with the version it read at the request's start."""
    page_request = request()
    page_request.content_version = 9
    with public_read(page_request):
        assert Article.objects.all().db == PRIMARY
    page_request.content_version = 7
    with public_read(page_request):
        assert Article.objects.all().db == REPLICA


def test_the_decision_is_made_once_per_request(replica):
    with public_read():
        assert Article.objects.all().db == REPLICA
        replica["replica"] = 1
        assert Article.objects.all().db == REPLICA  # one source for the whole request
    with public_read():
        assert Article.objects.all().db == PRIMARY


def test_an_unreachable_replica_sends_readers_to_the_primary_for_a_while(replica, monkeypatch):
    closed = []
    monkeypatch.setattr(db_router, "close_replica_connection", lambda: closed.append(True))
    replica["replica"] = DatabaseError("connection refused")
    with public_read() as state:
        assert Article.objects.all().db == PRIMARY
    assert state.reasons == ["replica unreachable"]
    assert closed
    replica["replica"] = 7  # back, but this process waits RETRY_AFTER_SECONDS
    with public_read() as state:
        assert Article.objects.all().db == PRIMARY
    assert state.reasons == ["replica unreachable a moment ago"]
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    with public_read():
        assert Article.objects.all().db == REPLICA


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "articles")
    assert not router.allow_migrate(REPLICA, "articles")
    assert router.allow_relation(Article(), Article())


@pytest.mark.django_db
def test_pages_still_render_through_the_client(client):
    """Installed in the settings, the middleware is a no-op without a replica."""
    assert client.get("/").status_code == 200
