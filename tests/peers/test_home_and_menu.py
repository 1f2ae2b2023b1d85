from django.urls import reverse
from django.utils import timezone

from tests.peers.factories import PledgeFactory, SupporterFactory


def test_coordinator_menu_has_peer_support_entries(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("home"))
    assert "ピアサポート" in response.text
    assert reverse("peers:activity_list") in response.text
    assert reverse("peers:hc_activity_list") not in response.text


def test_health_centre_menu_shows_only_its_own_activities(client_for, health_centre_user):
    response = client_for(health_centre_user).get(reverse("home"))
    assert reverse("peers:hc_activity_list") in response.text
    assert reverse("peers:supporter_list") not in response.text


def test_home_panel_lists_supporters_without_pledge_and_lapsing_pledges(client_for, coordinator_a, contractor_a):
    SupporterFactory(organisation=contractor_a, name="誓約 なし子")
    lapsing = SupporterFactory(organisation=contractor_a, name="期限 近子")
    today = timezone.localdate()
    PledgeFactory(supporter=lapsing, signed_on=today.replace(year=today.year - 1), valid_until=today)
    response = client_for(coordinator_a).get(reverse("home"))
    assert "今月の活動" in response.text
    assert "誓約 なし子" in response.text
    assert "期限 近子" in response.text
    assert "今年度の委託契約が登録されていません" in response.text
