"""docs/client.md shows the table of operations as ``operations.markdown_table()`` makes it.

The page is what users read to find a method, its scope and its plan; it must not drift
from the table the client, the sandbox and the REST layer use.
"""

from pathlib import Path

from django_calendly.client.operations import (
    OPERATIONS,
    TABLE_BEGIN,
    TABLE_END,
    markdown_table,
)

PAGE = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def _block() -> str:
    text = PAGE.read_text()
    assert text.count(TABLE_BEGIN) == 1 and text.count(TABLE_END) == 1
    return text.split(TABLE_BEGIN, 1)[1].split(TABLE_END, 1)[0].strip()


def test_the_page_shows_the_generated_table():
    assert _block() == markdown_table(), (
        "docs/client.md is out of date; paste operations.markdown_table() between the "
        "operations-table markers"
    )


def test_the_table_has_a_row_per_operation_with_scope_and_plan():
    rows = [line for line in _block().splitlines() if line.startswith("| `client.")]
    assert len(rows) == len(OPERATIONS) == 65
    for row, op in zip(rows, OPERATIONS, strict=True):
        assert f"`client.{op.name}`" in row
        assert f"`{op.method} {op.path}`" in row
        assert f"`{op.scope}`" in row and f"| {op.plan} |" in row
