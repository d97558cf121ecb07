"""Recent webhook deliveries get the idempotency key of the current formula.

The key of a delivery (``services.webhooks.deliveries.idempotency_key``) was
``sha256(event, created_at, resource URI)`` and, for payloads without a URI, a digest of the
payload instead of the URI; it now always ends with a digest of the canonical payload. A
Calendly retry of a delivery stored under the old formula would get a new key after the
upgrade, not be recognised as a duplicate, and be processed twice. Calendly retries for 24
hours, so the rows received in the last 48 hours are given the key the current code computes
from their stored body; older rows cannot be retried any more and keep theirs.

The formula is copied here, frozen: a migration must not change meaning when the code does
(tests/webhooks/test_delivery_key_migration.py checks the copy against the code).
"""

import hashlib
import json
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

#: Calendly's retry window (24 h) with a margin for clocks and slow deploys.
RETRY_WINDOW = timedelta(hours=48)
BATCH = 500


def _not_json(constant):
    raise ValueError(f"{constant} is not JSON")


def current_key(body):
    """The key ``store_delivery`` gives ``body`` today, or None when it is no envelope."""
    try:
        envelope = json.loads(body, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), dict):
        return None
    event = envelope.get("event")
    if not isinstance(event, str) or not event:
        return None
    payload = envelope["payload"]
    uri = payload.get("uri")
    try:
        canonical = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        material = "\n".join([
            event, str(envelope.get("created_at") or ""),
            uri if isinstance(uri, str) else "", digest,
        ])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()
    except (UnicodeEncodeError, RecursionError):
        return None


def recompute_keys(apps, schema_editor):
    WebhookDelivery = apps.get_model("calendly", "WebhookDelivery")
    recent = WebhookDelivery.objects.filter(received_at__gte=timezone.now() - RETRY_WINDOW)
    batch, taken = [], set()
    for delivery in recent.only("id", "idempotency_key", "body").iterator(chunk_size=BATCH):
        key = current_key(delivery.body)
        if key is None or key == delivery.idempotency_key or key in taken:
            continue
        if WebhookDelivery.objects.filter(idempotency_key=key).exists():
            continue  # the same delivery, already stored again under the new key
        taken.add(key)
        delivery.idempotency_key = key
        batch.append(delivery)
        if len(batch) >= BATCH:
            WebhookDelivery.objects.bulk_update(batch, ["idempotency_key"])
            batch = []
    if batch:
        WebhookDelivery.objects.bulk_update(batch, ["idempotency_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("calendly", "0007_idempotency_anonymous"),
    ]

    operations = [
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
