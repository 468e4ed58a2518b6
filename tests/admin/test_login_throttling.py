"""Admin login throttling (django-axes): guessing stops after five failures."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Richtiges-Passwort-2026"


@pytest.fixture
def editor():
    return User.objects.create_user("redakteurin", password=PASSWORD, is_staff=True)


def log_in(client, password, username="redakteurin", address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failed_logins_lock_the_user_out_even_with_the_right_password(client, editor):
    for _ in range(5):
        log_in(client, "falsch")
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.text
    assert "Newsroom – Redaktion" in response.text
    assert "_auth_user_id" not in client.session


def test_four_failed_logins_still_let_the_right_password_in(client, editor):
    for _ in range(4):
        log_in(client, "falsch")
    assert log_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_lockout_holds_only_for_that_user_name_and_address(client, editor):
    for _ in range(5):
        log_in(client, "falsch")
    assert log_in(client, PASSWORD, address="198.51.100.2").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(4):
        log_in(client, "falsch")
    log_in(client, PASSWORD)
    client.logout()
    for _ in range(4):
        log_in(client, "falsch")
    assert log_in(client, PASSWORD).status_code == 302
