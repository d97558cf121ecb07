"""Cursor pagination: stable pages under inserts, O(page) database work at any depth.

A ``cursor`` that is not one of ours is a 400 naming the parameter, like any other bad
input of the API (DRF's default answers it with a 404). ``page_size`` is checked (1-100)
by each view's query serializer before the paginator reads it.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class StrictCursorPagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use a next or previous link."]}
            ) from None


class StartTimeCursorPagination(StrictCursorPagination):
    ordering = ("start_time", "id")


class NameCursorPagination(StrictCursorPagination):
    ordering = ("name", "id")
