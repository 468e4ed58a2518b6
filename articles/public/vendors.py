"""The vendor directory: the "Ausgewählte Anbieter aus dem Bereich …" of the pages.

Only vendors filed under a Bereich are public (a deleted Bereich leaves its vendors
without one). Names sort as a German reader looks them up (DIN 5007-1: "Ä" with "A",
case does not count), in the database, so that a bounded box takes the right first few.
"""

from itertools import groupby

from django.db.models import F, Value
from django.db.models.functions import Replace
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.cache import keys as cache_keys
from articles.models import Section, Vendor

# How many vendors the box on a section page shows; the Bereich's directory has them all.
SECTION_BOX_SIZE = 8
DIRECTORY_PAGE_SIZE = 100

# Vendor.key is the casefolded name (ß already "ss"); fold the umlauts onto their vowels.
_UMLAUTS = (("ä", "a"), ("ö", "o"), ("ü", "u"))


def german_order(field: str = "key"):
    """An ORDER BY term for a casefolded column in German dictionary order (DIN 5007-1).

    Plain REPLACE works alike on SQLite and PostgreSQL, whose collations differ."""
    expression = F(field)
    for umlaut, vowel in _UMLAUTS:
        expression = Replace(expression, Value(umlaut), Value(vowel))
    return expression


def listed_vendors():
    """The public vendors: those of an existing Bereich, in German name order."""
    cache_keys.depends_on(cache_keys.VENDORS)
    return (
        Vendor.objects.filter(section__isnull=False)
        .select_related("section")
        .order_by(german_order(), "name", "pk")
    )


def section_box(section: Section) -> dict:
    """The sidebar box of a section page: its first vendors and whether there are more,
    in one query (one row more than shown tells)."""
    cache_keys.depends_on(cache_keys.VENDORS)
    vendors = list(
        Vendor.objects.filter(section=section)
        .only("name", "slug", "postcode", "city")
        .order_by(german_order(), "name", "pk")[: SECTION_BOX_SIZE + 1]
    )
    return {"vendors": vendors[:SECTION_BOX_SIZE], "more": len(vendors) > SECTION_BOX_SIZE}


def section_sort_key(name: str) -> str:
    """German order of a Bereich's name, for the headings of the directory."""
    folded = name.casefold()
    for umlaut, vowel in _UMLAUTS:
        folded = folded.replace(umlaut, vowel)
    return folded


class VendorDirectoryView(ListView):
    """/anbieter/: every public vendor, grouped by Bereich (one query)."""

    template_name = "articles/vendors/directory.html"
    context_object_name = "vendors"

    def get_queryset(self):
        return listed_vendors()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_section = sorted(
            context["vendors"], key=lambda v: (section_sort_key(v.section.name), v.section_id)
        )  # stable: keeps the name order within each Bereich
        context["groups"] = [
            {"section": vendors[0].section, "vendors": vendors}
            for vendors in (list(group) for _, group in groupby(by_section, lambda v: v.section_id))
        ]
        return context


class SectionVendorListView(ListView):
    """/anbieter/bereich/<slug>/: the vendors of one Bereich."""

    template_name = "articles/vendors/section.html"
    context_object_name = "vendors"
    paginate_by = DIRECTORY_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        cache_keys.depends_on(cache_keys.VENDORS)
        return (
            Vendor.objects.filter(section=self.section)
            .only("name", "slug", "postcode", "city")
            .order_by(german_order(), "name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class VendorDetailView(DetailView):
    """/anbieter/<slug>/: one vendor, its PLZ and Ort, its Bereich and that Bereich's news."""

    template_name = "articles/vendors/detail.html"
    context_object_name = "vendor"

    def get_queryset(self):
        cache_keys.depends_on(cache_keys.VENDORS)
        return Vendor.objects.filter(section__isnull=False).select_related("section")
