"""Iran's 31 provinces, from the fixture the project ships
(`sellers/fixtures/provinces.json`, ISO 3166-2:IR codes)."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "provinces.json"


def province_rows() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def provinces_ensure() -> None:
    """Load any province missing (the data migration loads them all; a database
    emptied by a transactional test, or restored without them, gets them back)."""
    from .models import Province

    rows = province_rows()
    if Province.objects.count() >= len(rows):
        return
    for row in rows:
        Province.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "capital": row["capital"]}
        )
