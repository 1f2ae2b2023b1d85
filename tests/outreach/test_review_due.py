"""A plan's next review date is stored (review_due_on) and kept right by every write of the plan and its reviews.

The rule: the latest review's next date (even when that review sets none), else the plan's own.
"""

from datetime import date

import pytest
from django.urls import reverse

from outreach import selectors
from outreach.models import PlanReview, SupportPlan
from tests.conftest import verify_second_factor
from tests.factories import UserFactory
from tests.outreach.factories import ClientFactory, PlanFactory, ReviewFactory


def rule(plan: SupportPlan) -> date | None:
    """The rule computed in Python from the stored rows, to compare the stored value with."""
    latest = PlanReview.objects.filter(plan=plan).order_by("-reviewed_on", "-id").first()
    return latest.next_review_on if latest else SupportPlan.objects.get(pk=plan.pk).next_review_on


def stored(plan: SupportPlan) -> date | None:
    return SupportPlan.objects.values_list("review_due_on", flat=True).get(pk=plan.pk)


def test_a_plan_without_reviews_is_due_on_its_own_date(client_a):
    plan = PlanFactory(client=client_a, made_on=date(2025, 7, 1), next_review_on=date(2025, 10, 1))
    assert plan.review_due_on == stored(plan) == date(2025, 10, 1)
    plan.next_review_on = date(2025, 11, 1)
    plan.save()
    assert stored(plan) == rule(plan) == date(2025, 11, 1)


def test_the_latest_review_decides_even_without_a_next_date(client_a):
    plan = PlanFactory(client=client_a, made_on=date(2025, 7, 1), next_review_on=date(2025, 10, 1))
    ReviewFactory(plan=plan, reviewed_on=date(2025, 10, 1), next_review_on=date(2026, 1, 10))
    assert stored(plan) == date(2026, 1, 10)
    ReviewFactory(plan=plan, reviewed_on=date(2025, 9, 1), next_review_on=date(2025, 12, 1))  # an older one
    assert stored(plan) == rule(plan) == date(2026, 1, 10)
    closing = ReviewFactory(plan=plan, reviewed_on=date(2026, 1, 10), next_review_on=None)
    assert stored(plan) is None
    plan.next_review_on = date(2026, 2, 1)  # the plan's own date counts only while it has no review
    plan.save()
    assert stored(plan) is None
    closing.delete()
    assert stored(plan) == rule(plan) == date(2026, 1, 10)
    PlanReview.objects.filter(plan=plan).delete()
    SupportPlan.refresh_review_due([plan.pk])  # a bulk delete skips delete(): such writes call it themselves
    assert stored(plan) == date(2026, 2, 1)


def test_a_review_moved_to_another_plan_updates_both(client_a):
    first = PlanFactory(client=client_a, next_review_on=date(2025, 10, 1))
    second = PlanFactory(client=client_a, next_review_on=date(2025, 11, 1))
    review = ReviewFactory(plan=first, next_review_on=date(2026, 1, 10))
    review = PlanReview.objects.get(pk=review.pk)
    review.plan = second
    review.save()
    assert (stored(first), stored(second)) == (date(2025, 10, 1), date(2026, 1, 10))


def test_the_screens_keep_the_stored_date(client_for, outreach_worker_a, client_a):
    web = client_for(outreach_worker_a)
    web.post(
        reverse("outreach:plan_create", args=[client_a.pk]),
        {"made_on": "2026-06-01", "goals": "外出", "planned_supports": "訪問", "next_review_on": "2026-09-01"},
    )
    plan = SupportPlan.objects.get(client=client_a)
    assert stored(plan) == date(2026, 9, 1)
    web.post(
        reverse("outreach:plan_update", args=[plan.pk]),
        {"made_on": "2026-06-01", "goals": "外出", "planned_supports": "訪問", "next_review_on": "2026-08-01"},
    )
    assert stored(plan) == date(2026, 8, 1)
    web.post(
        reverse("outreach:review_create", args=[plan.pk]),
        {"reviewed_on": "2026-08-01", "summary": "順調", "next_review_on": "2026-11-01"},
    )
    review = PlanReview.objects.get(plan=plan)
    assert stored(plan) == date(2026, 11, 1)
    web.post(
        reverse("outreach:review_update", args=[review.pk]),
        {"reviewed_on": "2026-08-01", "summary": "順調", "next_review_on": "2026-12-01"},
    )
    assert stored(plan) == date(2026, 12, 1)
    web.post(reverse("outreach:review_delete", args=[review.pk]))
    assert not PlanReview.objects.filter(plan=plan).exists()
    assert stored(plan) == date(2026, 8, 1)


@pytest.fixture
def admin_web(db, client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    verify_second_factor(client, superuser)
    return client


def _post_plan_with_review(admin_web, plan, review_fields: dict, *, existing=None):
    """The admin's plan page, saved unchanged with one row of its review inline (a new row unless `existing`)."""
    review = {"plan": plan.pk, **({"id": existing.pk} if existing else {}), **review_fields}
    return admin_web.post(
        reverse("admin:outreach_supportplan_change", args=[plan.pk]),
        {
            "organisation": plan.organisation_id,
            "client": plan.client_id,
            "made_on": plan.made_on.isoformat(),
            "goals": plan.goals,
            "planned_supports": plan.planned_supports,
            "next_review_on": plan.next_review_on.isoformat(),
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "1" if existing else "0",
            "reviews-MIN_NUM_FORMS": "0",
            "reviews-MAX_NUM_FORMS": "1000",
            **{f"reviews-0-{name}": value for name, value in review.items()},
        },
    )


def test_the_admins_review_inline_keeps_the_stored_date(admin_web, client_a):
    plan = PlanFactory(client=client_a, made_on=date(2025, 7, 1), next_review_on=date(2025, 10, 1))
    review = ReviewFactory(plan=plan, reviewed_on=date(2025, 10, 1), next_review_on=date(2026, 1, 10))
    response = _post_plan_with_review(
        admin_web,
        plan,
        {"reviewed_on": "2025-10-01", "summary": review.summary, "next_review_on": "2026-02-01"},
        existing=review,
    )
    assert response.status_code == 302
    assert PlanReview.objects.get(pk=review.pk).next_review_on == date(2026, 2, 1)
    assert stored(plan) == date(2026, 2, 1)


def test_the_plan_list_is_ordered_by_the_stored_date(client_for, prefecture_user, client_a, client_b):
    late = PlanFactory(client=client_a, next_review_on=date(2025, 12, 1))
    reviewed = PlanFactory(client=client_a, next_review_on=date(2025, 9, 1))
    ReviewFactory(plan=reviewed, reviewed_on=date(2025, 9, 1), next_review_on=date(2026, 3, 1))
    early = PlanFactory(client=client_b, next_review_on=date(2025, 10, 1))
    same_day = PlanFactory(client=ClientFactory(agency=client_b.agency), next_review_on=date(2025, 10, 1))
    web = client_for(prefecture_user)
    page = web.get(reverse("outreach:plan_list")).context["page"]
    assert [p.pk for p in page.object_list] == [early.pk, same_day.pk, late.pk, reviewed.pk]
    page = web.get(reverse("outreach:plan_list"), {"sort": "-next_review"}).context["page"]
    assert [p.pk for p in page.object_list] == [reviewed.pk, late.pk, same_day.pk, early.pk]
    due = selectors.plan_list(viewer=prefecture_user, filters={"due_only": True, "today": date(2025, 11, 25)})
    assert set(due) == {early, same_day, late}


def test_a_review_added_in_the_admin_inline_belongs_to_the_plans_contractor(admin_web, client_a, outreach_worker_a):
    plan = PlanFactory(client=client_a, made_on=date(2025, 7, 1), next_review_on=date(2025, 10, 1))
    response = _post_plan_with_review(
        admin_web,
        plan,
        {"reviewed_on": "2025-10-02", "summary": "就労準備の状況を確認", "next_review_on": "2026-01-15"},
    )
    assert response.status_code == 302
    review = PlanReview.objects.get(plan=plan)
    assert review.organisation_id == plan.organisation_id and review.created_by is not None
    assert PlanReview.objects.visible_to(outreach_worker_a).filter(pk=review.pk).exists()
    assert stored(plan) == date(2026, 1, 15)
