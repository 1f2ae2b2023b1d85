from django.core.management import call_command

from accounts.models import User
from accounts.permissions import visible_to
from outreach.models import Agency, Client, Contact, OutreachWorker, SocialResource, SupportMeeting, SupportPlan


def test_seed_demo_twice_makes_no_duplicates_and_gives_both_workers_cases(db):
    call_command("seed_demo")
    counts = {model: model.objects.count() for model in (Agency, Client, Contact, OutreachWorker, SocialResource)}
    call_command("seed_demo")
    assert counts == {model: model.objects.count() for model in counts}
    assert counts[Client] >= 400
    assert counts[Contact] >= 10 * counts[Client] // 2
    # Plans and reviews are bulk-inserted: each plan still stores the date its latest review (or itself) gives.
    plans = SupportPlan.objects.prefetch_related("reviews")
    assert any(plan.reviews.all() for plan in plans)
    for plan in plans:
        latest = max(plan.reviews.all(), key=lambda review: (review.reviewed_on, review.pk), default=None)
        assert plan.review_due_on == (latest.next_review_on if latest else plan.next_review_on)

    for username in ("demo-outreach-a", "demo-outreach-b"):
        user = User.objects.get(username=username)
        clients = visible_to(user, Client)
        contacts = visible_to(user, Contact)
        assert clients.count() > 100
        assert contacts.filter(is_weekend=True).exists()
        assert contacts.filter(is_holiday=True).exists()
        assert contacts.filter(is_after_hours=True).exists()
        assert clients.filter(in_cohort=False).exclude(outside_cohort_reason="").exists()
        assert not clients.filter(in_cohort=False, outside_cohort_reason="").exists()
        assert visible_to(user, SupportMeeting).exists()
        assert user.has_perm("outreach.view_client", clients.first())
    a, b = (User.objects.get(username=u) for u in ("demo-outreach-a", "demo-outreach-b"))
    assert not set(visible_to(a, Client).values_list("pk", flat=True)) & set(
        visible_to(b, Client).values_list("pk", flat=True)
    )
