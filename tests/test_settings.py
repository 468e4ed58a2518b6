"""Settings come from the environment; a production process refuses unsafe defaults."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [*MANAGE, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_process_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_secret_hosts_and_tls():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 60 + "-a-long-random-production-secret",
        DJANGO_ALLOWED_HOSTS="news.example.org",
        DJANGO_TLS="1",
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_warns_when_tls_settings_are_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 60 + "-a-long-random-production-secret",
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), [("/", 301), ("/healthz/", 200), ("/readyz/", 200)])
def test_with_tls_plain_http_is_redirected_except_the_probes(client, settings, path, status):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code == status


def test_german_language_and_berlin_time():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "de",
        "Europe/Berlin",
        True,
    )


def test_sqlite_default_runs_in_wal_mode_with_busy_timeout(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0])",
        DJANGO_SECRET_KEY="test",
        DJANGO_SQLITE_PATH=str(tmp_path / "wal.sqlite3"),
    )
    assert result.stdout.split()[-2:] == ["wal", "20000"], result.stderr


def test_redis_url_switches_the_cache_to_redis():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DJANGO_SECRET_KEY="test",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.strip().endswith("django.core.cache.backends.redis.RedisCache")


def test_admin_lives_at_the_url_the_environment_names():
    result = run_manage(
        "shell",
        "-c",
        "from django.urls import resolve, reverse, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no /admin/')",
        DJANGO_SECRET_KEY="x",
        DJANGO_ADMIN_URL="/redaktion-7f3k/",
    )
    assert result.stdout.split()[-3:] == ["/redaktion-7f3k/", "no", "/admin/"], result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Kurz-1!", "password_too_short"),
        ("password1234", "password_too_common"),
        ("839274651029384", "password_entirely_numeric"),
        ("redakteurin-2026", "password_too_similar"),
    ],
)
def test_weak_editor_passwords_are_refused(password, reason):
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    editor = User(username="redakteurin", email="redakteurin@example.org")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, editor)
    assert reason in {error.code for error in refused.value.error_list}


def test_a_long_uncommon_password_is_accepted():
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password

    assert validate_password("Glasfaser-Ausbau-im-Kreis-Unna", User(username="chefin")) is None
