"""Pages of a list without counting the list.

Django's Paginator counts the whole queryset (a COUNT(*) over a section, a tag, a place
or the archive) on every page view, to say "Seite 3 von 812". Readers page on with
"Ältere"/"Neuere" and need only to know whether there is a next page: one row more than
the page shows tells. A page costs one query, LIMIT page size + 1, whatever the archive
holds (an OFFSET grows with the page number, never with the archive).

The views keep Django's interface (`paginator`, `page_obj`, `is_paginated` in the
context, `?page=N` URLs); `paginator.uncounted` tells templates not to show a total.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404

# Page numbers beyond this are refused (404) before the database sees the OFFSET.
MAX_PAGE = 100_000


class UncountedPage:
    """One page of an uncounted list: its items and whether pages lie on either side."""

    def __init__(self, object_list: list, number: int, has_next: bool):
        self.object_list, self.number, self._has_next = object_list, number, has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage("Keine weitere Seite.")
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise EmptyPage("Keine vorherige Seite.")
        return self.number - 1

    def __repr__(self):
        return f"<Page {self.number}>"


class UncountedPaginator:
    """Pages of `object_list` (a queryset, or anything sliceable) of `per_page` items,
    each read with one LIMITed query; the first page may be empty, a later one may not."""

    uncounted = True  # templates show "Seite N", not "Seite N von M"

    def __init__(self, object_list, per_page: int, orphans: int = 0, allow_empty_first_page=True):
        self.object_list, self.per_page = object_list, int(per_page)
        self.allow_empty_first_page = allow_empty_first_page

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("Die Seitenzahl ist keine Zahl.") from error
        if number < 1 or number > MAX_PAGE:
            raise EmptyPage("Diese Seite gibt es nicht.")
        return number

    def page(self, number) -> UncountedPage:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage("Diese Seite enthält keine Einträge.")
        return UncountedPage(rows[: self.per_page], number, has_next=len(rows) > self.per_page)


class UncountedPaginationMixin:
    """For ListView and the date-based list views: UncountedPaginator, `?page=N` URLs
    (N a positive number; anything else, Django's "last" included, is a 404: a total
    that would tell the last page is what this avoids)."""

    paginator_class = UncountedPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, allow_empty_first_page=self.get_allow_empty()
        )
        number = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        try:
            page = paginator.page(number)
        except (PageNotAnInteger, EmptyPage) as error:
            raise Http404(f"Ungültige Seite ({number}).") from error
        return paginator, page, page.object_list, page.has_other_pages()
