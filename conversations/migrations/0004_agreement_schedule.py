from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0003_calendar_feed"),
    ]

    operations = [
        # The old check names the free-text rule, which the next migrations replace.
        migrations.RemoveConstraint(
            model_name="conversationagreement",
            name="agreement_has_moment",
        ),
        migrations.AddField(
            model_name="conversationagreement",
            name="schedule",
            field=models.CharField(
                choices=[
                    ("once", "op een datum"),
                    ("weekly", "elke week"),
                    ("every_n_weeks", "om de zoveel weken"),
                    ("monthly", "elke maand"),
                    ("after_report", "in de week na elk rapport"),
                    ("term_start", "aan het begin van elke periode"),
                ],
                default="once",
                max_length=20,
                verbose_name="wanneer",
            ),
        ),
        migrations.AddField(
            model_name="conversationagreement",
            name="interval_weeks",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="elke zoveel weken"
            ),
        ),
    ]
