"""Admin login throttling (django-axes): guessing stops after five failures."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import MiddlewareNotUsed
from django.db.models import F
from django.test import override_settings

from articles.cache.middleware import ProxyCountWarningMiddleware
from articles.checks import proxy_count_behind_tls_proxy

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


def let_time_pass(minutes):
    """As if every recorded failure had happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_failures_during_a_lockout_do_not_restart_the_cool_off(client, editor):
    for _ in range(5):
        log_in(client, "falsch")
    let_time_pass(10)
    locked_since = AccessAttempt.objects.get().attempt_time
    assert log_in(client, "falsch").status_code == 429
    assert log_in(client, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().attempt_time == locked_since


def test_the_right_password_gets_in_when_the_cool_off_ends_despite_failures_during_it(
    client, editor
):
    for _ in range(5):
        log_in(client, "falsch")
    let_time_pass(10)
    for _ in range(3):  # someone keeps trying during the lockout
        log_in(client, "falsch")
    let_time_pass(6)  # 16 minutes after the lockout began
    assert log_in(client, PASSWORD).status_code == 302


# A proxy in front that the app does not know of: every client has its address.


def test_a_forwarded_request_without_a_proxy_count_is_logged_once(client, caplog):
    with caplog.at_level(logging.WARNING, logger="articles.cache.middleware"):
        for _ in range(2):
            client.get("/healthz/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    warnings = [r for r in caplog.records if "DJANGO_PROXY_COUNT" in r.getMessage()]
    assert len(warnings) == 1


def test_a_request_without_x_forwarded_for_is_not_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="articles.cache.middleware"):
        client.get("/healthz/")
    assert not [r for r in caplog.records if "DJANGO_PROXY_COUNT" in r.getMessage()]


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_with_a_proxy_count_the_warning_costs_nothing():
    with pytest.raises(MiddlewareNotUsed):
        ProxyCountWarningMiddleware(lambda request: None)


@override_settings(TLS=True, AXES_IPWARE_PROXY_COUNT=None)
def test_deploy_check_warns_behind_tls_without_a_proxy_count():
    assert [w.id for w in proxy_count_behind_tls_proxy(None)] == ["newsroom.W001"]


@override_settings(TLS=True, AXES_IPWARE_PROXY_COUNT=1)
def test_deploy_check_is_quiet_with_a_proxy_count():
    assert proxy_count_behind_tls_proxy(None) == []
