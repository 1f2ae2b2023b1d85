from django.db import migrations


def load(apps, schema_editor):
    from peers.hospitals import load_hospitals

    load_hospitals(apps.get_model("peers", "Hospital"), apps.get_model("accounts", "HealthCentre"))


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0001_initial"),
        ("accounts", "0002_master_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
