"""Template tags of the editors' admin."""

from django import template
from django.urls import reverse

from articles.importer.models import Finding

register = template.Library()


@register.inclusion_tag("admin/articles/open_findings.html", takes_context=True)
def open_findings(context):
    """The index page's box: open findings per kind, each linked to its list (one query)."""
    if not context["request"].user.has_perm("articles.view_finding"):
        return {"rows": None}
    labels = dict(Finding.Kind.choices)
    url = reverse("admin:articles_finding_changelist")
    rows = [
        {
            "label": labels.get(row["kind"], row["kind"]),
            "total": row["total"],
            "url": f"{url}?kind__exact={row['kind']}",
        }
        for row in Finding.objects.open_counts_by_kind()
    ]
    return {"rows": rows}
