"""The meeting recap endpoints (issue 12; Calendly Notetaker, paid plans): list, read, edit
the markdown, delete, and the transcript. Calendly shows a caller their own recaps only."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import meeting_recaps as service
from .. import serializers as s
from .. import serializers_directory as d
from ..responses import no_content, paged_response, resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import DELETED, PAGED, RESOURCE, CalendlyAPIView
from .own import OWN_WRITE_NOTE, OwnDataAPIView

RECAP_UUID = path_uuid("uuid", "Meeting recap uuid.")

_RECAP = {
    "uri": "https://api.calendly.com/meeting_recaps/AAAAAAAAAAAAAAAA",
    "event": "https://api.calendly.com/scheduled_events/BBBBBBBBBBBBBBBB",
    "status": "available",
    "summary_md": "Agreed on the rollout plan.",
    "action_items_md": "- Send the contract",
    "discussion_md": "Timeline and budget.",
}
_PAID = "Needs a paid Calendly plan (`plan_required` otherwise)."


class MeetingRecapsView(CalendlyAPIView):
    @document(
        "calendly_meeting_recaps_list",
        "List meeting recaps",
        description=f"The caller's own recaps. {_PAID}",
        query=d.MeetingRecapsQuery,
        success=PAGED,
        examples=ex.page(_RECAP),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.MeetingRecapsQuery)
        return paged_response(request, service.list_recaps(request.user, **filters))


class MeetingRecapView(OwnDataAPIView):
    @document(
        "calendly_meeting_recap_get",
        "Get a meeting recap",
        description=_PAID,
        path=[RECAP_UUID],
        success=RESOURCE,
        examples=ex.resource("recap", _RECAP),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_recap(request.user, uuid))

    @document(
        "calendly_meeting_recap_update",
        "Edit a meeting recap",
        description="Changes `summary_md`, `action_items_md` and/or `discussion_md` (each at "
        f"most 100,000 characters) of an available recap. {_PAID} {OWN_WRITE_NOTE}",
        path=[RECAP_UUID],
        request=d.MeetingRecapUpdateBody,
        success=RESOURCE,
        write=True,
        examples=[
            *ex.request("edit", {"summary_md": "Agreed on the rollout plan for May."}),
            *ex.resource("edited", {**_RECAP, "summary_md": "Agreed on the rollout plan for May."}),
        ],
    )
    def patch(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(d.MeetingRecapUpdateBody)
        return resource_response(service.update_recap(request.user, uuid, **body))

    @document(
        "calendly_meeting_recap_delete",
        "Delete a meeting recap",
        description=f"{_PAID} {OWN_WRITE_NOTE}",
        path=[RECAP_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        service.delete_recap(request.user, uuid)
        return no_content()


class MeetingRecapTranscriptView(CalendlyAPIView):
    @document(
        "calendly_meeting_recap_transcript",
        "Get a meeting recap's transcript",
        description=f"Calendly's transcript resource, unchanged. {_PAID}",
        path=[RECAP_UUID],
        success=RESOURCE,
        examples=ex.resource("transcript", {
            "meeting_recap": _RECAP["uri"],
            "language": "en",
            "segments": [{"speaker": "Nora Quist", "start_offset": 0.0, "end_offset": 6.5,
                          "text": "Shall we start?"}],
        }),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_transcript(request.user, uuid))
