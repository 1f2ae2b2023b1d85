from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory


def test_prefecture_home_lists_contractors(client_for, prefecture_user, contractor_a, contractor_b):
    response = client_for(prefecture_user).get(reverse("home"))
    assert response.status_code == 200
    assert "社会福祉法人Ａ会" in response.text
    assert "特定非営利活動法人Ｂ" in response.text
    assert "組織一覧" in response.text  # prefecture-only menu entry


def test_coordinator_home_shows_own_contractor_and_year_only(client_for, coordinator_a, contractor_b):
    response = client_for(coordinator_a).get(reverse("home"))
    assert response.status_code == 200
    assert "社会福祉法人Ａ会" in response.text
    assert "特定非営利活動法人Ｂ" not in response.text
    assert "年度" in response.text
    assert "組織一覧" not in response.text


def test_health_centre_home_shows_its_district(client_for, health_centre_user):
    response = client_for(health_centre_user).get(reverse("home"))
    assert "朝霞保健所の区域" in response.text
    assert "志木市" in response.text


def test_user_without_membership_is_told_to_ask_for_a_role(client_for, db):
    response = client_for(UserFactory()).get(reverse("home"))
    assert response.status_code == 200
    assert "所属組織と役割が設定されていません" in response.text


def test_user_without_role_sees_no_menu(client_for, db):
    response = client_for(UserFactory()).get(reverse("home"))
    assert "site-nav" not in response.text


def test_membership_role_must_match_organisation_kind(contractor_a, db):
    import pytest
    from django.core.exceptions import ValidationError

    from accounts.models import Membership

    membership = Membership(user=UserFactory(), organisation=contractor_a, role=Role.PREFECTURE)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "県の組織にのみ所属できます" in str(error.value)
