"""Request body parsers of the app's views: bounded in size and depth.

DRF's JSON and form parsers read the whole stream, whatever its size
(``DATA_UPLOAD_MAX_MEMORY_SIZE`` is only checked by ``HttpRequest.body``), and a JSON body
nested thousands deep makes ``json`` raise ``RecursionError``. These read at most the
setting's size plus one byte (a larger body raises Django's ``RequestDataTooBig``, answered
413 by ``failures``) and refuse deep nesting as a parse error (400).
"""

from __future__ import annotations

import codecs
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.utils import json


def read_bounded(stream: IO[bytes] | None) -> bytes:
    """The body, or ``RequestDataTooBig`` past ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    return data


def _encoding(parser_context: dict[str, Any] | None) -> str:
    context = parser_context or {}
    return str(context.get("encoding") or settings.DEFAULT_CHARSET)


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        raw = read_bounded(stream)
        try:
            text = codecs.decode(raw, _encoding(parser_context))
            if self.strict:  # no NaN or Infinity (DRF's STRICT_JSON)
                return json.loads(text)
            return json.loads(text, parse_constant=None)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        except (ValueError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class BoundedFormParser(FormParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        # QueryDict itself enforces DATA_UPLOAD_MAX_NUMBER_FIELDS (TooManyFieldsSent).
        return QueryDict(read_bounded(stream), encoding=_encoding(parser_context))
