"""The README's configuration table is the documentation of the settings: keep it true."""

import re
from pathlib import Path

from django_calendly.conf import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _table() -> dict[str, str]:
    block = README.split("<!-- settings-table", 1)[1].split("<!-- /settings-table -->", 1)[0]
    rows = {}
    for line in block.splitlines():
        match = re.match(r"\| `CALENDLY_(\w+)` \| (.*?) \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def _shown(default: object) -> str:
    if isinstance(default, list):
        default = ", ".join(default)
    return f"`{default}`" if default != "" else "(empty)"


def test_every_setting_is_documented_with_its_default():
    table = _table()
    assert set(table) == set(SETTINGS)
    for name, spec in SETTINGS.items():
        assert table[name] == _shown(spec.default), name


def test_readme_names_the_two_commands():
    assert "bash scripts/demo.sh" in README
    assert "bash scripts/test.sh" in README
