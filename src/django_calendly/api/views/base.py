"""What every endpoint shares: the base view (JSON, permissions, strict input, errors,
Idempotency-Key) and the response shapes of the schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from .. import serializers as s
from ..errors import exception_handler
from ..idempotency import IdempotentAPIView
from ..negotiation import QuickContentNegotiation
from ..parsers import BoundedFormParser, BoundedJSONParser
from ..permissions import Access, permission_classes_for
from ..schema import CalendlyAutoSchema, path_uuid
from ..strict import check_json_types, check_no_nul, check_request

RESOURCE = (200, s.ResourceEnvelopeSerializer)


CREATED = (201, s.ResourceEnvelopeSerializer)


PAGED = (200, s.PagedCollectionSerializer)


COLLECTION = (200, s.CollectionSerializer)


DELETED = (204, OpenApiResponse(description="Deleted; no body."))


EVENT_UUID = path_uuid("uuid", "Scheduled event uuid (last segment of its URI).")


class CalendlyAPIView(IdempotentAPIView):
    """Base of the endpoints: JSON in and out, settings-driven permissions, our error shape,
    ``Idempotency-Key`` on POSTs (``idempotency.IdempotentAPIView``), DRF's content
    negotiation without its parsing for ``Accept: */*`` (``negotiation``).

    Input is strict before any serializer sees it (``strict``): no NUL anywhere, and a JSON
    body's values must have their field's JSON type (no coercion)."""

    access: Access = "read"
    renderer_classes = [JSONRenderer]
    schema = CalendlyAutoSchema()
    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]
    content_negotiation_class = QuickContentNegotiation

    def get_permissions(self) -> list[BasePermission]:
        return [permission() for permission in permission_classes_for(self.access)]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        check_request(request, kwargs)

    def query(self, serializer_class: type[s._Query]) -> dict[str, Any]:
        # .dict(): one value per name, and no HTML-form defaults (a missing boolean is
        # "not given", not False).
        serializer = serializer_class(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.filters()

    def body(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        data = self.request.data
        serializer = serializer_class(data=data)
        check_json_types(serializer, data)
        if hasattr(data, "lists"):  # a form: only strings, checked for NUL here
            check_no_nul([(k, value) for k, values in data.lists() for value in values])
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
