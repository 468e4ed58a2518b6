"""Headers as the internet sees them: gunicorn in front, TLS on, DEBUG off.

    .venv/bin/python checks/served_headers.py

The test client never passes through gunicorn, which adds its own headers; this check
does. A fresh SQLite database with the seeds, gunicorn with DJANGO_TLS=1 behind a
simulated proxy (X-Forwarded-Proto), then for a set of pages, a 404, a static file, the
admin login and a plain-HTTP request:
- no response names a server version (Server, X-Powered-By, X-Runtime, Via);
- every HTML page (and the 404) has a CSP without 'unsafe-inline'/'unsafe-eval';
- HTTPS responses carry HSTS for a year; plain HTTP is redirected to HTTPS, except
  the health and readiness probes;
- the CSRF cookie is Secure.
Prints each check; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, manage, project_environment, report  # noqa: E402

HTTPS = {"X-Forwarded-Proto": "https"}
VERSION = re.compile(r"\d+\.\d+|/\s*\d")
VERSION_HEADERS = ["Server", "X-Powered-By", "X-Runtime", "X-AspNet-Version", "Via"]


def fetch(base: str, path: str, headers: dict) -> http.client.HTTPResponse:
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = connection.getresponse()
    response.text = response.read().decode("utf-8", "replace")
    connection.close()
    return response


def header_problems(response) -> list[str]:
    problems = []
    for name in VERSION_HEADERS:
        value = response.getheader(name)
        if value is not None and VERSION.search(value):
            problems.append(f"{name}: {value}")
    if response.getheader("Content-Type", "").startswith("text/html"):
        policy = response.getheader("Content-Security-Policy") or ""
        if "default-src 'self'" not in policy or "unsafe-" in policy:
            problems.append(f"CSP: {policy or 'missing'}")
    hsts = response.getheader("Strict-Transport-Security") or ""
    if "max-age=31536000" not in hsts:
        problems.append(f"HSTS: {hsts or 'missing'}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-headers-") as folder:
        env = project_environment(
            DJANGO_SQLITE_PATH=str(Path(folder) / "headers.sqlite3"),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_TLS="1",
            DJANGO_LOG_LEVEL="WARNING",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_municipalities")  # the import refuses an empty register
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_seeds", "-v", "0")
        article = manage(
            env,
            "shell",
            "-c",
            "from articles.models import Article\n"
            "print(Article.objects.published().first().get_absolute_url())",
        ).stdout.split()[-1]
        with Gunicorn(env, workers=1) as base:
            ok = True
            home = fetch(base, "/", HTTPS)
            stylesheet = re.search(r'href="(/static/css/site[^"]*)"', home.text).group(1)
            expected = {
                "/": 200,
                article: 200,
                "/suche/?q=Masterplan": 200,
                "/feeds/rss/": 200,
                "/gibt-es-nicht/": 404,
                stylesheet: 200,
                "/admin/login/": 200,
            }
            for path, status in expected.items():
                response = fetch(base, path, HTTPS)
                problems = header_problems(response)
                if response.status != status:
                    problems.insert(0, f"status {response.status}")
                server = response.getheader("Server")
                ok &= report(
                    f"{status} {path}: headers",
                    not problems,
                    "; ".join(problems) or f"Server: {server}",
                )

            login = fetch(base, "/admin/login/", HTTPS)
            cookies = login.headers.get_all("Set-Cookie") or []
            csrf = next((c for c in cookies if c.startswith("csrftoken=")), "")
            ok &= report("CSRF cookie is Secure", "; Secure" in csrf, csrf[:12] + "…")

            plain = fetch(base, "/", {})
            ok &= report(
                "plain HTTP is redirected to HTTPS",
                plain.status == 301 and (plain.getheader("Location") or "").startswith("https://"),
                f"{plain.status} {plain.getheader('Location')}",
            )
            probe = fetch(base, "/readyz/", {})
            ok &= report("the readiness probe answers plain HTTP", probe.status == 200)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
