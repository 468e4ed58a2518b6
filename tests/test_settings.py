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


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DJANGO_SITE_URL": "https://news.example.org",
    "DJANGO_TLS": "1",
    "DJANGO_PROXY_COUNT": "1",
}


def deploy_check(**env):
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **env)


def test_deploy_check_is_clean_with_secret_hosts_site_url_tls_and_proxy_count():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_deploy_check_warns_behind_tls_without_a_proxy_count():
    result = deploy_check(**PRODUCTION | {"DJANGO_PROXY_COUNT": ""})
    assert "newsroom.W001" in result.stderr
    assert result.returncode != 0


def test_deploy_check_warns_without_a_site_url():
    result = deploy_check(**PRODUCTION | {"DJANGO_SITE_URL": ""})
    assert "newsroom.W002" in result.stderr
    assert "https://news.example.org" in result.stderr  # what it uses instead


def test_deploy_check_warns_of_a_plain_http_site_url_behind_tls():
    result = deploy_check(**PRODUCTION | {"DJANGO_SITE_URL": "http://news.example.org"})
    assert "newsroom.W003" in result.stderr


def test_a_site_url_alone_allows_its_host():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.SITE_URL)",
        DJANGO_SECRET_KEY="x",
        DJANGO_SITE_URL="https://news.example.org/",
    )
    assert result.stdout.split()[-2:] == ["['news.example.org']", "https://news.example.org"]


def test_process_refuses_to_start_with_a_site_url_that_has_a_path():
    result = run_manage("check", DJANGO_SECRET_KEY="x", DJANGO_SITE_URL="https://x.org/news")
    assert result.returncode != 0
    assert "DJANGO_SITE_URL takes no path" in result.stderr


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


CACHED_IN = (
    "import os; from django.core.cache import cache; from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND']); "
    "cache.add('written-by', os.environ['WORKER']); print(cache.get('written-by'))"
)


def cached_by_two_processes(**env) -> list:
    """Two processes, one after the other: each adds its name to the default cache if
    nothing is there yet, and prints the backend and what the cache then holds."""
    return [
        run_manage("shell", "-c", CACHED_IN, WORKER=worker, DJANGO_SECRET_KEY="test", **env)
        for worker in ("first", "second")
    ]


def test_without_redis_the_processes_of_a_machine_share_a_cache_beside_the_database(tmp_path):
    runs = cached_by_two_processes(DJANGO_SQLITE_PATH=str(tmp_path / "site.sqlite3"))
    machine_cache = "articles.cache.disk.MachineCache"
    seen = [run.stdout.split()[-2:] for run in runs]
    assert seen == [[machine_cache, "first"]] * 2, [run.stderr for run in runs]
    assert (tmp_path / "site.sqlite3-cache").is_dir()


def test_an_empty_cache_dir_keeps_each_process_its_own_cache_in_memory(tmp_path):
    runs = cached_by_two_processes(
        DJANGO_SQLITE_PATH=str(tmp_path / "site.sqlite3"), DJANGO_CACHE_DIR=""
    )
    assert [run.stdout.split()[-1] for run in runs] == ["first", "second"]
    assert "LocMemCache" in runs[0].stdout


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
