from django.db import migrations


def load(apps, schema_editor):
    from accounts.master_data import load_master_data

    load_master_data(apps.get_model("accounts", "HealthCentre"), apps.get_model("accounts", "Municipality"),
                     apps.get_model("accounts", "FiscalYear"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
