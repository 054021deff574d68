from django.db import migrations


def recount_reach(apps, schema_editor):
    """Helping at an activity counts as reach: recount the kept facts now that the helpers'
    table exists (parents 0005 counted the families before it did)."""
    from parents.reach import rebuild_reach

    if apps.get_model("parents", "Family").objects.exists():
        rebuild_reach()


class Migration(migrations.Migration):
    dependencies = [
        ("parents", "0005_family_reach"),
        ("partnership", "0003_class_news_photo"),
    ]

    operations = [migrations.RunPython(recount_reach, migrations.RunPython.noop)]
