"""Rights of the import desk (articles/admin/imports.py, articles/roles.py).

Both roles see the import runs and work off the findings ("Zu prüfen"). Only
Chefredaktion starts imports in the admin (an import publishes at once, past the
four-eyes rule) and merges articles. Frozen lists, as in 0004.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BOTH = ["view_importrun", "view_finding", "change_finding"]
CHEFREDAKTION = ["start_import", "merge_article"]
GROUPS = {"Redaktion": BOTH, "Chefredaktion": BOTH + CHEFREDAKTION}


def grant(apps, schema_editor):
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
        if permissions.count() != len(codenames):
            raise RuntimeError(f"{name}: some of {codenames} do not exist")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_import_records")]

    operations = [migrations.RunPython(grant, revoke)]
