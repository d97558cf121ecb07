"""Input the serializers must never see: wrong JSON types and NUL characters.

DRF's fields coerce: a ``CharField`` takes ``123`` as ``"123"`` and a ``BooleanField`` takes
``"yes"``, so ``{"reason": 123}`` cancelled an event. ``check_json_types`` walks a
serializer's fields against a parsed JSON body before validation and refuses every value
whose JSON type is not the field's (a 400 naming the field, ``emails[0]`` for a list item),
whatever the serializer -- one rule for every body, nothing per field. Form bodies carry only
strings and are left to the fields.

``check_no_nul`` refuses U+0000 in query parameters, path segments and body strings: no
Calendly value contains one, and PostgreSQL cannot store or compare it (the driver raises).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers

_JSON_NAMES = {
    str: "a string", bool: "a boolean", int: "an integer", float: "a number",
    list: "a list", dict: "an object",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in _JSON_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _expected(field: serializers.Field) -> tuple[tuple[type, ...], str] | None:
    """The Python types a JSON value of ``field`` may have, and their name; None: any."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), "a boolean"
    if isinstance(field, serializers.IntegerField):
        return (int,), "an integer"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float), "a number"
    if isinstance(field, serializers.ListField | serializers.ListSerializer):
        return (list,), "a list"
    if isinstance(field, serializers.DictField | serializers.Serializer):
        return (dict,), "an object"
    if isinstance(field, serializers.JSONField):
        return None
    if isinstance(field, serializers.ChoiceField):
        if all(isinstance(key, str) for key in field.choices):
            return (str,), "a string"
        return None
    if isinstance(field, serializers.CharField):
        return (str,), "a string"
    return None  # custom fields check their own input


def _walk(field: serializers.Field, value: Any, name: str, errors: dict[str, list[str]]) -> None:
    if value is None:
        if not field.allow_null:
            errors[name] = ["This field may not be null."]
        return
    expected = _expected(field)
    if expected is not None:
        kinds, label = expected
        # bool is an int in Python, never in JSON.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            errors[name] = [f"Expected {label}, got {_json_type(value)}."]
            return
    if isinstance(value, str):
        if "\x00" in value:
            errors[name] = ["NUL characters are not allowed."]
        return
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for index, item in enumerate(value):
            _walk(field.child, item, f"{name}[{index}]", errors)
    elif isinstance(field, serializers.ListSerializer) and isinstance(value, list):
        child = field.child
        if child is not None:
            for index, item in enumerate(value):
                _walk(child, item, f"{name}[{index}]", errors)
    elif isinstance(field, serializers.DictField) and isinstance(value, dict):
        for key, item in value.items():
            _walk(field.child, item, f"{name}.{key}", errors)
    elif isinstance(field, serializers.Serializer) and isinstance(value, dict):
        _walk_fields(field, value, f"{name}.", errors)


def _walk_fields(
    serializer: serializers.Serializer, data: Mapping[str, Any], prefix: str,
    errors: dict[str, list[str]],
) -> None:
    for field_name, field in serializer.fields.items():
        if field.read_only or field_name not in data:
            continue
        _walk(field, data[field_name], f"{prefix}{field_name}", errors)


def check_json_types(serializer: serializers.Serializer, data: Any) -> None:
    """Refuse, with one 400 naming every field at fault, JSON values of the wrong type."""
    if not isinstance(data, dict):
        return  # a form (QueryDict) or a non-object body, which the serializer refuses
    errors: dict[str, list[str]] = {}
    _walk_fields(serializer, data, "", errors)
    if errors:
        raise serializers.ValidationError(errors)


def check_no_nul(values: Iterable[tuple[str, Any]]) -> None:
    """Refuse ``(name, value)`` pairs whose value holds U+0000."""
    errors = {
        name: ["NUL characters are not allowed."]
        for name, value in values
        if isinstance(value, str) and "\x00" in value
    }
    if errors:
        raise serializers.ValidationError(errors)


def check_request(request: Any, kwargs: Mapping[str, Any]) -> None:
    """No NUL in any query parameter (given or not to a serializer) or path segment."""
    params = [(name, value) for name, values in request.query_params.lists() for value in values]
    check_no_nul([*params, *kwargs.items()])
