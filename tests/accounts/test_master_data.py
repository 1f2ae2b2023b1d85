from accounts.master_data import load_master_data
from accounts.models import FiscalYear, HealthCentre, Municipality


def test_migrations_load_17_health_centres_and_63_municipalities(db):
    assert HealthCentre.objects.count() == 17
    assert Municipality.objects.count() == 63
    asaka = HealthCentre.objects.get(name="朝霞保健所")
    assert set(asaka.municipalities.values_list("name", flat=True)) >= {"朝霞市", "志木市"}
    assert HealthCentre.objects.get(name="川越市保健所").operator == "川越市（中核市）"


def test_loading_again_changes_nothing(db):
    load_master_data(HealthCentre, Municipality, FiscalYear)
    assert HealthCentre.objects.count() == 17
    assert Municipality.objects.count() == 63


def test_fiscal_year_model_names_and_bounds(db):
    year = FiscalYear.objects.get(year=2025)
    assert str(year) == "令和7年度"
    assert year.start.isoformat() == "2025-04-01"
    assert year.end.isoformat() == "2026-03-31"
