"""The purge worker: the keys that writes made stale reach the HTTP caches in front."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from articles.cache import keys, purge
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


class RecordingBackend:
    def __init__(self, fail: bool = False):
        self.sent: list[list[str]] = []
        self.fail = fail

    def purge(self, keys):
        if self.fail:
            raise purge.PurgeFailed("proxy unreachable")
        self.sent.append(list(keys))


@pytest.fixture
def proxy():
    """A stand-in for Varnish that records the PURGE requests it gets."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers)  # names in any case, as HTTP has them
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", received
    server.shutdown()


def test_first_round_without_a_known_position_purges_every_page():
    backend = RecordingBackend()
    purge.purge_once(backend, None)
    assert backend.sent == [[keys.SITE]]


def test_round_sends_the_keys_of_an_edit_made_since_the_last_one():
    article = make_article()
    backend = RecordingBackend()
    sent = purge.purge_once(backend, None)
    Article.objects.filter(pk=article.pk).update(title="Berichtigt")
    purge.purge_once(backend, sent)
    assert backend.sent[-1] == sorted([keys.article(article.pk), keys.ANY_ARTICLE])


def test_round_with_nothing_changed_sends_nothing():
    backend = RecordingBackend()
    sent = purge.purge_once(backend, None)
    assert purge.purge_once(backend, sent) == sent
    assert backend.sent == [[keys.SITE]]


def test_failed_round_sends_the_same_keys_again_next_time():
    article = make_article()
    sent = purge.purge_once(RecordingBackend(), None)
    Article.objects.filter(pk=article.pk).update(title="Berichtigt")
    with pytest.raises(purge.PurgeFailed):
        purge.purge_once(RecordingBackend(fail=True), sent)
    backend = RecordingBackend()
    purge.purge_once(backend, sent)
    assert keys.article(article.pk) in backend.sent[-1]


def test_worker_remembers_how_far_it_got():
    make_article()
    purge.run(RecordingBackend(), interval=0.01, rounds=1)
    backend = RecordingBackend()
    purge.run(backend, interval=0.01, rounds=1)
    assert backend.sent == []


def test_xkey_backend_sends_purge_with_the_keys(proxy):
    url, received = proxy
    purge.XkeyPurge([url]).purge(["a1", "ls2"])
    assert received[0]["xkey-purge"] == "a1 ls2"


def test_surrogate_key_backend_sends_the_keys_in_surrogate_key(proxy):
    url, received = proxy
    purge.SurrogateKeyPurge([url]).purge(["a1"])
    assert received[0]["Surrogate-Key"] == "a1"


def test_many_keys_go_in_several_requests(proxy):
    url, received = proxy
    purge.XkeyPurge([url]).purge([f"a{n}" for n in range(purge.KEYS_PER_REQUEST + 1)])
    assert len(received) == 2


def test_unreachable_proxy_is_a_purge_failure():
    with pytest.raises(purge.PurgeFailed, match=r"127\.0\.0\.1:9/"):
        purge.XkeyPurge(["http://127.0.0.1:9/"], timeout=1).purge(["a1"])


def test_command_refuses_to_run_without_a_proxy(settings):
    settings.HTTP_CACHE_PURGE = []
    with pytest.raises(CommandError, match="DJANGO_HTTP_CACHE_PURGE"):
        call_command("purge_http_cache", "--once")


def test_command_runs_a_round(settings, proxy):
    url, received = proxy
    settings.HTTP_CACHE_PURGE = [url]
    cache.delete(purge.POSITION)
    call_command("purge_http_cache", "--once")
    assert received[0]["xkey-purge"] == keys.SITE
