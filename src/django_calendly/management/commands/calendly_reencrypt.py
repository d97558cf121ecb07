"""``manage.py calendly_reencrypt``: re-encrypt stored secrets under the newest key.

Rotation of ``CALENDLY_ENCRYPTION_KEYS``: put the new key first and keep the old ones
after it (everything still decrypts), run this command, then drop the old keys.

    calendly_reencrypt [--dry-run]

Every ``EncryptedTextField`` of the app's models is covered (OAuth tokens, webhook signing
keys). Each value is swapped only if it is still the ciphertext that was read (a token
refreshed meanwhile is left alone: it was written under the newest key already), so the
command is safe to run while the app serves requests and refreshes tokens.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.db.models import TextField
from django.db.models.functions import Cast

from ...crypto import is_current, rotate
from ...models.fields import EncryptedTextField


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) of this app whose column holds a secret."""
    found = []
    for model in apps.get_app_config("calendly").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found


def reencrypt_field(
    model: type[models.Model], field: EncryptedTextField, *, dry_run: bool = False
) -> dict[str, int]:
    """Re-encrypt one column; counts of rows ``rotated``, ``current``, ``unreadable``."""
    counts = {"rotated": 0, "current": 0, "unreadable": 0, "changed_meanwhile": 0}
    rows = (
        model._default_manager.annotate(sealed=Cast(field.name, output_field=TextField()))
        .exclude(sealed="")
        .exclude(sealed__isnull=True)
        .values_list("pk", "sealed")
    )
    for pk, sealed in rows.iterator():
        if is_current(sealed):
            counts["current"] += 1
            continue
        try:
            fresh = rotate(sealed)
        except ValueError:
            counts["unreadable"] += 1
            continue
        if dry_run:
            counts["rotated"] += 1
            continue
        swapped = swap_ciphertext(model, field, pk, sealed, fresh)
        counts["rotated" if swapped else "changed_meanwhile"] += 1
    return counts


def swap_ciphertext(
    model: type[models.Model], field: EncryptedTextField, pk: Any, old: str, new: str
) -> bool:
    """Replace the stored ciphertext ``old`` by ``new``, only if ``old`` is still there:
    a token refreshed since it was read wins. Raw SQL, because the field would encrypt
    the values of an ORM update or filter again."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s AND {column} = %s",  # noqa: S608
            [new, pk, old],
        )
        return bool(cursor.rowcount)


class Command(BaseCommand):
    help = "Re-encrypt stored secrets under the newest key of CALENDLY_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unreadable = 0
        for model, field in encrypted_fields():
            counts = reencrypt_field(model, field, dry_run=options["dry_run"])
            unreadable += counts["unreadable"]
            label = f"{model._meta.label}.{field.name}"
            self.stdout.write(
                f"{label}: {counts['rotated']} re-encrypted, {counts['current']} already "
                f"current, {counts['unreadable']} unreadable, "
                f"{counts['changed_meanwhile']} changed meanwhile"
            )
        if unreadable:
            raise CommandError(
                f"{unreadable} stored secret(s) could not be decrypted with any key of "
                "CALENDLY_ENCRYPTION_KEYS; they were left as they are."
            )
