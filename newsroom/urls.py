from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.api.api import api, not_found
from articles.public import sitemaps
from articles.public.sitemaps import SITEMAPS
from articles.public.views import healthz, readyz, robots_txt

handler500 = "articles.public.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    # Google News: before the generic part pattern, which would answer with the plain template.
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found),
    path("", include("articles.public.urls")),
]

if settings.DEBUG:
    # Uploaded images in development; production serves MEDIA_ROOT from the proxy.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
