"""Connections record where their webhook subscription stands (it is ensured by a task
now, not in the OAuth callback). Existing connections with a subscription are ``active``;
the others are left to the periodic run (``calendly_sync --all``), which ensures one."""

from django.db import migrations, models


def connections_with_a_subscription_are_active(apps, schema_editor):
    connection_model = apps.get_model("calendly", "CalendlyConnection")
    subscription_model = apps.get_model("calendly", "WebhookSubscription")
    with_one = subscription_model.objects.exclude(connection=None).values("connection_id")
    connection_model.objects.filter(pk__in=with_one).update(webhook_status="active")


class Migration(migrations.Migration):

    dependencies = [
        ("calendly", "0006_tenancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendlyconnection",
            name="webhook_checked_at",
            field=models.DateTimeField(
                blank=True, help_text="When webhook_status last changed.", null=True
            ),
        ),
        migrations.AddField(
            model_name="calendlyconnection",
            name="webhook_error",
            field=models.TextField(
                blank=True,
                help_text="Why its webhook subscription could not be made (no secrets).",
            ),
        ),
        migrations.AddField(
            model_name="calendlyconnection",
            name="webhook_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none (no CALENDLY_WEBHOOK_URL when connected)"),
                    ("pending", "pending (task enqueued)"),
                    ("ensuring", "ensuring (a task is at it)"),
                    ("active", "active"),
                    ("refused", "refused by Calendly (plan, scopes, role)"),
                    ("failed", "failed (retried by the periodic run)"),
                ],
                default="",
                max_length=20,
            ),
        ),
        migrations.RunPython(
            connections_with_a_subscription_are_active, migrations.RunPython.noop
        ),
    ]
