"""Cursor pagination: stable pages under inserts, O(page) database work at any depth.

A ``cursor`` that is not one of ours is a 400 naming the parameter, like any other bad
input of the API (DRF's default answers it with a 404). DRF decodes the cursor but passes
its position to the query as it came; here the position must parse as the ordering field's
value (``parse_position``), so a forged cursor cannot reach the database as a bad date or a
NUL byte. ``page_size`` is checked (1-100) by each view's query serializer before the
paginator reads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from ..api.serializers import in_range

INVALID_CURSOR = "Invalid cursor: use a next or previous link."


def parse_position(field: models.Field, position: str) -> Any:
    """A cursor position as a value of ``field``; ``ValueError`` when it cannot be one."""
    if "\x00" in position or len(position) > 1024:
        raise ValueError("not a position")
    if isinstance(field, models.DateTimeField):
        try:
            value = field.to_python(position)
        except DjangoValidationError:
            raise ValueError("not a date-time") from None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("not an aware date-time")
        try:
            return in_range(value)
        except Exception:
            raise ValueError("date-time out of range") from None
    if isinstance(field, models.CharField | models.TextField):
        return position
    try:
        return field.to_python(position)
    except DjangoValidationError:
        raise ValueError("not a position") from None


class StrictCursorPagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except (NotFound, UnicodeError):
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        if cursor is not None and cursor.position is not None:
            ordering = self.ordering
            first = ordering[0] if isinstance(ordering, list | tuple) else ordering
            field = self._model._meta.get_field(str(first).lstrip("-"))
            try:
                parse_position(field, str(cursor.position))
            except ValueError:
                raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        return cursor


class StartTimeCursorPagination(StrictCursorPagination):
    ordering = ("start_time", "id")


class NameCursorPagination(StrictCursorPagination):
    ordering = ("name", "id")
