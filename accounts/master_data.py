"""Health-centre districts and municipalities of Saitama (data/saitama_health_centre_districts.csv).

Shipped inside the project and loaded by a data migration, so every database, including each
test database, starts with the 17 health centres and 63 municipalities.
"""

from __future__ import annotations

import csv
from pathlib import Path

DISTRICTS_CSV = Path(__file__).resolve().parent / "data" / "saitama_health_centre_districts.csv"
FISCAL_YEARS = range(2019, 2031)


def read_districts(path: Path = DISTRICTS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_master_data(health_centre_model, municipality_model, fiscal_year_model) -> tuple[int, int]:
    """Create or update the master rows; safe to run any number of times."""
    rows = read_districts()
    centre_order: dict[str, int] = {}
    for row in rows:
        centre_order.setdefault(row["health_centre"], len(centre_order) + 1)
    centres = {}
    for row in rows:
        name = row["health_centre"]
        if name in centres:
            continue
        order = centre_order[name]
        centres[name], _ = health_centre_model.objects.update_or_create(
            name=name, defaults={"code": f"HC{order:02d}", "operator": row["operator"], "sort_order": order}
        )
    for order, row in enumerate(rows, start=1):
        municipality_model.objects.update_or_create(
            name=row["municipality"],
            defaults={
                "kind": row["municipality_kind"],
                "health_centre": centres[row["health_centre"]],
                "sort_order": order,
            },
        )
    for year in FISCAL_YEARS:
        fiscal_year_model.objects.get_or_create(year=year)
    return len(centres), len(rows)
