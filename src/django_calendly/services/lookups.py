"""One row by one column, with its SQL compiled once per process and database.

Some lookups run on every request (the user's Calendly connection, on every proxied call).
For a query that simple Django's compiler costs several times what the database does: the
ORM builds and compiles ``filter(...)[:1]`` afresh each time. ``RowLookup`` compiles it once,
keeps only the SQL text (the value is a parameter, never part of the text), and runs it with
``Manager.raw()``, which gives the same model instance (converters applied, encrypted fields
decrypted) as the ORM would. Routers decide the database, as for ``filter()``.
"""

from __future__ import annotations

import threading
from typing import Any, Generic, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)


class RowLookup(Generic[M]):
    """``RowLookup(Model, "field").get(value)``: the row whose ``field`` equals ``value``
    (the first one if several: meant for unique columns), or ``None``."""

    def __init__(self, model: type[M], field_name: str) -> None:
        self.model = model
        self.field = model._meta.get_field(field_name)
        self._sql: dict[str, str] = {}  # database alias -> SQL with one parameter
        self._lock = threading.Lock()

    def _param(self, value: Any, alias: str) -> Any:
        """``value`` as the database adapter takes it (e.g. a UUID's hex on SQLite)."""
        field: Any = self.field
        return field.get_db_prep_value(value, connections[alias], prepared=False)

    def _compiled(self, value: Any, alias: str) -> str | None:
        """The SQL for ``alias``, compiled on first use; ``None`` if the compiled query's
        parameters are not exactly ``[value]`` prepared (then the ORM runs every time)."""
        sql = self._sql.get(alias)
        if sql is not None:
            return sql
        query = self.model._default_manager.using(alias).filter(**{self.field.name: value})
        text, params = query[:1].query.get_compiler(alias).as_sql()
        if list(params) != [self._param(value, alias)]:
            return None
        with self._lock:
            self._sql.setdefault(alias, text)
        return text

    def get(self, value: Any) -> M | None:
        alias = router.db_for_read(self.model)
        sql = self._compiled(value, alias)
        manager = self.model._default_manager.db_manager(alias)
        if sql is None:
            return manager.filter(**{self.field.name: value}).first()
        rows = manager.raw(sql, [self._param(value, alias)])
        return next(iter(rows), None)

    def forget(self) -> None:
        """Drop the compiled SQL (tests that switch databases or schemas)."""
        with self._lock:
            self._sql.clear()
