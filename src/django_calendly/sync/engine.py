"""The pull sync: event types, then scheduled events in a window, then their invitees.

Cost model: Calendly has no ``updated_since`` filter, so every sync lists the window (one
call per 100 events), but invitees (one call per event) are fetched only for events whose
``updated_at`` or ``invitees_counter`` changed since the last sync. The mirror remembers
that pair in ``ScheduledEvent.invitees_signature``, written in the same transaction as the
invitees, so an event whose signature matches is both unchanged and complete.

Per page of 100 events, the database sees a constant number of queries: one read of the
stored signatures, one bulk upsert of the changed events, one lookup + one bulk upsert of
their invitees, one read of the no-shows that webhooks wrote while those were fetched (and
one update only when there are some), one update of the sync state; all in one
transaction. The next page is fetched while the invitees of the current one are, so the
list calls overlap the invitee calls. Nothing but the current page is kept in memory.

Invitee calls run on a bounded ``ThreadPoolExecutor`` (``CALENDLY_SYNC_CONCURRENCY``) that
lives only inside one ``run`` call and is joined before it returns; the threads make HTTP
calls only and never touch the database. Every call goes through one shared
``RateLimitPacer``.

Interruption: after each page the sync state stores the token of the next page (and the
window it belongs to) in the same transaction as the page's rows, with the position the
listing reached: the last start time listed and the events listed at it. A failed or
killed sync leaves that behind and the next run continues from the token.

Expired page tokens: Calendly's tokens do not live forever (``PageTokenExpired``). The
listing is sorted by ``start_time:asc``, so a refused token (mid-run, or the stored one)
is replaced by listing again from the position (``client.positions.StartTimePosition``:
from just before the last start time listed) and skipping the events already listed. A
second expiry with no progress since the last restart stops the sync with ``SyncError``
rather than looping.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..client.errors import APIError, BadRequest, CalendlyError, NotFound, PageTokenExpired
from ..client.pagination import Page
from ..client.positions import StartTimePosition
from ..conf import calendly_settings
from ..models import EventType, Invitee, ScheduledEvent, SyncState
from ..services import mirror
from ..services.attribution import hold_connection, mark_seen
from .pacing import RateLimitPacer

logger = logging.getLogger("django_calendly.sync")

PAGE_SIZE = 100
#: A page count no real listing reaches; bounds every pagination loop.
MAX_PAGES = 1_000_000
#: A RUNNING state older than this (no page committed) is taken to be a dead run.
STALE_RUN = timedelta(minutes=10)

SCOPE_ORGANIZATION = "organization"
SCOPE_USER = "user"


class SyncError(Exception):
    """The sync stopped; the message says why and what was kept."""


class SyncAlreadyRunning(SyncError):
    """Another run of the same scope is in progress."""


class SyncActorGone(SyncError):
    """The connection syncing was disconnected: its sync state went with it; stop."""


@dataclass
class SyncStats:
    """Counters of one run (also what the progress callback and the summary show)."""

    event_types: int = 0
    event_types_written: int = 0
    events: int = 0
    events_written: int = 0
    invitee_events: int = 0  # events whose invitees were (or, dry run, would be) fetched
    invitees: int = 0
    invitees_written: int = 0
    pages: int = 0  # pages listed
    pages_written: int = 0  # pages whose rows (and resume point) are committed
    api_calls: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    rate_limited: int = 0
    elapsed: float = 0.0
    resumed: bool = False
    page_token_restarts: int = 0  # listings started again after an expired page token
    dry_run: bool = False
    window_start: str = ""
    window_end: str = ""
    organization: str = ""
    stage: str = "starting"

    @property
    def rows_written(self) -> int:
        return self.event_types_written + self.events_written + self.invitees_written

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows_written"] = self.rows_written
        data["rate_limit_wait_seconds"] = round(self.rate_limit_wait_seconds, 3)
        data["elapsed"] = round(self.elapsed, 3)
        return data


@dataclass
class SyncOptions:
    scope: str  # "organization" or "user"
    scope_uri: str
    organization: str = ""  # stored on the mirrored rows (the user's organization for a user)
    # The window; an end left None takes its default (``default_window``). A window the
    # caller chose (either end given) is not replaced by a stored, interrupted one.
    window_start: datetime | None = None
    window_end: datetime | None = None
    full: bool = False  # ignore the resume point and the signatures: fetch every invitee
    dry_run: bool = False  # list, compare, write nothing, fetch no invitees
    concurrency: int = 4
    # Who is syncing (services/attribution.py): a CalendlyConnection id, None for the
    # app's own token. Every row listed (changed or not) is marked as seen by it, and its
    # progress is its own SyncState row.
    connection_id: int | None = None


def _stored_position(position: StartTimePosition, since: datetime | None) -> dict[str, Any]:
    """What the sync state keeps of the listing's position (``counts``), for the next run."""
    data = position.to_dict()
    if not data:
        return {}
    stored = {POSITION_START: data["start_time"], POSITION_URIS: data["uris"]}
    if since is not None:
        stored[POSITION_SINCE] = since.isoformat()
    return stored


def _position_from(counts: Mapping[str, Any]) -> StartTimePosition:
    return StartTimePosition.from_dict(
        {"start_time": counts.get(POSITION_START), "uris": counts.get(POSITION_URIS)}
    )


POSITION_START = "resume_start_time"
POSITION_URIS = "resume_seen"
POSITION_SINCE = "resume_listing_since"


@dataclass
class _PendingPage:
    events: list[dict[str, Any]]  # the events of the page whose invitees are being fetched
    futures: list[Future[list[dict[str, Any]]]]
    next_token: str | None
    # Taken just before the page's invitee calls were queued: a no-show row written at or
    # after it may be newer than the fetched invitees (see ``_keep_webhook_no_shows``).
    fetch_started: datetime
    # The listing's position once this page was listed (stored with the page).
    position: dict[str, Any] = field(default_factory=dict)
    # Every event URI of the page, changed or not: all of them were seen by the actor.
    listed: list[str] = field(default_factory=list)


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """``CALENDLY_SYNC_DAYS_BACK`` days back to ``CALENDLY_SYNC_DAYS_AHEAD`` days ahead."""
    now = now or timezone.now()
    return (
        now - timedelta(days=calendly_settings.SYNC_DAYS_BACK),
        now + timedelta(days=calendly_settings.SYNC_DAYS_AHEAD),
    )


def invitees_signature(data: dict[str, Any]) -> str:
    """What must stay equal for an event's mirrored invitees to be current."""
    counter = data.get("invitees_counter") or {}
    return (
        f"{data.get('updated_at') or ''}|{counter.get('total') or 0}|{counter.get('active') or 0}"
    )


def _signature_column(data: Any) -> dict[str, str]:
    return {"invitees_signature": invitees_signature(data)}


ProgressCallback = Callable[[SyncStats], None]


class SyncEngine:
    def __init__(
        self,
        client: Any,
        options: SyncOptions,
        *,
        progress: ProgressCallback | None = None,
        sleep: Callable[[float], None] = time.sleep,
        pacer: RateLimitPacer | None = None,
    ) -> None:
        if options.scope not in (SCOPE_ORGANIZATION, SCOPE_USER):
            raise ValueError(f"unknown sync scope {options.scope!r}")
        self.client = client
        self.options = options
        self.stats = SyncStats(dry_run=options.dry_run, organization=options.organization)
        self._progress = progress
        # A pacer given by the caller (services.sync, which resolved the scope through it)
        # keeps its counters, so they are part of this run's stats.
        self.pacer = pacer or RateLimitPacer(
            client, reserve=max(1, options.concurrency), sleep=sleep
        )
        self.pacer.on_wait = self._waited
        self._state: SyncState | None = None
        self._position = StartTimePosition()
        self._stored_position: dict[str, Any] = {}
        # The listing's min_start_time: the window's start until a restart moves it. A
        # page token belongs to the query it came from, so every page of one listing is
        # asked for with the same one (and it is stored with the token).
        self._since: datetime | None = None
        self._previous_counts: dict[str, Any] = {}
        self._last_restart: tuple[datetime | None, int] | None = None

    # -- helpers --------------------------------------------------------------------------

    def _waited(self, seconds: float) -> None:
        # The pacer counts the wait (before calling this); here it is only logged and shown.
        logger.info("rate limit: waiting %.1fs for the window to reset", seconds)
        self._report()

    def _count_calls(self) -> None:
        """Copy the pacer's counters (the only place they are kept) into the stats."""
        pacer = self.pacer
        self.stats.api_calls = pacer.calls
        self.stats.rate_limited = pacer.rate_limited
        self.stats.rate_limit_waits = pacer.waits
        self.stats.rate_limit_wait_seconds = pacer.wait_seconds

    def _report(self) -> None:
        self._count_calls()
        if self._progress is not None:
            self._progress(self.stats)

    def _actor(self) -> str:
        connection_id = self.options.connection_id
        return f"connection {connection_id}" if connection_id is not None else "the app's token"

    def _scope_params(self) -> dict[str, str]:
        return {self.options.scope: self.options.scope_uri}

    # -- state ----------------------------------------------------------------------------

    def _claim_state(self) -> SyncState:
        opts = self.options
        with transaction.atomic():
            # Kept until this commits, so a disconnect cannot delete the connection between
            # here and the insert below (its foreign key is checked at the commit).
            if opts.connection_id is not None and not hold_connection(opts.connection_id):
                raise SyncActorGone(f"Connection {opts.connection_id} no longer exists.")
            # The actor's own row: a connection's progress never mixes with the app's.
            state, _ = SyncState.objects.select_for_update().get_or_create(
                scope=opts.scope, scope_uri=opts.scope_uri, connection_id=opts.connection_id
            )
            now = timezone.now()
            heartbeat = state.counts.get("heartbeat_at") if isinstance(state.counts, dict) else None
            beat = mirror.parse_time(heartbeat) or state.last_started_at
            if state.status == SyncState.Status.RUNNING and beat and now - beat < STALE_RUN:
                raise SyncAlreadyRunning(
                    f"A sync of {opts.scope} {opts.scope_uri} by {self._actor()} is already "
                    "running "
                    f"(started {state.last_started_at:%Y-%m-%d %H:%M:%S} UTC)."
                )
            # Where the stored resume token points (the counts are rewritten just below).
            self._previous_counts = state.counts if isinstance(state.counts, dict) else {}
            if opts.dry_run:
                return state
            state.status = SyncState.Status.RUNNING
            state.last_started_at = now
            state.last_error = ""
            state.counts = {**self.stats.as_dict(), "heartbeat_at": now.isoformat()}
            state.save()
        return state

    def _save_progress(self, next_token: str | None, position: dict[str, Any]) -> None:
        state = self._state
        if state is None or self.options.dry_run:
            return
        self._count_calls()
        self._stored_position = position if next_token else {}
        state.resume_token = next_token or ""
        state.counts = {
            **self.stats.as_dict(),
            **self._stored_position,
            "heartbeat_at": timezone.now().isoformat(),
        }
        if not self._update_state(state, ["resume_token", "counts"]):
            # Disconnected meanwhile (its row went with the connection): stop, and roll
            # back this page, whose rows would be attributed to nobody.
            raise SyncActorGone(
                f"Connection {self.options.connection_id} was disconnected during its sync."
            )

    @staticmethod
    def _update_state(state: SyncState, fields: list[str]) -> bool:
        """Write ``fields`` of the state's row; False when the row is gone (never
        re-inserted: ``save()`` would, and fail on its deleted connection)."""
        values = {name: getattr(state, name) for name in fields}
        return bool(SyncState.objects.filter(pk=state.pk).update(**values))

    def _finish(self, status: str, error: str = "") -> None:
        state = self._state
        if state is None or self.options.dry_run:
            return
        self._report()
        state.status = status
        state.last_finished_at = timezone.now()
        state.last_error = error
        state.counts = self.stats.as_dict()
        if status == SyncState.Status.SUCCEEDED:
            state.resume_token = ""
        elif state.resume_token:
            state.counts.update(self._stored_position)  # where the resume token points
        fields = ["status", "last_finished_at", "last_error", "counts", "resume_token"]
        if not self._update_state(state, fields):
            logger.info("sync state of %s %s is gone (disconnected); nothing to record",
                        self.options.scope, self.options.scope_uri)

    # -- run ------------------------------------------------------------------------------

    def run(self) -> SyncStats:
        opts = self.options
        started = time.monotonic()
        self._state = state = self._claim_state()

        default_start, default_end = default_window()
        start = opts.window_start or default_start
        end = opts.window_end or default_end
        window_given = opts.window_start is not None or opts.window_end is not None
        resume_token: str | None = None
        if (
            not opts.full
            and state.resume_token
            and state.window_start
            and state.window_end
            and (
                not window_given
                or (state.window_start == start and state.window_end == end)
            )
        ):
            # Continue the interrupted listing, over the window its page token belongs to.
            start, end, resume_token = state.window_start, state.window_end, state.resume_token
            self.stats.resumed = True
            previous = self._previous_counts
            self._position = _position_from(previous)
            self._since = mirror.parse_time(previous.get(POSITION_SINCE))
            self._stored_position = _stored_position(self._position, self._since)
        self.stats.window_start = start.isoformat()
        self.stats.window_end = end.isoformat()
        if not opts.dry_run:
            state.window_start, state.window_end = start, end
            if not self._update_state(state, ["window_start", "window_end"]):
                raise SyncActorGone(f"Connection {opts.connection_id} was disconnected.")

        try:
            self.stats.stage = "event types"
            self._sync_event_types()
            self.stats.stage = "scheduled events"
            self._sync_events(start, end, resume_token)
        except BaseException as exc:
            self.stats.elapsed = time.monotonic() - started
            message = _describe(exc)
            self._finish(SyncState.Status.FAILED, message)
            if isinstance(exc, SyncActorGone):
                raise
            if isinstance(exc, CalendlyError | SyncError):
                raise SyncError(
                    f"Sync of {opts.scope} {opts.scope_uri} failed: {message}. "
                    f"Progress up to the last completed page is saved; "
                    f"the next run resumes from there."
                ) from exc
            raise
        self.stats.stage = "done"
        self.stats.elapsed = time.monotonic() - started
        self._finish(SyncState.Status.SUCCEEDED)
        return self.stats

    # -- event types ----------------------------------------------------------------------

    def _sync_event_types(self) -> None:
        token: str | None = None
        for _ in range(MAX_PAGES):
            page = self.pacer.call(
                self.client.event_types.list,
                **self._scope_params(),
                count=PAGE_SIZE,
                page_token=token,
            )
            items = page.items
            self.stats.event_types += len(items)
            if items and not self.options.dry_run:
                org = self.options.organization
                stored = {
                    uri: (data, row_org)
                    for uri, data, row_org in EventType.objects.filter(
                        uri__in=[i["uri"] for i in items]
                    ).values_list("uri", "calendly_data", "organization")
                }
                # A row written without its organization (older versions) is rewritten
                # even when Calendly's JSON did not change.
                changed = [
                    i for i in items if self.options.full or stored.get(i["uri"]) != (i, org)
                ]
                self.stats.event_types_written += mirror.upsert_event_types(changed, org)
                mark_seen(EventType, [i["uri"] for i in items], self.options.connection_id)
            self._report()
            token = page.next_page_token
            if not token:
                return

    # -- scheduled events and invitees ----------------------------------------------------

    def _list_events(self, start: datetime, end: datetime, token: str | None) -> Page:
        return self.pacer.call(
            self.client.scheduled_events.list,
            **self._scope_params(),
            min_start_time=start,
            max_start_time=end,
            sort="start_time:asc",
            count=PAGE_SIZE,
            page_token=token,
        )

    def _fetch_invitees(self, event_uri: str) -> list[dict[str, Any]]:
        uuid = mirror.last_segment(event_uri)
        items: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(MAX_PAGES):
            try:
                page = self.pacer.call(
                    self.client.invitees.list, uuid, count=PAGE_SIZE, page_token=token
                )
            except NotFound:
                # The event went away between the listing and this call (a data-compliance
                # deletion): nothing to mirror, and no reason to stop the sync.
                logger.info("scheduled event %s is gone; skipping its invitees", uuid)
                return items
            items.extend(page.items)
            token = page.next_page_token
            if not token:
                break
        return items

    def _sync_events(self, start: datetime, end: datetime, token: str | None) -> None:
        """List the window page by page, keeping the invitee pool busy.

        Pipeline (at most two pages in memory): the invitee calls of page N are queued, then
        (while they run) page N+1 is listed and page N-1, whose invitees are in, is written.
        """
        opts = self.options
        workers = max(1, opts.concurrency)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="calendly-sync") as pool:
            pending: _PendingPage | None = None
            try:
                page = self._list_page(start, end, token)
            except (BadRequest, NotFound) as exc:
                if token is None or isinstance(exc, PageTokenExpired):
                    raise
                # Any other refusal of the stored token is taken the same way: list again
                # from the stored position (or, without one, the whole window; the pages
                # already done cost one list call each and no invitee call).
                logger.warning("resume token refused (%s); listing again", exc.status)
                page = self._take(self._restart(start, end))
            try:
                for _ in range(MAX_PAGES):
                    next_token = page.next_page_token
                    self.stats.pages += 1
                    self.stats.events += len(page.items)
                    changed = self._changed_events(page.items)
                    self.stats.invitee_events += len(changed)
                    futures: list[Future[list[dict[str, Any]]]] = []
                    fetch_started = timezone.now()  # before any of the page's invitee calls
                    if not opts.dry_run:
                        futures = [pool.submit(self._fetch_invitees, e["uri"]) for e in changed]
                    current = _PendingPage(
                        changed, futures, next_token, fetch_started,
                        _stored_position(self._position, self._since),
                        [e["uri"] for e in page.items],
                    )
                    next_page = self._list_page(start, end, next_token) if next_token else None
                    if pending is not None:
                        self._complete(pending)
                    pending = current
                    if next_page is None:
                        break
                    page = next_page
                if pending is not None:
                    self._complete(pending)
            except BaseException:
                # Let running invitee calls end; do not start the queued ones.
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def _list_page(self, start: datetime, end: datetime, token: str | None) -> Page:
        """The next page of the listing, without the events already listed, and the
        position moved past it; an expired token starts the listing again (``_restart``)."""
        try:
            page = self._list_events(self._since or start, end, token)
        except PageTokenExpired:
            if token is None:
                raise
            page = self._restart(start, end)
        return self._take(page)

    def _take(self, page: Page) -> Page:
        position = self._position
        fresh = [item for item in page.items if not position.seen(item)]
        for item in fresh:
            position.advance(item)
        return page if len(fresh) == len(page.items) else replace(page, items=fresh)

    def _restart(self, start: datetime, end: datetime) -> Page:
        """List again from the position (the window's start when there is none)."""
        position = self._position
        marker = position.marker
        if marker == self._last_restart:
            raise SyncError(
                "Calendly's page tokens expired twice without any progress in between; "
                "stopping instead of listing the same events again."
            )
        self._last_restart = marker
        self.stats.page_token_restarts += 1
        since = start
        restart_at = mirror.parse_time(position.restart_from())
        if restart_at is not None and restart_at > start:
            since = restart_at
        self._since = since
        logger.warning("page token no longer accepted; listing again from %s", since)
        self.stats.resumed = self.stats.resumed and position.start_time is not None
        return self._list_events(since, end, None)

    def _complete(self, pending: _PendingPage) -> None:
        """Wait for a page's invitees, then write it (or, dry run, just report)."""
        invitees: list[dict[str, Any]] = []
        for future in pending.futures:
            invitees.extend(future.result())
        self.stats.invitees += len(invitees)
        if self.options.dry_run:
            self._report()
            return
        self._write_page(pending, invitees)
        self._report()

    def _changed_events(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not items:
            return []
        if self.options.full:
            return items
        stored = dict(
            ScheduledEvent.objects.filter(uri__in=[i["uri"] for i in items]).values_list(
                "uri", "invitees_signature"
            )
        )
        return [i for i in items if stored.get(i["uri"]) != invitees_signature(i)]

    def _write_page(self, page: _PendingPage, invitees: list[dict[str, Any]]) -> None:
        with transaction.atomic():
            self.stats.events_written += mirror.upsert_scheduled_events(
                page.events, self.options.organization, extra=_signature_column
            )
            self.stats.invitees_written += mirror.upsert_invitees(invitees)
            mark_seen(ScheduledEvent, page.listed, self.options.connection_id)
            _keep_webhook_no_shows(invitees, since=page.fetch_started)
            self.stats.pages_written += 1
            self._save_progress(page.next_token, page.position)


def _keep_webhook_no_shows(invitees: list[dict[str, Any]], since: datetime) -> None:
    """Give the page's invitees the no-show the webhooks recorded while they were
    fetched, instead of the fetched one.

    Why: marking (or unmarking) a no-show need not change the invitee's ``updated_at``,
    so an invitee fetched just before an ``invitee_no_show.*`` delivery was processed is
    not older than the row that delivery wrote, and the upsert re-applies the stale
    ``no_show``. Nothing would repair it: the event's ``invitees_signature`` did not
    change, so the next incremental sync does not fetch those invitees again. An
    invitee with a no-show row written (``synced_at``) at or after ``since`` (when the
    page's invitee calls were queued) takes its no-show from the rows, by the webhooks' rule
    (``mirror.current_no_shows``). Any other invitee keeps the fetched value: the
    no-show rows are not authoritative in general, the pull sync is what repairs
    missed deliveries.

    This runs after the upsert, in the same transaction, so on PostgreSQL it also
    sees a delivery that committed while the upsert waited for its row lock; a
    delivery that commits later waits for this transaction (it locks the invitee row
    the upsert holds) and then sets ``no_show`` itself. (Not covered: a delivery about
    an invitee this page inserts, committing after this read; it does not see the
    uncommitted row.) One query, one more only when there is something to correct.
    """
    if not invitees:
        return
    current = mirror.current_no_shows((i["uri"] for i in invitees), changed_since=since)
    if not current:
        return
    Invitee.objects.filter(uri__in=list(current)).update(
        no_show=Case(
            *[When(uri=uri, then=Value(value)) for uri, value in current.items()],
            default=F("no_show"),
        ),
        synced_at=timezone.now(),
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, APIError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, CalendlyError) else text
