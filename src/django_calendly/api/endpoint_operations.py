"""Which Calendly operations each REST endpoint calls, by URL name (``calendly:<name>``).

The OAuth scopes Connect Calendly requests are derived from this table (``scopes.py``):
the scopes of the operations of every endpoint the host project mounted. Keep it next to
``urls.py``: a new endpoint without a row here fails ``tests/api/test_endpoint_scopes.py``,
and a test calls every endpoint against the sandbox and checks that the operations it
really sent are listed in its row.

Names are ``client.operations`` names (``family.method``, the client method the service
calls), never scopes: the scope of each operation lives in one place, ``operations.py``.
"""

from __future__ import annotations

ENDPOINT_OPERATIONS: dict[str, tuple[str, ...]] = {
    "user-details": ("users.get",),  # also users/me: the same operation
    "event-types": ("event_types.list",),
    "event-type": ("event_types.get",),
    "event-type-available-times": ("availability.event_type_available_times",),
    "user-busy-times": ("availability.user_busy_times",),
    "availability-schedules": ("availability.list_schedules",),
    "availability-schedule": ("availability.get_schedule",),
    "remove-invitees": ("data_compliance.delete_invitee_data",),
    "invitations": ("organizations.list_invitations",),
    "invite": ("organizations.invite",),
    "revoke-invitation": ("organizations.revoke_invitation",),
    "invitation": ("organizations.get_invitation",),
    "memberships": ("memberships.list",),
    "membership": ("memberships.get",),
    "remove-membership": ("memberships.delete",),
    "scheduled-events": ("scheduled_events.list",),
    "event-invitees": ("invitees.list",),
    "cancel-event": ("scheduled_events.cancel",),
    "scheduled-event": ("scheduled_events.get",),
    "create-no-show": ("no_shows.create",),
    "delete-no-show": ("no_shows.delete",),
    "no-show": ("no_shows.get",),
    # Deletes the subscription again when it cannot be recorded locally.
    "create-webhook-subscription": ("webhooks.create", "webhooks.delete"),
    "webhook-subscriptions": ("webhooks.list",),
    "delete-webhook-subscription": ("webhooks.delete",),
    "webhook-subscription": ("webhooks.get",),
}

# The directory families (issue 12).
ENDPOINT_OPERATIONS |= {
    "contacts": ("contacts.list", "contacts.create"),
    "contact-custom-fields": ("contacts.list_custom_fields",),
    "contact-custom-field": ("contacts.get_custom_field",),
    "contact": ("contacts.get", "contacts.update", "contacts.delete"),
    "routing-forms": ("routing_forms.list",),
    "routing-form": ("routing_forms.get",),
    "routing-form-submissions": ("routing_forms.list_submissions",),
    "routing-form-submission": ("routing_forms.get_submission",),
    "meeting-recaps": ("meeting_recaps.list",),
    "meeting-recap": ("meeting_recaps.get", "meeting_recaps.update", "meeting_recaps.delete"),
    "meeting-recap-transcript": ("meeting_recaps.transcript",),
    "groups": ("groups.list",),
    "group": ("groups.get",),
    "group-relationships": ("group_relationships.list",),
    "group-relationship": ("group_relationships.get",),
    "teams": ("teams.list",),
    "team": ("teams.get",),
    "organization": ("organizations.get",),
    "activity-log": ("activity_log.list",),
    "outgoing-communications": ("outgoing_communications.list",),
    "delete-event-data": ("data_compliance.delete_event_data",),
}

# Event types in resource-oriented form, and sharing (issue 12). A write on an event type
# by a caller without the write permission reads it first, to check its owner.
ENDPOINT_OPERATIONS.update({
    "event-type-collection": ("event_types.list", "event_types.create"),
    "event-type-resource": ("event_types.get", "event_types.update"),
    "event-type-hosts": ("event_types.list_memberships",),
    "event-type-availability": (
        "event_types.get_availability_schedules",
        "event_types.update_availability_schedules",
        "event_types.get",
    ),
    "event-type-open-slots": ("availability.event_type_available_times",),
    "one-off-event-types": ("event_types.create_one_off",),
    "scheduling-links": ("scheduling_links.create", "event_types.get"),
    "shares": ("shares.create", "event_types.get"),
    "locations": ("locations.list",),
})

# -- booking from the project's own pages (issue 12) --
ENDPOINT_OPERATIONS.update({
    # Books, reads the meeting back for the mirror; on a 400 naming start_time, reads the
    # event type's availability rules to tell slot_unavailable from outside_availability.
    "book-invitee": (
        "invitees.create",
        "scheduled_events.get",
        "event_types.get_availability_schedules",
    ),
})

__all__ = ["ENDPOINT_OPERATIONS"]
