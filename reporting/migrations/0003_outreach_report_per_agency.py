"""Outreach reports are made per agency (要綱004): give each existing one its agency.

An outreach report made before this change covered all of its contractor's agencies. It becomes the
report of the contractor's first agency (by name); the other agencies start their own. An approved
report's year lock moves to that agency too. A report of a contractor without any agency has no
figures to keep and is removed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_outreach_reports_their_agency(apps, schema_editor):
    AnnualReport = apps.get_model("reporting", "AnnualReport")
    Agency = apps.get_model("outreach", "Agency")
    PeriodLock = apps.get_model("accounts", "PeriodLock")
    for report in AnnualReport.objects.filter(program="outreach", agency__isnull=True):
        agency = Agency.objects.filter(organisation_id=report.organisation_id).order_by("name", "pk").first()
        if agency is None:
            report.delete()
            continue
        report.agency = agency
        report.save(update_fields=["agency"])
        PeriodLock.objects.filter(
            organisation_id=report.organisation_id, program="outreach", fiscal_year=report.fiscal_year, agency=None
        ).update(agency=agency)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_period_lock_agency'),
        ('outreach', '0003_contact_outcome_date_indexes'),
        ('reporting', '0002_change_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='annualreport',
            name='unique_annual_report',
        ),
        migrations.AddField(
            model_name='annualreport',
            name='agency',
            field=models.ForeignKey(blank=True, help_text='アウトリーチ事業の報告書は機関ごとに作成します。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='annual_reports', to='outreach.agency', verbose_name='自立相談支援機関'),
        ),
        migrations.AddField(
            model_name='historicalannualreport',
            name='agency',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='アウトリーチ事業の報告書は機関ごとに作成します。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='outreach.agency', verbose_name='自立相談支援機関'),
        ),
        migrations.RunPython(give_outreach_reports_their_agency, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', True)), fields=('organisation', 'program', 'fiscal_year'), name='unique_annual_report'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', False)), fields=('agency', 'fiscal_year'), name='unique_agency_annual_report'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agency__isnull', False), ('program', 'outreach')), models.Q(models.Q(('program', 'outreach'), _negated=True), ('agency__isnull', True)), _connector='OR'), name='annual_report_agency_only_for_outreach'),
        ),
    ]
