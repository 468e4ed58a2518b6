"""Article.natural_key → Article.duplicate_key.

The stored field shadowed Django's natural_key() protocol, so every model with a
foreign key to Article failed in `dumpdata --natural-foreign` ("'str' object is not
callable"). A rename: the column and its values stay, the index is renamed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_image_web_formats"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="article", name="article_unique_natural_key"),
        migrations.RenameField(model_name="article", old_name="natural_key", new_name="duplicate_key"),
        migrations.RenameField(
            model_name="historicalarticle", old_name="natural_key", new_name="duplicate_key"
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=["duplicate_key"], name="article_unique_duplicate_key"
            ),
        ),
    ]
