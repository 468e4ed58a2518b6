"""The editors' admin: articles (with history and roles), tags, municipalities, sections.

Rules live in the models and their querysets; these classes wire them to forms, lists
and actions and check the roles of articles/roles.py on the server.
"""

from django.contrib import admin
from taggit.models import Tag as TaggitTag

from articles.admin.articles import ArticleAdmin
from articles.admin.authors import AuthorAdmin
from articles.admin.identity import SiteIdentityAdmin
from articles.admin.imports import FindingAdmin, ImportRunAdmin
from articles.admin.taxonomy import (
    MunicipalityAdmin,
    SectionAdmin,
    SlugRedirectAdmin,
    SourceFileAdmin,
    TagAdmin,
    VendorAdmin,
)

# Taggit registers its own (unused, English) tag model; ours is articles.Tag.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)

__all__ = [
    "ArticleAdmin",
    "AuthorAdmin",
    "FindingAdmin",
    "ImportRunAdmin",
    "MunicipalityAdmin",
    "SectionAdmin",
    "SiteIdentityAdmin",
    "SlugRedirectAdmin",
    "SourceFileAdmin",
    "TagAdmin",
    "VendorAdmin",
]
