"""Both roles may keep a tag's alternative names, as they may a municipality's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_tagalias", "add_tagalias", "change_tagalias", "delete_tagalias"]
GROUPS = ["Redaktion", "Chefredaktion"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("articles")
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=CODENAMES
    )
    assert permissions.count() == len(CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_tag_alias")]

    operations = [migrations.RunPython(grant, revoke)]
