"""Cross-cutting qualities of public pages: security headers, caching, escaping, valid HTML."""

import json
import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Author
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "var/node/node_modules/vnu-jar/build/dist/vnu.jar"
SEEDS = Path(settings.SEEDS_DIR)


def test_public_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_public_pages_send_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_readers_may_cache_public_pages_briefly(client):
    assert client.get("/").headers["Cache-Control"] == "public, max-age=60"


def test_logged_in_users_get_private_revalidated_pages(client):
    client.force_login(get_user_model().objects.create_user("leserin", password="x"))
    cache_control = client.get("/").headers["Cache-Control"]
    assert "private" in cache_control
    assert "no-cache" in cache_control


def test_conditional_get_answers_304_when_nothing_changed(client):
    article = make_article()
    etag = client.get(article.get_absolute_url()).headers["ETag"]
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db(transaction=True)  # a committed change, as an editor's save is
def test_an_editors_change_invalidates_the_etag(client):
    article = make_article(title="Vorher")
    etag = client.get(article.get_absolute_url()).headers["ETag"]
    article.title = "Nachher"
    article.save()
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Nachher" in response.text


def test_hostile_page_is_imported_and_shown_with_nothing_live(client, tmp_path, register):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "<script>alert('kicker')</script>:\n"
        "<img src=x onerror=alert(1)> Titel\n\n\n"
        '[8.7.2019] Vorspann mit <a href="javascript:alert(1)">Link</a>.\n\n'
        'Absatz mit <iframe src="https://evil.example"></iframe> und \u0007 Steuerzeichen. (ab)\n\n'
        "javascript:alert(document.cookie)\n"
        "data:text/html,<script>alert(1)</script>\n"
        "https://www.example.org/ok\n\n"
        "Stichwörter: <b>Politik</b>, <script>x</script>\n",
        encoding="utf-8",
    )
    call_command("import_seeds", str(hostile), stdout=StringIO(), stderr=StringIO())
    from articles.models import Article

    article = Article.objects.get()
    text = client.get(article.get_absolute_url()).text
    for live in ("<script>alert", "<img src=x", "<iframe", 'href="javascript:', 'href="data:'):
        assert live not in text
    assert 'href="https://www.example.org/ok"' in text
    assert "&lt;script&gt;" in text


def _page_urls(client):
    call_command("import_seeds", str(SEEDS), stdout=StringIO())  # Kreis Unna: the register
    make_section("Leer")
    Author.objects.create(initials="ve", name="Verena Beispiel", slug="verena-beispiel")
    return [
        "/",
        "/archiv/",
        "/archiv/?bereich=politik&jahr=2024",
        "/kommunen/nordrhein-westfalen/",
        "/kommunen/saarland/",
        "/artikel/nachfolge-fuer-reinhard-sager/",
        "/autoren/",
        "/autoren/verena-beispiel/",
        "/anbieter/",
        "/anbieter/bereich/panorama/",
        "/anbieter/jcc-software-gmbh-muenster/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/artikel/digital-mit-strategie/",
        "/artikel/kommt-die-foederale-verwaltungscloud/",
        "/artikel/digital-mit-strategie/druck/",
        "/themen/ozg/",
        "/kommunen/kreis-unna/",
        "/bereiche/politik/",
        "/archiv/2024/",
        "/suche/?q=Digital",
        "/suche/",
        "/impressum/",
        "/einbetten/kommune/05978/",
        "/einbetten/thema/ozg/",
        "/einbetten/kommune/05978/?anzahl=0",
        "/gibt-es-nicht/",
    ]


@pytest.mark.skipif(
    not VNU_JAR.exists() and not os.environ.get("CI"),
    reason="the Nu Html Checker is not installed (make test installs it)",
)
def test_pages_are_valid_html(client, tmp_path, register):
    files = []
    for number, url in enumerate(_page_urls(client)):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(path)
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)  # vnu reports on stderr
    assert report["messages"] == []
    assert result.returncode == 0
