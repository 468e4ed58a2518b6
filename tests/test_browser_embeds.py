"""Embeds and the API docs in Chromium: framed by another origin, and CSP-clean."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles.models import Municipality
from tests.conftest import BROWSER_TEST_MARKS
from tests.factories import make_article

pytestmark = BROWSER_TEST_MARKS


@pytest.fixture
def other_site(live_server):
    """A municipality's own website on another origin (127.0.0.1, another port): one
    page that frames the path it is asked for from the live server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = (
                '<!DOCTYPE html><html lang="de"><head><title>Kreis Unna</title></head>'
                f'<body><h1>Kreis Unna</h1><iframe src="{live_server.url}{self.path}" '
                'title="Nachrichten" width="600" height="480"></iframe></body></html>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_embed_shows_inside_another_sites_iframe(page, other_site, register):
    make_article(title="Kreis stellt Portal vor").municipalities.add(
        Municipality.objects.get(ags="05978")
    )
    page.goto(other_site + "/einbetten/kommune/05978/")
    frame = page.frame_locator("iframe")
    assert frame.locator(".title a").first.inner_text() == "Kreis stellt Portal vor"


def test_other_pages_refuse_to_show_in_another_sites_iframe(page, other_site, register):
    page.goto(other_site + "/kommunen/kreis-unna/")
    page.wait_for_timeout(500)
    framed = page.frames[1]
    assert framed.url.startswith("chrome-error://")


def test_api_docs_render_without_csp_violations(page, live_server, register):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Newsroom Content-API" in page.locator(".swagger-ui .info .title").inner_text()
    page.get_by_text("/api/v1/articles", exact=True).first.wait_for()
    assert errors == []
