from django.db import migrations, models
from django.db.models import Case, DateField, Exists, F, OuterRef, Subquery, When


def fill_review_due(apps, schema_editor):
    """SupportPlan.refresh_review_due as of this migration: the latest review's next date, else the plan's own."""
    SupportPlan = apps.get_model("outreach", "SupportPlan")
    PlanReview = apps.get_model("outreach", "PlanReview")
    latest = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-id")
    SupportPlan.objects.update(
        review_due_on=Case(
            When(Exists(latest), then=Subquery(latest.values("next_review_on")[:1])),
            default=F("next_review_on"),
            output_field=DateField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_contact_year_counts_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportplan",
            name="review_due_on",
            field=models.DateField(
                editable=False,
                help_text="最新の見直しの次回見直し予定日（見直しがなければ計画の見直し予定日）",
                null=True,
                verbose_name="次回見直し",
            ),
        ),
        migrations.RunPython(fill_review_due, migrations.RunPython.noop),
        # The lists and the home panel now sort and filter by review_due_on; nothing reads this one.
        migrations.RemoveIndex(model_name="supportplan", name="outreach_su_next_re_4806e3_idx"),
        migrations.AddIndex(
            model_name="supportplan",
            index=models.Index(fields=["review_due_on", "id"], name="outreach_plan_review_due_id"),
        ),
    ]
