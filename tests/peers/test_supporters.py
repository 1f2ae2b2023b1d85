import os
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from peers.models import JoinedVia, PeerSupporter, Pledge, Qualification
from tests.peers.factories import CoordinatorFactory, CourseFactory, SupporterFactory, TraineeFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pledge_post(client, supporter, upload=None):
    data = {
        "signed_on": "2026-04-01",
        "provisions_version": "令和8年4月版",
        "explained_by": "調整 花子",
        "valid_until": "",
        "withdrawn_on": "",
        "note": "",
    }
    if upload is not None:
        data["scan"] = upload
    return client.post(reverse("peers:pledge_create", args=[supporter.pk]), data)


@pytest.fixture
def supporter(contractor_a):
    return SupporterFactory(organisation=contractor_a, name="山田 花子", name_kana="ヤマダ ハナコ")


@pytest.mark.parametrize(("name", "content"), [("scan.pdf", PDF), ("scan.png", PNG), ("scan.jpg", JPEG)])
def test_pledge_scan_accepts_pdf_png_and_jpeg(client_for, coordinator_a, supporter, name, content):
    response = pledge_post(client_for(coordinator_a), supporter, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.scan.name.startswith("pledges/")
    assert name not in pledge.scan.name  # a random name, never the uploaded one


def test_pledge_scan_is_stored_under_private_media_root(client_for, coordinator_a, supporter, settings):
    pledge_post(client_for(coordinator_a), supporter, SimpleUploadedFile("scan.pdf", PDF))
    path = Pledge.objects.get().scan.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_pledge_scan_with_wrong_magic_bytes_is_refused(client_for, coordinator_a, supporter):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is an executable")
    response = pledge_post(client_for(coordinator_a), supporter, fake)
    assert response.status_code == 200
    assert "PDF・JPEG・PNGのファイルのみ登録できます" in response.text
    assert not Pledge.objects.exists()


def test_pledge_scan_whose_extension_does_not_match_its_bytes_is_refused(client_for, coordinator_a, supporter):
    response = pledge_post(client_for(coordinator_a), supporter, SimpleUploadedFile("scan.html", PDF))
    assert "PDF・JPEG・PNGのファイルのみ登録できます" in response.text
    assert not Pledge.objects.exists()


def test_pledge_scan_over_5mb_is_refused(client_for, coordinator_a, supporter):
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = pledge_post(client_for(coordinator_a), supporter, big)
    assert "ファイルが大きすぎます" in response.text
    assert not Pledge.objects.exists()


def test_scan_download_is_refused_to_other_contractor_and_health_centre(
    client_for, coordinator_a, coordinator_b, health_centre_user, supporter
):
    pledge_post(client_for(coordinator_a), supporter, SimpleUploadedFile("scan.pdf", PDF))
    url = reverse("peers:pledge_scan", args=[Pledge.objects.get().pk])
    assert client_for(coordinator_b).get(url).status_code == 404
    assert client_for(health_centre_user).get(url).status_code == 403


def test_scan_download_streams_the_file_as_attachment(client_for, coordinator_a, supporter):
    client = client_for(coordinator_a)
    pledge_post(client, supporter, SimpleUploadedFile("scan.png", PNG))
    response = client.get(reverse("peers:pledge_scan", args=[Pledge.objects.get().pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG


def test_pledge_expiry_before_signature_is_refused(client_for, coordinator_a, supporter):
    response = client_for(coordinator_a).post(
        reverse("peers:pledge_create", args=[supporter.pk]),
        {"signed_on": "2026-04-01", "provisions_version": "v1", "explained_by": "x", "valid_until": "2026-03-01"},
    )
    assert "有効期限は署名日以降にしてください。" in response.text


def test_supporter_detail_warns_when_no_valid_pledge(client_for, coordinator_a, supporter):
    response = client_for(coordinator_a).get(reverse("peers:supporter_detail", args=[supporter.pk]))
    assert "本日有効な誓約書がありません" in response.text


def test_search_finds_supporter_by_name_or_kana(client_for, coordinator_a, supporter, contractor_a):
    SupporterFactory(organisation=contractor_a, name="佐藤 次郎", name_kana="サトウ ジロウ")
    client = client_for(coordinator_a)
    for query in ("山田", "ヤマダ"):
        rows = client.get(reverse("peers:supporter_list"), {"q": query}).context["rows"]
        assert [s.name for s, _cells in rows] == ["山田 花子"]


def test_viewing_a_supporter_is_audited(client_for, coordinator_a, supporter):
    client_for(coordinator_a).get(reverse("peers:supporter_detail", args=[supporter.pk]))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="peers.PeerSupporter", object_id=str(supporter.pk)
    ).exists()


def test_changing_a_supporter_is_audited(client_for, coordinator_a, supporter):
    response = client_for(coordinator_a).post(
        reverse("peers:supporter_update", args=[supporter.pk]),
        {
            "name": "山田 花子",
            "name_kana": "ヤマダ ハナコ",
            "start_date": "2025-04-01",
            "status": "active",
            "joined_via": "other",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="peers.PeerSupporter").exists()


def test_exporting_supporters_is_audited(client_for, coordinator_a, supporter):
    response = client_for(coordinator_a).get(reverse("peers:supporter_list"), {"format": "csv"})
    assert "山田 花子" in b"".join(response.streaming_content).decode("utf-8-sig")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="peers.PeerSupporter").exists()


def test_paused_supporter_needs_a_status_date(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("peers:supporter_create"),
        {
            "name": "休止 太郎",
            "name_kana": "キュウシ タロウ",
            "start_date": "2025-04-01",
            "status": "paused",
            "joined_via": "other",
        },
    )
    assert "休止・終了の場合は、変更日を入力してください。" in response.text
    assert not PeerSupporter.objects.exists()


def test_conditions_are_recorded_for_a_supporter(client_for, coordinator_a, supporter):
    response = client_for(coordinator_a).post(
        reverse("peers:conditions_create", args=[supporter.pk]),
        {"told_on": "2026-04-01", "activity_description": "院内GW", "hourly_pay": "1100", "expected_hours": "月8時間"},
    )
    assert response.status_code == 302
    assert supporter.conditions.get().hourly_pay == 1100


def test_completed_trainee_becomes_a_supporter_in_one_click(client_for, coordinator_a, contractor_a):
    course = CourseFactory(organisation=contractor_a)
    trainee = TraineeFactory(course=course, name="修了 三郎", name_kana="シュウリョウ サブロウ")
    response = client_for(coordinator_a).post(reverse("peers:trainee_register", args=[trainee.pk]))
    supporter = PeerSupporter.objects.get(name="修了 三郎")
    assert response.url == supporter.get_absolute_url()
    assert supporter.joined_via == JoinedVia.TRAINING
    assert supporter.organisation == contractor_a
    trainee.refresh_from_db()
    assert trainee.supporter == supporter


def test_trainee_who_did_not_complete_cannot_be_registered(client_for, coordinator_a, contractor_a):
    trainee = TraineeFactory(course=CourseFactory(organisation=contractor_a), completed=False)
    client_for(coordinator_a).post(reverse("peers:trainee_register", args=[trainee.pk]))
    assert not PeerSupporter.objects.exists()


def test_psw_coordinator_needs_a_registration_number(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("peers:coordinator_create"),
        {"name": "調整 一郎", "qualification": Qualification.PSW, "is_active": "on"},
    )
    assert "精神保健福祉士の場合は登録番号を入力してください。" in response.text


def test_equivalent_coordinator_needs_a_note(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("peers:coordinator_create"),
        {"name": "調整 一郎", "qualification": Qualification.EQUIVALENT, "is_active": "on"},
    )
    assert "「同等程度」の場合は、その理由を入力してください。" in response.text


def test_contractor_pages_warn_when_no_coordinator(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("peers:supporter_list"))
    assert "ピアサポートコーディネーターが登録されていません" in response.text


def test_warning_disappears_once_a_coordinator_is_registered(client_for, coordinator_a, contractor_a):
    CoordinatorFactory(organisation=contractor_a)
    response = client_for(coordinator_a).get(reverse("peers:supporter_list"))
    assert "ピアサポートコーディネーターが登録されていません" not in response.text


def test_supporter_detail_shows_hours_and_pay_by_month(client_for, coordinator_a, activity_a, supporter_a):
    response = client_for(coordinator_a).get(
        reverse("peers:supporter_detail", args=[supporter_a.pk]), {"fiscal_year": "2026"}
    )
    monthly = {(row.year, row.month): row for row in response.context["monthly"]}
    assert monthly[(2026, 11)].hours == 1.5
    assert monthly[(2026, 11)].pay == 1650
    assert response.context["yearly"][0]["fiscal_year"] == 2026
    assert date(2026, 11, 2).strftime("%Y") in response.text


def test_supporter_with_activities_cannot_be_deleted_and_says_why(client_for, coordinator_a, activity_a, supporter_a):
    response = client_for(coordinator_a).post(reverse("peers:supporter_delete", args=[supporter_a.pk]), follow=True)
    assert "参照されているため削除できません" in response.text
    assert PeerSupporter.objects.filter(pk=supporter_a.pk).exists()


def test_opening_the_supporter_list_is_audited(client_for, coordinator_a, supporter):
    client_for(coordinator_a).get(reverse("peers:supporter_list"))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="peers.PeerSupporter", detail="一覧").exists()


def test_replacing_or_deleting_a_scan_removes_the_old_file(
    client_for, coordinator_a, supporter, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_a)
    pledge_post(client, supporter, SimpleUploadedFile("scan.pdf", PDF))
    pledge = Pledge.objects.get()
    first = pledge.scan.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("peers:pledge_update", args=[pledge.pk]),
            {
                "signed_on": "2026-04-01",
                "provisions_version": "v2",
                "explained_by": "x",
                "scan": SimpleUploadedFile("new.png", PNG),
            },
        )
    pledge.refresh_from_db()
    assert not os.path.exists(first)
    second = pledge.scan.path
    assert os.path.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peers:pledge_delete", args=[pledge.pk]))
    assert not os.path.exists(second)


def test_search_accepts_hiragana_and_half_width_kana(client_for, coordinator_a, supporter):
    client = client_for(coordinator_a)
    for query in ("やまだ", "ﾔﾏﾀﾞ"):
        rows = client.get(reverse("peers:supporter_list"), {"q": query}).context["rows"]
        assert [s.name for s, _cells in rows] == ["山田 花子"], query


def test_supporter_csv_neutralises_formulas(client_for, coordinator_a, contractor_a):
    SupporterFactory(organisation=contractor_a, name="=HYPERLINK(1)", name_kana="イコール")
    response = client_for(coordinator_a).get(reverse("peers:supporter_list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_statement_tells_the_supporter_hours_and_pay(client_for, coordinator_a, activity_a, supporter_a):
    response = client_for(coordinator_a).get(
        reverse("peers:supporter_statement", args=[supporter_a.pk]), {"fiscal_year": "2026"}
    )
    assert "令和8年度 活動実績のお知らせ" in response.text
    assert response.context["total_pay"] == 1650
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(supporter_a.pk)).exists()


def test_statement_is_404_for_another_contractor(client_for, coordinator_b, supporter_a):
    response = client_for(coordinator_b).get(reverse("peers:supporter_statement", args=[supporter_a.pk]))
    assert response.status_code == 404
