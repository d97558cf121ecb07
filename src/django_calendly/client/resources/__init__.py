"""Resource groups of ``CalendlyClient``: one module per family of ``operations.OPERATIONS``.

``client.<family>.<method>`` is exactly the operation ``family.method`` of the table; each
paged list also has an auto-paginating ``iter*`` twin. ``base`` holds the plumbing the
groups share.
"""

from .activity_log import ActivityLog
from .availability import Availability
from .base import ITER_PAGE_SIZE, ResourceGroup
from .contacts import Contacts
from .data_compliance import DataCompliance
from .event_types import EventTypes
from .group_relationships import GroupRelationships
from .groups import Groups
from .invitees import Invitees
from .locations import Locations
from .meeting_recaps import MeetingRecaps
from .memberships import Memberships
from .no_shows import NoShows
from .organizations import Organizations
from .outgoing_communications import OutgoingCommunications
from .routing_forms import RoutingForms
from .scheduled_events import ScheduledEvents
from .scheduling_links import SchedulingLinks
from .shares import Shares
from .teams import Teams
from .users import Users
from .webhooks import Webhooks

#: The group class of each family of ``operations.OPERATIONS`` (the client's attribute).
GROUPS: dict[str, type[ResourceGroup]] = {
    "users": Users,
    "organizations": Organizations,
    "memberships": Memberships,
    "teams": Teams,
    "groups": Groups,
    "group_relationships": GroupRelationships,
    "event_types": EventTypes,
    "availability": Availability,
    "locations": Locations,
    "scheduled_events": ScheduledEvents,
    "invitees": Invitees,
    "no_shows": NoShows,
    "scheduling_links": SchedulingLinks,
    "shares": Shares,
    "routing_forms": RoutingForms,
    "contacts": Contacts,
    "meeting_recaps": MeetingRecaps,
    "webhooks": Webhooks,
    "data_compliance": DataCompliance,
    "activity_log": ActivityLog,
    "outgoing_communications": OutgoingCommunications,
}

__all__ = [
    "GROUPS",
    "ITER_PAGE_SIZE",
    "ActivityLog",
    "Availability",
    "Contacts",
    "DataCompliance",
    "EventTypes",
    "GroupRelationships",
    "Groups",
    "Invitees",
    "Locations",
    "MeetingRecaps",
    "Memberships",
    "NoShows",
    "Organizations",
    "OutgoingCommunications",
    "ResourceGroup",
    "RoutingForms",
    "ScheduledEvents",
    "SchedulingLinks",
    "Shares",
    "Teams",
    "Users",
    "Webhooks",
]
