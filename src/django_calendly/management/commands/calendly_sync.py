"""``manage.py calendly_sync``: pull Calendly's scheduled meetings into the local mirror."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ...client.errors import CalendlyError
from ...models import CalendlyConnection
from ...services.clients import NotConfigured
from ...services.sync import sync_scheduled_events
from ...services.tenancy import enqueue_syncs, sync_connection
from ...sync.engine import SyncError, SyncStats


def parse_bound(value: str, *, ahead: bool) -> datetime:
    """An ISO date/date-time, or a number of days (back for --since, ahead for --until)."""
    text = value.strip()
    try:
        days = float(text)
    except ValueError:
        pass
    else:
        delta = timedelta(days=days)
        return timezone.now() + delta if ahead else timezone.now() - delta
    when = parse_datetime(text)
    if when is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(
                f"{value!r} is neither an ISO-8601 date/date-time nor a number of days."
            )
        when = datetime(day.year, day.month, day.day)
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_default_timezone())
    return when


def describe(stats: SyncStats) -> str:
    return (
        f"event types {stats.event_types} ({stats.event_types_written} written), "
        f"events {stats.events} ({stats.events_written} written), "
        f"invitee calls for {stats.invitee_events} events, "
        f"invitees {stats.invitees} ({stats.invitees_written} written), "
        f"API calls {stats.api_calls}, rate-limit waits {stats.rate_limit_waits} "
        f"({stats.rate_limit_wait_seconds:.1f}s)"
    )


class Command(BaseCommand):
    help = (
        "Sync event types, scheduled events in a window and their invitees from Calendly "
        "into the local mirror. Incremental: unchanged events cost no invitee call. "
        "An interrupted sync resumes where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--organization",
            metavar="URI",
            help="Organization URI (default: CALENDLY_ORGANIZATION, else the token's).",
        )
        scope.add_argument("--user", metavar="URI", help="Sync one user's events only.")
        scope.add_argument(
            "--connection", metavar="ID", type=int,
            help="Sync what one Calendly connection (OAuth) sees, with its own token.",
        )
        scope.add_argument(
            "--all", action="store_true",
            help="One sync task per usable connection, plus the app's token when "
            "CALENDLY_ACCESS_TOKEN is set, fanned out on the task backend.",
        )
        parser.add_argument(
            "--since",
            metavar="ISO|DAYS",
            help="Window start: an ISO date/date-time or days back "
            "(default: CALENDLY_SYNC_DAYS_BACK).",
        )
        parser.add_argument(
            "--until",
            metavar="ISO|DAYS",
            help="Window end: an ISO date/date-time or days ahead "
            "(default: CALENDLY_SYNC_DAYS_AHEAD).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Start over: ignore the resume point and fetch every event's invitees.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List and compare only: no invitee calls, nothing written.",
        )
        parser.add_argument(
            "--concurrency", type=int, help="Concurrent invitee calls (CALENDLY_SYNC_CONCURRENCY)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Plain log lines even on a terminal."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = parse_bound(options["since"], ahead=False) if options["since"] else None
        until = parse_bound(options["until"], ahead=True) if options["until"] else None
        if since and until and until <= since:
            raise CommandError("--until must be after --since.")
        if options["concurrency"] is not None and options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1.")
        if options["all"]:
            if options["dry_run"]:
                raise CommandError("--dry-run cannot be combined with --all.")
            self._fan_out(since, until, options["full"])
            return
        connection = self._connection(options["connection"])
        tty = self.stdout.isatty() and not options["no_progress"]
        reporter: _Reporter = _RichReporter(self.stdout) if tty else _LineReporter(self)
        try:
            with reporter:
                if connection is not None:
                    stats = sync_connection(
                        connection,
                        since=since,
                        until=until,
                        full=options["full"],
                        dry_run=options["dry_run"],
                        progress=reporter.update,
                    )
                else:
                    stats = sync_scheduled_events(
                        organization=options["organization"],
                        user=options["user"],
                        since=since,
                        until=until,
                        full=options["full"],
                        dry_run=options["dry_run"],
                        concurrency=options["concurrency"],
                        progress=reporter.update,
                    )
        except NotConfigured as exc:
            raise CommandError(str(exc)) from exc
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        except (CalendlyError, ValueError) as exc:
            raise CommandError(f"Sync could not start: {exc}") from exc
        verb = "Dry run" if stats.dry_run else "Sync"
        resumed = " (resumed)" if stats.resumed else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} of {stats.organization or 'scope'} finished{resumed} in "
                f"{stats.elapsed:.1f}s: {describe(stats)}; window "
                f"{stats.window_start} .. {stats.window_end}."
            )
        )

    def _connection(self, pk: int | None) -> CalendlyConnection | None:
        if pk is None:
            return None
        connection = CalendlyConnection.objects.filter(pk=pk).first()
        if connection is None:
            raise CommandError(f"No Calendly connection with id {pk}.")
        if not connection.is_usable:
            raise CommandError(
                f"Calendly connection {pk} needs reconnecting: {connection.last_error}"
            )
        return connection

    def _fan_out(self, since: datetime | None, until: datetime | None, full: bool) -> None:
        """``--all``: enqueue, then report what already finished (the Immediate backend
        runs each task here, in turn; a worker backend leaves them queued)."""
        try:
            queued = enqueue_syncs(since=since, until=until, full=full)
        except Exception as exc:  # the task backend refused (a queue down): say so, briefly
            raise CommandError(
                f"Could not enqueue the syncs ({type(exc).__name__}: {exc}); those enqueued "
                "before it run, the next run enqueues the rest."
            ) from exc
        if not queued:
            raise CommandError(
                "Nothing to sync: no usable Calendly connection and no CALENDLY_ACCESS_TOKEN."
            )
        failed = 0
        for item in queued:
            who = f"connection {item.connection_id}" if item.connection_id else "app token"
            if item.kind != "sync":
                who += f" {item.kind}"
            result = item.result
            status = str(getattr(result.status, "value", result.status))
            if not result.is_finished:
                self.stdout.write(f"{who}: enqueued (task {result.id})")
            elif status == "SUCCESSFUL":
                self.stdout.write(f"{who}: {_summary(result.return_value)}")
            else:
                failed += 1
                errors = [e.exception_class_path for e in getattr(result, "errors", [])]
                self.stderr.write(f"{who}: failed ({', '.join(errors) or status})")
        if failed:
            raise CommandError(f"{failed} of {len(queued)} tasks failed.")
        syncs = sum(1 for item in queued if item.kind == "sync")
        repairs = len(queued) - syncs
        also = f", {repairs} webhook subscription tasks" if repairs else ""
        self.stdout.write(self.style.SUCCESS(f"{syncs} syncs enqueued{also}."))


def _summary(value: dict[str, Any]) -> str:
    """One finished task's return value, in a few words."""
    if "skipped" in value:
        return f"skipped ({value['skipped']})"
    if "events" in value:
        return (
            f"events {value['events']} ({value['events_written']} written), "
            f"invitees {value['invitees']}"
        )
    if value.get("error"):
        return f"{value.get('status')} ({value['error']})"
    made = "created" if value.get("created") else "kept"
    return f"{value.get('status')} ({made} {value.get('subscription', '')})"


class _Reporter:
    def __enter__(self) -> _Reporter:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def update(self, stats: SyncStats) -> None:
        raise NotImplementedError


class _LineReporter(_Reporter):
    """One log line per page at most every few seconds (logs, cron mail, CI)."""

    INTERVAL = 5.0

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self._last = 0.0
        self._waits = 0

    def update(self, stats: SyncStats) -> None:
        now = time.monotonic()
        new_wait = stats.rate_limit_waits != self._waits
        if not new_wait and now - self._last < self.INTERVAL:
            return
        self._last, self._waits = now, stats.rate_limit_waits
        self.command.stdout.write(f"[{stats.stage}] {describe(stats)}")


class _RichReporter(_Reporter):
    """A live progress display on a terminal."""

    def __init__(self, stdout: Any) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[stage]}"),
            TextColumn(
                "events {task.fields[events]} · invitees {task.fields[invitees]} · "
                "API calls {task.fields[calls]} · rate-limit waits {task.fields[waits]}"
            ),
            TimeElapsedColumn(),
            console=Console(file=stdout),
            transient=False,
        )
        self.task = self.progress.add_task(
            "sync", total=None, stage="starting", events=0, invitees=0, calls=0, waits=0
        )

    def __enter__(self) -> _RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def update(self, stats: SyncStats) -> None:
        self.progress.update(
            self.task,
            stage=stats.stage,
            events=stats.events,
            invitees=stats.invitees,
            calls=stats.api_calls,
            waits=stats.rate_limit_waits,
        )
