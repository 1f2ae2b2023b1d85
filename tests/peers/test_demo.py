from django.core.management import call_command

from accounts.models import User
from peers.models import (
    Activity,
    ActivitySupporter,
    Contract,
    Coordinator,
    HealthCentreActivity,
    PeerSupporter,
    Pledge,
)

MODELS = (Contract, Coordinator, PeerSupporter, Activity, ActivitySupporter, HealthCentreActivity)


def test_seed_demo_twice_creates_no_duplicates(db):
    call_command("seed_demo")
    counts = [model.objects.count() for model in MODELS]
    call_command("seed_demo")
    assert [model.objects.count() for model in MODELS] == counts


def test_seed_demo_leaves_data_for_both_demo_coordinators(db, client):
    call_command("seed_demo")
    for username in ("demo-coord-a", "demo-coord-b"):
        user = User.objects.get(username=username)
        assert Coordinator.objects.filter(organisation=user.organisation, user=user).exists()
        activities = Activity.objects.visible_to(user)
        assert activities.count() > 100
        assert activities.filter(date__lt="2026-04-01").exists()  # the previous 年度 too
        client.force_login(user)
        assert client.get("/peers/activities/").status_code == 200
        assert client.get("/peers/activities/month/").status_code == 200


def test_seeded_activities_respect_the_pledge_rule(db):
    call_command("seed_demo")
    for row in ActivitySupporter.objects.select_related("activity")[:500]:
        assert Pledge.objects.filter(supporter_id=row.supporter_id).valid_on(row.activity.date).exists()


def test_seeded_records_are_visible_only_to_their_contractor(db):
    call_command("seed_demo")
    a, b = User.objects.get(username="demo-coord-a"), User.objects.get(username="demo-coord-b")
    assert not Activity.objects.visible_to(a).filter(organisation=b.organisation).exists()
    activity = Activity.objects.filter(organisation=a.organisation).first()
    assert a.has_perm("peers.change_activity", activity)
    assert not b.has_perm("peers.view_activity", activity)


def test_demo_health_centre_sees_its_seeded_activities(db):
    call_command("seed_demo")
    assert HealthCentreActivity.objects.visible_to(User.objects.get(username="demo-hc")).exists()
