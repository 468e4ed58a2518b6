"""The desk's two roles and the rules the admin enforces for them.

The groups and their permissions are created by migration 0004; the admin asks these
helpers, never a group name, so that a superuser or a custom group works the same way.
"""

REDAKTION = "Redaktion"
CHEFREDAKTION = "Chefredaktion"


def can_publish(user) -> bool:
    """Publishing and taking back (unpublishing) are one right: Chefredaktion's."""
    return user.has_perm("articles.publish_article")


def can_merge_tags(user) -> bool:
    return user.has_perm("articles.merge_tag")


def can_merge_municipalities(user) -> bool:
    return user.has_perm("articles.merge_municipality")


def can_merge_vendors(user) -> bool:
    return user.has_perm("articles.merge_vendor")


def can_start_imports(user) -> bool:
    """Chefredaktion's: an import publishes its articles at once, past the four eyes."""
    return user.has_perm("articles.start_import")


def can_merge_articles(user) -> bool:
    return user.has_perm("articles.merge_article")
