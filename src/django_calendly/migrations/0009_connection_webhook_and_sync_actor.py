"""Two follow-ups of many accounts (issue 11).

- Connections record where their webhook subscription stands (it is ensured by a task
  now, not in the OAuth callback). Existing connections with a subscription are
  ``active``; the others are left to the periodic run (``calendly_sync --all``).
- A sync state belongs to one actor (``SyncState.connection``; null: the app's token), so
  a connection and the app syncing the same scope no longer share progress. Existing rows
  become the app token's: the new column is null, and one row per scope was all the old
  constraint allowed, so the app's constraint holds for them.
"""

import django.db.models.deletion
from django.db import migrations, models


def connections_with_a_subscription_are_active(apps, schema_editor):
    connection_model = apps.get_model("calendly", "CalendlyConnection")
    subscription_model = apps.get_model("calendly", "WebhookSubscription")
    with_one = subscription_model.objects.exclude(connection=None).values("connection_id")
    connection_model.objects.filter(pk__in=with_one).update(webhook_status="active")


class Migration(migrations.Migration):

    dependencies = [
        ("calendly", "0008_webhook_delivery_keys"),
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
        migrations.AddField(
            model_name="syncstate",
            name="connection",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose token syncs it; empty: the app's own token.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sync_states",
                to="calendly.calendlyconnection",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="syncstate",
            name="calendly_sync_scope",
        ),
        migrations.AddConstraint(
            model_name="syncstate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("connection__isnull", True)),
                fields=("scope", "scope_uri"),
                name="calendly_sync_scope_app",
            ),
        ),
        migrations.AddConstraint(
            model_name="syncstate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("connection__isnull", False)),
                fields=("scope", "scope_uri", "connection"),
                name="calendly_sync_scope_connection",
            ),
        ),
    ]
