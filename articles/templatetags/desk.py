"""Template tags of the editors' admin."""

from django import template

register = template.Library()


@register.inclusion_tag("admin/articles/open_findings.html", takes_context=True)
def open_findings(context):
    """The index page's box: open findings per kind (one query)."""
    from articles.admin.imports import open_findings_by_kind

    user = context["request"].user
    if not user.has_perm("articles.view_finding"):
        return {"rows": None}
    return {"rows": open_findings_by_kind()}
