from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0005_agreement_rule_to_schedule"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="conversationagreement",
            name="rule",
        ),
        migrations.AddConstraint(
            model_name="conversationagreement",
            constraint=models.CheckConstraint(
                condition=models.Q(("schedule", "once"), _negated=True)
                | models.Q(("due_on__isnull", False)),
                name="conversation_agreement_once_has_date",
                violation_error_message="Kies een datum voor deze afspraak.",
            ),
        ),
        migrations.AddConstraint(
            model_name="conversationagreement",
            constraint=models.CheckConstraint(
                condition=models.Q(("schedule", "every_n_weeks"), _negated=True)
                | models.Q(("interval_weeks__gte", 1)),
                name="conversation_agreement_interval_given",
                violation_error_message="Vul in om de hoeveel weken.",
            ),
        ),
    ]
