"""Cursor pagination: stable pages under inserts, O(page) database work at any depth."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class StartTimeCursorPagination(CursorPagination):
    ordering = ("start_time", "id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NameCursorPagination(CursorPagination):
    ordering = ("name", "id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
