"""The webhooks endpoints of the original module."""

from __future__ import annotations

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..permissions import Access
from ..responses import (
    no_content,
    paged_response,
    resource_response,
)
from ..schema import document, path_uuid
from .base import CREATED, DELETED, PAGED, RESOURCE, CalendlyAPIView

WEBHOOK_UUID = path_uuid("webhook_uuid", "Webhook subscription uuid.")


class CreateWebhookSubscriptionView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_webhook_subscription_create",
        "Create a webhook subscription",
        description="Needs a paid Calendly plan. `user` is required when scope is user, "
        "`group` when scope is group; each event must be allowed at the scope.",
        request=s.WebhookCreateBody,
        success=CREATED,
        write=True,
        extra_errors=(409,),
    )
    def post(self, request: Request) -> Response:
        body = self.body(s.WebhookCreateBody)
        return resource_response(
            service.create_webhook_subscription(request.user, **body), status.HTTP_201_CREATED
        )


class WebhookSubscriptionsView(CalendlyAPIView):
    @document(
        "calendly_webhook_subscriptions_list",
        "List webhook subscriptions",
        description="`organization` and `scope` are required; plus `user` when scope is "
        "user, `group` when scope is group.",
        query=s.WebhookListQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.WebhookListQuery)
        return paged_response(
            request, service.list_webhook_subscriptions(request.user, **filters)
        )


class WebhookSubscriptionView(CalendlyAPIView):
    @document(
        "calendly_webhook_subscription_get",
        "Get a webhook subscription",
        path=[WEBHOOK_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, webhook_uuid: str) -> Response:
        uuid = s.check_path_uuid("webhook_uuid", webhook_uuid)
        return resource_response(service.get_webhook_subscription(request.user, uuid))


class DeleteWebhookSubscriptionView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_webhook_subscription_delete",
        "Delete a webhook subscription",
        path=[WEBHOOK_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, webhook_uuid: str) -> Response:
        uuid = s.check_path_uuid("webhook_uuid", webhook_uuid)
        service.delete_webhook_subscription(request.user, uuid)
        return no_content()
