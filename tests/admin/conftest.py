import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client

from articles import roles


def ensure_role_groups():
    """The groups of migrations 0004, 0017 and 0019; a transactional test's flush has
    removed them (and 0004 alone would reset their permissions to its own list)."""
    importlib.import_module("articles.migrations.0004_editorial_roles").create_groups(apps, None)
    importlib.import_module("articles.migrations.0017_import_desk_permissions").grant(apps, None)
    importlib.import_module("articles.migrations.0019_identity_log_retention_and_rights").grant(
        apps, None
    )


def make_user(username, group=None, **fields):
    user = User.objects.create_user(username, password="x-Passwort-123", is_staff=True, **fields)
    if group:
        if not Group.objects.filter(name=group).exists():
            ensure_role_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def redaktion_user(db):
    return make_user("redakteurin", roles.REDAKTION)


@pytest.fixture
def chefredaktion_user(db):
    return make_user("chefin", roles.CHEFREDAKTION)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def redaktion(redaktion_user):
    """A client logged in as a member of the group Redaktion."""
    return logged_in(redaktion_user)


@pytest.fixture
def chefredaktion(chefredaktion_user):
    return logged_in(chefredaktion_user)


@pytest.fixture
def superuser(db):
    return logged_in(make_user("admin", is_superuser=True))
