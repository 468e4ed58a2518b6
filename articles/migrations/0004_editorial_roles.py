"""Create the groups Redaktion and Chefredaktion (see articles/roles.py).

The permission lists are frozen here on purpose: a later change of roles is a new
migration, so that this one still runs on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Both roles: write articles (and their links), tags, municipalities and their aliases.
REDAKTION = [
    "view_article", "add_article", "change_article",
    "view_articlelink", "add_articlelink", "change_articlelink", "delete_articlelink",
    "view_tag", "add_tag", "change_tag",
    "view_municipality", "add_municipality", "change_municipality",
    "view_municipalityalias", "add_municipalityalias", "change_municipalityalias",
    "delete_municipalityalias",
    "view_section", "view_vendor", "view_sourcefile", "view_slugredirect",
]
# Chefredaktion: everything editorial, including publishing, deleting and merging.
CHEFREDAKTION = REDAKTION + [
    "publish_article", "delete_article",
    "delete_tag", "merge_tag",
    "delete_municipality", "merge_municipality",
    "add_section", "change_section", "delete_section",
    "change_vendor",
    "add_slugredirect", "change_slugredirect", "delete_slugredirect",
]
GROUPS = {"Redaktion": REDAKTION, "Chefredaktion": CHEFREDAKTION}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("articles")
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        assert permissions.count() == len(codenames), name
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_history_image_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
