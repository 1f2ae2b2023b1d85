from django.db import migrations, models


class Migration(migrations.Migration):
    """Each list's default order as an index, so its first page is read in order instead of sorted."""

    dependencies = [
        ("outreach", "0005_plan_review_due"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["registered_on", "id"], name="outreach_client_registered_id"),
        ),
        migrations.AddIndex(
            model_name="linkage",
            index=models.Index(fields=["date", "id"], name="outreach_linkage_date_id"),
        ),
        migrations.AddIndex(
            model_name="planreview",
            index=models.Index(fields=["reviewed_on", "id"], name="outreach_review_reviewed_id"),
        ),
        migrations.AddIndex(
            model_name="supportmeeting",
            index=models.Index(fields=["date", "id"], name="outreach_meeting_date_id"),
        ),
    ]
