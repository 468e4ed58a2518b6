"""The repeatable part of the external security scan, over HTTP through gunicorn.

    .venv/bin/python checks/security_scan.py [--no-audit]

A scratch SQLite database with the seeds, two editors (Redaktion, Chefredaktion) and a
third account to lock out, gunicorn with DEBUG off and DJANGO_SITE_URL set. Then, as an
attacker or a careless editor would, each with a control that shows the attempt
itself worked:
1. Embargo: Redaktion moves a scheduled article's date to the past through the change
   form, through a crafted POST (status and date added by hand) and through the
   publish action; it stays scheduled, also once Chefredaktion approves the proposal
   that post became. Chefredaktion's same form post does move it.
2. Lockout: five failed logins lock an account out; more failures during the lockout
   do not restart the cool-off, so the right password gets in once it has passed.
   A request with X-Forwarded-For and no DJANGO_PROXY_COUNT is logged.
3. Feeds: a lead with <script> and <img onerror> is text, not markup, in RSS and Atom
   as feedparser reads them without sanitising.
4. Uploads: a valid PNG with PDF bytes appended, uploaded as poly.pdf or poly.eps, is
   refused; a PNG uploaded as foto.jpg is stored as .png.
5. Host header: with "Host: localhost:1337", no page, feed, sitemap or robots.txt
   names that host or port; all carry DJANGO_SITE_URL.
6. bandit over the deployed code (articles/, newsroom/, manage.py): every finding is
   in checks/bandit-baseline.toml with a reason, and every entry there still matches.
   bench/ and checks/ are developer tools that start processes by design: not scanned.
7. pip-audit over the installed packages where its vulnerability database can be
   reached (PyPI's JSON API or OSV); otherwise SKIP, never FAIL, for lack of network.
Prints PASS/FAIL/SKIP per step; exits 1 if any step fails.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import feedparser
import mechanicalsoup
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, manage, project_environment, report  # noqa: E402

SITE_URL = "https://news.example.org"
PASSWORD = "Sicherheits-Scan-2026!"
BASELINE = ROOT / "checks" / "bandit-baseline.toml"
BANDIT_TARGETS = ["articles", "newsroom", "manage.py"]
HOSTILE_LEAD = "Vorspann <script>alert(1)</script><img src=x onerror=alert(2)>"

SETUP = f"""
import json
from datetime import timedelta
from django.contrib.auth.models import Group, User
from django.utils import timezone
from articles.models import Article
from articles.roles import CHEFREDAKTION, REDAKTION
for name, group in (("redakteurin", REDAKTION), ("chefin", CHEFREDAKTION), ("gesperrt", None)):
    user = User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
christmas = timezone.now() + timedelta(days=30)
def make(slug, **fields):
    fields = {{"published_at": christmas, "lead": "Vorspann.", **fields}}
    return Article.objects.create(
        kicker="Sicherheitsscan", title=slug, slug=slug,
        status=Article.Status.PUBLISHED, **fields)
print(json.dumps({{
    "embargo": make("embargo").pk,
    "chef": make("embargo-chef").pk,
    "upload": make("bild", published_at=timezone.now() - timedelta(days=1)).pk,
    "hostile": make("feindlich", lead={HOSTILE_LEAD!r},
                    published_at=timezone.now() - timedelta(hours=1)).pk,
}}))
"""


class Scan:
    def __init__(self, base: str, env: dict, ids: dict, log: Path):
        self.base, self.env, self.ids, self.log = base, env, ids, log
        self.ok = True

    def check(self, step: str, passed: bool, detail: str = "") -> None:
        self.ok &= report(step, passed, detail)

    def shell(self, code: str) -> str:
        return manage(self.env, "shell", "--no-imports", "-c", code).stdout.strip()

    def browser(self, username: str | None = None) -> mechanicalsoup.StatefulBrowser:
        browser = mechanicalsoup.StatefulBrowser()
        browser.session.headers["Host"] = "127.0.0.1"
        if username:
            response = self.log_in(browser, username, PASSWORD)
            assert response.status_code == 200 and "/admin/login/" not in response.url, (
                f"{username} could not log in ({response.status_code})"
            )
        return browser

    def log_in(self, browser, username, password):
        browser.open(f"{self.base}/admin/login/?next=/admin/")
        browser.select_form("#login-form")
        browser["username"], browser["password"] = username, password
        return browser.submit_selected()

    def publication(self, key: str) -> str:
        return self.shell(
            "from articles.models import Article\n"
            f"a = Article.objects.get(pk={self.ids[key]})\n"
            "print(a.status, a.published_at.replace(microsecond=0).isoformat(), "
            "Article.objects.published().filter(pk=a.pk).exists())"
        )

    def change_form(self, browser, key: str):
        browser.open(f"{self.base}/admin/articles/article/{self.ids[key]}/change/")
        return browser.select_form("#article_form")

    # 1 ----------------------------------------------------------------------------

    def embargo(self) -> None:
        before = self.publication("embargo")
        redaktion = self.browser("redakteurin")
        form = self.change_form(redaktion, "embargo")
        past = {"published_at_0": "2019-07-08", "published_at_1": "12:00:00"}
        date_inputs = [form.form.find("input", {"name": name}) for name in past]
        self.check(
            "Redaktion: the date of a scheduled article is not editable",
            all(tag.has_attr("disabled") for tag in date_inputs),
        )
        for tag in date_inputs:  # what anyone with the browser's developer tools can do
            tag.attrs.pop("disabled", None)
        for name, value in past.items():
            redaktion[name] = value
        redaktion.submit_selected()
        csrf = redaktion.session.cookies.get("csrftoken")
        redaktion.session.post(
            f"{self.base}/admin/articles/article/",
            data={
                "action": "publish",
                "_selected_action": str(self.ids["embargo"]),
                "csrfmiddlewaretoken": csrf,
            },
        )
        after = self.publication("embargo")
        self.check(
            "Redaktion: a crafted form post and the publish action leave the embargo",
            after == before and after.endswith("False"),
            after,
        )
        chef = self.browser("chefin")
        # Redaktion's post became a proposal; approving it must not carry the date along.
        revision = self.shell(
            "from articles.models import Revision\n"
            f"print(Revision.objects.filter(article_id={self.ids['embargo']}).first().pk)"
        )
        review = f"{self.base}/admin/articles/article/{self.ids['embargo']}/vorschlag/{revision}/"
        chef.open(review)
        chef.select_form("form:has(input[name=_approve])")
        chef.submit_selected(btnName="_approve")
        approved = self.publication("embargo")
        self.check(
            "Chefredaktion approves the proposal: the embargo still holds",
            approved == before and approved.endswith("False"),
            approved,
        )
        anonymous = self.browser().session.get(f"{self.base}/artikel/embargo/")
        self.check("the scheduled article is not public", anonymous.status_code == 404)
        self.change_form(chef, "chef")
        for name, value in past.items():
            chef[name] = value
        chef.submit_selected()
        moved = self.publication("chef")
        self.check(
            "control: Chefredaktion's same post does move the date", "2019-07-08" in moved, moved
        )

    # 2 ----------------------------------------------------------------------------

    def lockout(self) -> None:
        browser = self.browser()
        statuses = [self.log_in(browser, "gesperrt", "falsch").status_code for _ in range(5)]
        locked = self.log_in(browser, "gesperrt", PASSWORD).status_code
        self.check(
            "five failed logins lock the account out", locked == 429, f"{statuses} → {locked}"
        )
        attempt_time = (
            "from axes.models import AccessAttempt\n"
            "print(AccessAttempt.objects.get(username='gesperrt').attempt_time.isoformat())"
        )
        self.let_time_pass(10)
        locked_since = self.shell(attempt_time)
        for _ in range(3):
            self.log_in(browser, "gesperrt", "falsch")
        self.check(
            "failures during the lockout do not restart the cool-off",
            self.shell(attempt_time) == locked_since,
            locked_since,
        )
        self.let_time_pass(6)  # 16 minutes after the lockout began
        after = self.log_in(browser, "gesperrt", PASSWORD)
        self.check(
            "the right password gets in once the cool-off has passed",
            after.status_code == 200 and after.url.endswith("/admin/"),
            f"{after.status_code} {after.url}",
        )
        self.browser().session.get(
            f"{self.base}/healthz/", headers={"X-Forwarded-For": "198.51.100.7"}
        )
        self.check(
            "X-Forwarded-For without DJANGO_PROXY_COUNT is logged",
            "DJANGO_PROXY_COUNT is not set" in self.log.read_text(),
        )

    def let_time_pass(self, minutes: int) -> None:
        """As if every recorded login failure had happened `minutes` earlier."""
        self.shell(
            "from datetime import timedelta\nfrom django.db.models import F\n"
            "from axes.models import AccessAttempt\n"
            "AccessAttempt.objects.update("
            f"attempt_time=F('attempt_time') - timedelta(minutes={minutes}))"
        )

    # 3 ----------------------------------------------------------------------------

    def feeds(self) -> None:
        session = self.browser().session
        for path in ("/feeds/rss/", "/feeds/atom/"):
            feed = feedparser.parse(session.get(self.base + path).content, sanitize_html=False)
            entry = next((e for e in feed.entries if e.title.endswith("feindlich")), None)
            summary = entry.summary if entry else ""
            self.check(
                f"{path}: a hostile lead is text in the HTML summary",
                entry is not None and "<script" not in summary and "<img" not in summary,
                summary[:70],
            )

    # 4 ----------------------------------------------------------------------------

    def uploads(self) -> None:
        chef = self.browser("chefin")
        png = io.BytesIO()
        Image.new("RGB", (4, 3), "white").save(png, "PNG")
        polyglot = png.getvalue() + b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"
        for name in ("poly.pdf", "poly.eps"):
            response = self.upload(chef, name, polyglot)
            self.check(
                f"a PNG with appended bytes as {name} is refused",
                "Dateiendung" in response.text and "errornote" in response.text,
            )
        self.upload(chef, "foto.jpg", png.getvalue())
        stored = self.shell(
            "from articles.models import Article\n"
            f"print(Article.objects.get(pk={self.ids['upload']}).image.name)"
        )
        self.check(
            "control: a PNG uploaded as foto.jpg is stored as .png", stored.endswith(".png"), stored
        )
        media = Path(self.env["DJANGO_MEDIA_ROOT"])
        refused = [p.name for p in media.rglob("*") if p.suffix in (".pdf", ".eps")]
        self.check("nothing was stored under a refused extension", not refused, ", ".join(refused))

    def upload(self, browser, name: str, content: bytes):
        self.change_form(browser, "upload")
        browser["image_alt"] = "Rathaus"
        upload = io.BytesIO(content)
        upload.name = name
        browser["image"] = upload
        return browser.submit_selected()

    # 5 ----------------------------------------------------------------------------

    def host_header(self) -> None:
        session = self.browser().session
        for path in (
            "/artikel/feindlich/",
            "/feeds/rss/",
            "/feeds/atom/",
            "/sitemap.xml",
            "/sitemap-artikel.xml",
            "/robots.txt",
        ):
            text = session.get(self.base + path, headers={"Host": "localhost:1337"}).text
            self.check(
                f"Host: localhost:1337 → {path} names only {SITE_URL}",
                "1337" not in text and "localhost" not in text and SITE_URL in text,
            )

    # 6, 7 -------------------------------------------------------------------------

    def bandit(self) -> None:
        results = json.loads(run_tool("bandit", "-q", "-f", "json", "-r", *BANDIT_TARGETS).stdout)
        scanned = results["metrics"]["_totals"]["loc"]
        accepted = tomllib.loads(BASELINE.read_text())["accepted"]
        unreasoned = [a for a in accepted if not a.get("reason", "").strip()]
        self.check(
            "bandit baseline: every accepted finding has a reason",
            not unreasoned,
            f"{len(accepted)} accepted",
        )
        found = {finding_key(r) for r in results["results"]}
        known = {(a["test"], a["file"], a["code"]) for a in accepted}
        new, stale = found - known, known - found
        self.check(
            f"bandit: no finding outside the baseline ({scanned} lines scanned)",
            scanned > 0 and not new,
            "; ".join(f"{t} {f}: {c}" for t, f, c in sorted(new)),
        )
        self.check(
            "bandit: every baseline entry still matches a finding",
            not stale,
            "; ".join(f"{t} {f}: {c}" for t, f, c in sorted(stale)),
        )


def run_tool(name: str, *arguments: str) -> subprocess.CompletedProcess:
    """A command-line tool of the project's virtual environment, its output captured."""
    command = [str(Path(sys.executable).with_name(name)), *arguments]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )


def finding_key(result: dict) -> tuple[str, str, str]:
    """(test, file, the flagged line's text): stable when lines above move."""
    lines = (ROOT / result["filename"]).read_text().splitlines()
    return result["test_id"], result["filename"], lines[result["line_number"] - 1].strip()


def audit() -> bool:
    completed = run_tool("pip-audit", "--skip-editable", "--progress-spinner", "off", "-f", "json")
    try:
        dependencies = json.loads(completed.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"SKIP  pip-audit: vulnerability database unreachable ({error[:160]})")
        return True
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        print(
            f"SKIP  pip-audit: none of {len(dependencies)} packages could be looked up "
            "(no vulnerability database reachable from here)"
        )
        return True
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in audited
        if d.get("vulns")
    ]
    return report(
        f"pip-audit: no known vulnerability in {len(audited)} packages",
        not vulnerable,
        "; ".join(vulnerable),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-audit", action="store_true", help="skip pip-audit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-security-") as folder:
        env = project_environment(
            DJANGO_SQLITE_PATH=str(Path(folder) / "scan.sqlite3"),
            DJANGO_MEDIA_ROOT=str(Path(folder) / "media"),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SITE_URL=SITE_URL,
            DJANGO_LOG_LEVEL="WARNING",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_municipalities")  # the import refuses an empty register
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_seeds", "-v", "0")
        ids = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP).stdout)
        log = Path(folder) / "gunicorn.log"
        with log.open("w") as stderr, Gunicorn(env, workers=1, stderr=stderr) as base:
            scan = Scan(base, env, ids, log)
            for step in (scan.embargo, scan.lockout, scan.feeds, scan.uploads, scan.host_header):
                step()
        scan.bandit()
    ok = scan.ok and (args.no_audit or audit())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
