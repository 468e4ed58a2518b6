"""Settings for newsroom, read from the environment (twelve-factor).

Every deployment-specific value comes from an environment variable; the defaults
are those of a developer's machine: SQLite and a file cache in the project folder.
"""

import os
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # A production process must never run on a key that is public in this repository.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it in the environment "
        "(the Makefile's 'run' and 'test' targets set a development key)."
    )

TLS = env_bool("DJANGO_TLS", default=False)


def canonical_site_url(explicit: str, allowed_hosts: list[str], *, debug: bool, tls: bool) -> str:
    """The scheme, host and port every absolute URL the site emits is built from.

    Never the request's Host header, which any client sets ("localhost:1337" passes
    ALLOWED_HOSTS): DJANGO_SITE_URL, or else the first allowed host. Empty only in
    development (absolute URLs then follow the request) or when no host is allowed.
    """
    if explicit:
        parts = urlsplit(explicit)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(
                f"DJANGO_SITE_URL must be http(s)://host[:port], not {explicit!r}."
            )
        if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
            raise ImproperlyConfigured(
                f"DJANGO_SITE_URL takes no path, query, fragment or user: {explicit!r}."
            )
        return f"{parts.scheme}://{parts.netloc}"
    if debug or not allowed_hosts:
        return ""
    host = allowed_hosts[0]
    if host == "*" or host.startswith("."):
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL is not set and the first allowed host ({host!r}) is a pattern: "
            "set DJANGO_SITE_URL to the site's address, e.g. https://news.example.org."
        )
    return f"{'https' if tls else 'http'}://{host}"


SITE_URL_FROM_ENV = os.environ.get("DJANGO_SITE_URL", "").strip()
_site_host = urlsplit(SITE_URL_FROM_ENV).hostname if SITE_URL_FROM_ENV else None
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    "localhost,127.0.0.1,[::1]" if DEBUG else (_site_host or ""),
)
SITE_URL = canonical_site_url(SITE_URL_FROM_ENV, ALLOWED_HOSTS, debug=DEBUG, tls=TLS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Atom ids and RSS guids are tag URIs (RFC 4151) such as "tag:news.example.org,2026:artikel/42",
# named by "host,date": a host the operator held on that date. They must never change, not
# even when the site moves; empty: SITE_URL's host and the year the site started
# (articles.public.feed_ids).
FEED_ID_AUTHORITY = os.environ.get("DJANGO_FEED_ID_AUTHORITY", "").strip().lower()

INSTALLED_APPS = [
    "newsroom.admin_site.NewsroomAdminConfig",  # django.contrib.admin, headed by the identity
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "corsheaders",
    "ninja",
    "csp",
    "taggit",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "imagekit",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The content API: CORS for any origin (before anything that answers early), then
    # the per-client rate limit, which counts page-cache hits too.
    "corsheaders.middleware.CorsMiddleware",
    "articles.api.ratelimit.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous GETs outside the admin read from the replica, if one is configured.
    "newsroom.db_router.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change for the articles' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.cache.middleware.PublicCacheControlMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Locks out repeated failed logins (after the authentication middleware); the
    # warning says when a proxy in front hides the clients' addresses from it.
    "articles.cache.middleware.ProxyCountWarningMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it stores the view's response and the middleware above adds the
    # per-request headers (CSP, Cache-Control, ETag) to hits and misses alike.
    "articles.cache.middleware.PageCacheMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.public.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# PostgreSQL when DATABASE_URL is set; otherwise a SQLite file in WAL mode, which lets
# readers go on while the importer writes, with a busy timeout instead of
# "database is locked" errors and IMMEDIATE transactions so writers queue up early.
SQLITE_PATH = Path(os.environ.get("DJANGO_SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
        )
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Persistent: opening a connection (and its PRAGMAs) costs more than a
            # cached page.
            "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A read replica of that PostgreSQL (streaming replication), for public pages: while it
# has every write the primary had when a request began, anonymous GET and HEAD requests
# outside the admin read from it; writes, the admin, editors, the task worker and
# commands use the primary (newsroom.db_router). Tests mirror it onto the test database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary).")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer costs a reader this long, then the primary serves.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One cache per machine, shared by its app server processes: files in
    # DJANGO_CACHE_DIR (diskcache: an SQLite index beside the pickled pages), bounded by
    # DJANGO_CACHE_SIZE_MB, the least recently stored dropped first. The directory must
    # be writable by the site's user only (it holds pickles). By default beside the
    # database, so that no other database's pages are ever served from it. Empty: each
    # process keeps its own in memory (the tests, which run in parallel processes).
    _database_cache_dir = (
        BASE_DIR / "var" / "cache" / str(DATABASES["default"]["NAME"])
        if DATABASE_URL
        else SQLITE_PATH.with_name(f"{SQLITE_PATH.name}-cache")
    )
    CACHE_DIR = os.environ.get("DJANGO_CACHE_DIR", str(_database_cache_dir)).strip()
    if CACHE_DIR:
        CACHES = {
            "default": {
                "BACKEND": "articles.cache.disk.MachineCache",
                "LOCATION": CACHE_DIR,
                "OPTIONS": {
                    "size_limit": int(os.environ.get("DJANGO_CACHE_SIZE_MB", "512")) * 2**20,
                },
            }
        }
    else:
        CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": 3000},
            }
        }


def _cache_beside_the_pages(name: str, prefix: str) -> dict:
    """A cache of its own, so that its many small entries do not push the pages out of
    a per-process cache: in Redis under its own key prefix, else in process memory."""
    if REDIS_URL:
        return {**CACHES["default"], "KEY_PREFIX": prefix}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }


# The content API's article representations (articles.api.fragments).
CACHES["api-fragments"] = _cache_beside_the_pages("api-fragments", "newsroom-api")
API_FRAGMENT_CACHE_ALIAS = "api-fragments"
API_FRAGMENT_SECONDS = int(os.environ.get("DJANGO_API_FRAGMENT_SECONDS", "600"))
# The newest articles of a section, a place or a tag as the sidebars of article pages
# list them (articles.cache.lists), kept while none of them changed, also when the page
# cache is off. 0 turns them off.
CACHES["lists"] = _cache_beside_the_pages("lists", "newsroom-lists")
LIST_CACHE_ALIAS = "lists"
LIST_CACHE_SECONDS = int(os.environ.get("DJANGO_LIST_CACHE_SECONDS", "600"))
# Whole public pages for anonymous readers (articles.cache.middleware.PageCacheMiddleware);
# 0 turns the page cache off.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# An HTTP cache in front (Varnish with xkey, deploy/varnish/): the addresses that the
# purge worker (`manage.py purge_http_cache`) sends the changed cache keys to, comma
# separated, and how it sends them (articles.cache.purge). When set, public pages carry
# their keys and may be kept by the proxy HTTP_CACHE_SECONDS (Surrogate-Control).
HTTP_CACHE_PURGE = [
    url.strip() for url in os.environ.get("DJANGO_HTTP_CACHE_PURGE", "").split(",") if url.strip()
]
HTTP_CACHE_PURGE_BACKEND = os.environ.get(
    "DJANGO_HTTP_CACHE_PURGE_BACKEND", "articles.cache.purge.XkeyPurge"
)
HTTP_CACHE_SECONDS = int(os.environ.get("DJANGO_HTTP_CACHE_SECONDS", "86400"))

# --- Background work ---------------------------------------------------------------
# Imports started in the admin and relinking after register changes run in a worker
# (`manage.py db_worker`, started by `make run`) through the Django tasks API; the
# database backend needs nothing beside the database. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Passwords ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login throttling (django-axes) ---------------------------------------------
# Five failed logins for one user name from one address lock that pair out for 15
# minutes: guessing is stopped, and a stranger cannot lock an editor out everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failures during a lockout do not restart the cool-off: otherwise one request every few
# minutes from the same address keeps a named editor locked out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind a reverse proxy the client address is in X-Forwarded-For: set the number of
# proxies in front of the app servers, or every reader shares the proxy's address
# (the deploy check and articles.cache.middleware.ProxyCountWarningMiddleware say so).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or "0") or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise: compressed, content-hashed names) -----------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Image renditions (articles.renditions, django-imagekit): files in the default storage
# under MEDIA_ROOT/renditions/, named by a hash of source and processing; whether one
# exists is asked of the storage once and then remembered in the default cache.
IMAGEKIT_CACHEFILE_DIR = "renditions"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.JustInTime"

# --- Security -------------------------------------------------------------------
# TLS is terminated by the reverse proxy; DJANGO_TLS=1 turns on what depends on it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TLS else None
SECURE_SSL_REDIRECT = TLS and env_bool("DJANGO_SSL_REDIRECT", default=True)
# Load balancers and orchestrators probe the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_HSTS_PRELOAD = TLS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: our own origin only, no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Content API (articles.api) -------------------------------------------------------
# Read-only and public: any origin may GET it from a browser; nothing carries credentials.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining"]
CORS_PREFLIGHT_MAX_AGE = 86400
# Requests per client address and window ("600/m", "10000/h"; empty turns it off),
# counted in the default cache: per machine, or across machines with REDIS_URL.
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT", "600/m").strip()
RATELIMIT_IP_META_KEY = "articles.api.ratelimit.client_address"
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

# --- Project --------------------------------------------------------------------
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
# Readers' browsers and proxies may keep a public page this long before asking again.
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("DJANGO_PUBLIC_CACHE_MAX_AGE", "60"))
SEEDS_DIR = BASE_DIR / "seeds"
MUNICIPAL_REGISTER_FILE = BASE_DIR / "data" / "GV100AD_30112025.txt.gz"
MUNICIPAL_REGISTER_CREDIT = (
    "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Stand 30.11.2025"
)
# The register's population figures are the Fortschreibung of an earlier reference date
# than its Gebietsstand: the Gemeinden of GV100AD_30112025 add up to 83,577,140, Destatis'
# population of Germany on 31.12.2024. Place pages show it as "Stand".
MUNICIPAL_REGISTER_POPULATION_DATE = date(2024, 12, 31)

TAGGIT_CASE_INSENSITIVE = True

# dumpdata/loaddata in JSON: natural keys that survive the history (articles.backup).
SERIALIZATION_MODULES = {"json": "articles.backup"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO ("Step 2 - Fetching and parsing CSS").
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
