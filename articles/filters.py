"""Reader-facing filters for article lists; German parameter names in the query string."""

import django_filters
from django import forms
from django.utils import timezone

from articles.models import Article, Municipality, Section, Tag


def _years():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, 1999, -1)]


class ArticleFilter(django_filters.FilterSet):
    """Filters combine (AND); each one narrows the published list.

    Unknown or malformed values never raise: an invalid field is ignored and the
    form shows it as invalid, so every URL a reader can type gives a page.
    """

    bereich = django_filters.ModelChoiceFilter(
        label="Bereich",
        field_name="section",
        queryset=Section.objects.all(),
        to_field_name="slug",
        empty_label="Alle Bereiche",
    )
    land = django_filters.ModelChoiceFilter(
        label="Land",
        queryset=Municipality.objects.filter(kind=Municipality.Kind.LAND),
        to_field_name="slug",
        empty_label="Alle Länder",
        method="filter_land",
    )
    kommune = django_filters.ModelChoiceFilter(
        label="Kommune",
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        method="filter_municipality",
        widget=forms.HiddenInput,
    )
    thema = django_filters.ModelChoiceFilter(
        label="Thema",
        queryset=Tag.objects.all(),
        to_field_name="slug",
        method="filter_tag",
        widget=forms.HiddenInput,
    )
    art = django_filters.ChoiceFilter(
        label="Art", field_name="kind", choices=Article.Kind.choices, empty_label="Alle Arten"
    )
    jahr = django_filters.ChoiceFilter(
        label="Jahr", choices=_years, empty_label="Alle Jahre", method="filter_year"
    )

    class Meta:
        model = Article
        fields = []

    def filter_year(self, queryset, name, year):
        return queryset.filter(published_at__year=int(year))

    def filter_tag(self, queryset, name, tag):
        """The tag's articles, planned as its page plans them (ArticleQuerySet.tagged): a
        join of the taggings read a common tag's whole popularity before the newest."""
        return queryset.tagged(tag)

    def filter_land(self, queryset, name, land):
        """The Land and everything in it, as its page (ArticleQuerySet.about_place)."""
        return queryset.about_place(land)

    def filter_municipality(self, queryset, name, municipality):
        """The place itself and everything below it (a Kreis's Gemeinden, also those of
        its Ämter), as its page."""
        return queryset.about_place(municipality)

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            queryset = self.queryset.all()
            if self.is_bound:
                # Filter by the valid fields only; invalid ones are shown, not fatal.
                self.form.is_valid()
                for name, value in self.form.cleaned_data.items():
                    queryset = self.filters[name].filter(queryset, value)
            self._qs = queryset
        return self._qs


class SearchFilter(ArticleFilter):
    """The filters that narrow search results: Bereich, Land and Jahr."""

    SEARCH_FILTERS = ("bereich", "land", "jahr")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.SEARCH_FILTERS}
