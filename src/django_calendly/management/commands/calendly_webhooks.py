"""``manage.py calendly_webhooks``: manage webhook subscriptions and replay deliveries.

    calendly_webhooks list
    calendly_webhooks ensure --url https://example.com/modules/calendly/webhook/ \\
        [--scope organization|user] [--events invitee.created invitee.canceled ...]
    calendly_webhooks delete UUID
    calendly_webhooks replay [--failed] [--pending] [--id ID ...]
    calendly_webhooks recover [--every SECONDS] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils import timezone

from ...client.errors import CalendlyError
from ...models import WebhookDelivery
from ...services import webhooks as service
from ...services.clients import NotConfigured
from ...services.mirror import last_segment
from ...services.webhooks import recovery


class Command(BaseCommand):
    help = "List, ensure or delete Calendly webhook subscriptions; replay stored deliveries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Subscriptions of the organization and the token's user.")
        ensure = sub.add_parser(
            "ensure", help="Make exactly one subscription deliver to --url (idempotent)."
        )
        ensure.add_argument("--url", required=True, help="The public URL of the receiver.")
        ensure.add_argument(
            "--scope", choices=["organization", "user"], default="organization",
        )
        ensure.add_argument(
            "--events", nargs="+", metavar="EVENT",
            help=f"Events to receive (default: {' '.join(service.DEFAULT_EVENTS)}).",
        )
        ensure.add_argument(
            "--connection-of", metavar="USERNAME", dest="connection_of",
            help="Act with this user's OAuth connection instead of CALENDLY_ACCESS_TOKEN; "
            "the scopes it was granted are checked before subscribing.",
        )
        delete = sub.add_parser("delete", help="Delete a subscription (uuid or URI).")
        delete.add_argument("uuid")
        replay = sub.add_parser("replay", help="Process stored deliveries again, now.")
        replay.add_argument("--failed", action="store_true", help="Every failed delivery.")
        replay.add_argument(
            "--pending", action="store_true",
            help="Deliveries still pending after 5 minutes, now (recovery takes them up by "
            "itself once their lease expires; see 'recover').",
        )
        replay.add_argument("--id", type=int, action="append", default=[], dest="ids")
        recover = sub.add_parser(
            "recover",
            help="Enqueue again the deliveries whose lease expired unfinished (a killed "
            "worker, a lost enqueue). Once, or every --every seconds (a supervised process "
            "for quiet periods; it survives the database going away).",
        )
        recover.add_argument(
            "--every", type=_positive_float, default=None, metavar="SECONDS",
            help="Keep running: one sweep every SECONDS.",
        )
        recover.add_argument(
            "--limit", type=int, default=None,
            help="Most deliveries per sweep (default CALENDLY_WEBHOOK_RECOVERY_BATCH).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "replay":
                self._replay(options)
            elif action == "recover":
                self._recover(options)
            elif action == "list":
                self._list()
            elif action == "ensure":
                self._ensure(options)
            elif action == "delete":
                service.delete_subscription(options["uuid"])
                self.stdout.write(self.style.SUCCESS(f"Deleted {options['uuid']}."))
        except (service.WebhooksNotAllowed, service.InvalidSubscription) as exc:
            raise CommandError(str(exc)) from exc
        except NotConfigured as exc:
            raise CommandError(str(exc)) from exc
        except (CalendlyError, ValueError) as exc:
            raise CommandError(f"Calendly call failed: {exc}") from exc

    def _list(self) -> None:
        subs = service.list_subscriptions()
        if not subs:
            self.stdout.write("No webhook subscriptions.")
            return
        for sub in subs:
            key = "key held" if sub["has_key"] else "no key here"
            self.stdout.write(
                f"{last_segment(sub['uri'])}  {sub.get('state', '?'):8}  "
                f"{sub.get('scope', '?'):12}  {sub.get('callback_url')}  "
                f"[{', '.join(sub.get('events') or [])}]  ({key})"
            )

    def _ensure(self, options: dict[str, Any]) -> None:
        client: Any = None
        granted: str | None = None
        if options.get("connection_of"):
            client, granted = self._connection_client(options["connection_of"])
        result = service.ensure_subscription(
            options["url"], scope=options["scope"], events=options["events"],
            client=client, granted_scopes=granted,
        )
        for uri in result.deleted:
            self.stdout.write(f"Deleted {uri} (was delivering to the same URL).")
        verb = "Created" if result.created else "Kept"
        sub = result.subscription
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {sub.uri} -> {sub.callback_url} ({sub.scope}: {', '.join(sub.events)})"
            )
        )
        if result.created:
            self.stdout.write("Its signing key is stored encrypted; deliveries are verified.")

    def _connection_client(self, username: str) -> tuple[Any, str | None]:
        """The client of ``username``'s OAuth connection and the scopes it was granted
        (None when Calendly did not say, so Calendly's own answer decides)."""
        from django.contrib.auth import get_user_model

        from ...models import CalendlyConnection
        from ...services.clients import get_client

        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        connection = (
            CalendlyConnection.objects.filter(user=user).first() if user is not None else None
        )
        if connection is None:
            raise CommandError(f"{username!r} has no Calendly connection (Connect Calendly).")
        return get_client(user, background=True), connection.scope or None

    def _replay(self, options: dict[str, Any]) -> None:
        ids: list[int] = list(options["ids"])
        if options["failed"]:
            ids += WebhookDelivery.objects.filter(
                status=WebhookDelivery.Status.FAILED
            ).order_by("received_at", "id").values_list("id", flat=True)
        pending: list[int] = []
        if options["pending"]:
            pending = list(
                WebhookDelivery.objects.filter(
                    status=WebhookDelivery.Status.PENDING,
                    received_at__lt=timezone.now() - timedelta(minutes=5),
                ).order_by("received_at", "id").values_list("id", flat=True)
            )
        if not (options["failed"] or options["pending"] or options["ids"]):
            raise CommandError("Say which deliveries: --failed, --pending and/or --id ID.")
        ids = list(dict.fromkeys(ids))
        counts = service.replay_deliveries(ids)
        # A pending delivery may be processed by a worker meanwhile: never run it twice.
        for status, n in service.replay_deliveries(
            [i for i in pending if i not in ids], force=False
        ).items():
            counts[status] = counts.get(status, 0) + n
        ids += [i for i in pending if i not in ids]
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"
        self.stdout.write(f"Replayed {len(ids)} deliveries: {summary}.")
        if counts.get("failed"):
            raise CommandError("Some deliveries failed again; see WebhookDelivery.last_error.")

    def _recover(self, options: dict[str, Any]) -> None:
        every: float | None = options["every"]
        if every is None:
            sweep = recovery.recover_deliveries(limit=options["limit"])
            self._report(sweep)
            return
        self.stdout.write(f"Recovering webhook deliveries every {every:g} s (Ctrl+C stops).")
        while True:
            started = time.monotonic()
            try:
                sweep = recovery.recover_deliveries(limit=options["limit"])
            except DatabaseError as exc:
                # The database went away: drop the dead connection and try again later,
                # instead of exiting like db_worker does.
                self.stderr.write(f"Recovery sweep failed ({type(exc).__name__}); retrying.")
                connections.close_all()
            else:
                if sweep.retaken:
                    self._report(sweep)
                if len(sweep.retaken) == (options["limit"] or recovery.batch_size()):
                    continue  # a full batch: more may be due, sweep again now
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    def _report(self, sweep: recovery.Sweep) -> None:
        line = f"Enqueued {len(sweep.retaken)} deliveries again"
        if sweep.enqueue_failed:
            line += f" ({sweep.enqueue_failed} could not be enqueued; they stay pending)"
        self.stdout.write(line + ".")


def _positive_float(value: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return number
