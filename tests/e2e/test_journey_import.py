"""Journey 6: a coordinator imports a month of activities from a Shift_JIS (CP932) CSV."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.wareki import to_wareki
from peers.models import Activity, ActivitySupporter
from tests.e2e.conftest import expect_fits_phone_width, expect_no_serious_violations
from tests.peers.factories import PledgeFactory, SupporterFactory, asaka_hospital

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15000


def cp932_csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    """The file Excel writes with 「CSV（コンマ区切り）」 on a Japanese Windows PC."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("cp932")


def upload(page, name: str, content: bytes) -> None:
    file = {"name": name, "mimeType": "text/csv", "buffer": content}
    page.get_by_label("取り込むファイル").set_input_files(files=[file])
    page.get_by_role("button", name="内容を確認する").click()


def test_coordinator_imports_a_cp932_csv_fixes_the_bad_row_and_confirms(page, log_in, screenshot, axe, peer_setup):
    organisation = peer_setup.contract.organisation
    supporter = SupporterFactory(organisation=organisation, name="髙橋 一郎", name_kana="タカハシ イチロウ")
    PledgeFactory(supporter=supporter, signed_on=peer_setup.contract.start_date)
    hospital = asaka_hospital()
    today = timezone.localdate()
    first_day = max(today - timedelta(days=7), peer_setup.contract.start_date)
    log_in(peer_setup.coordinator.user)

    # The import screen from the menu, and the template's headers.
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="Excel・CSV取込", exact=True).click()
    page.get_by_role("row").filter(has_text="活動記録").get_by_role("link", name="アップロード").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("活動記録の取込", timeout=WAIT)
    with page.expect_download() as template:
        page.get_by_role("link", name="テンプレート（Excel）をダウンロード").click()
    workbook = load_workbook(io.BytesIO(Path(template.value.path()).read_bytes()))
    header = [cell.value for cell in workbook["データ"][1]]
    assert {"活動日", "開始時刻", "種別", "区域（保健所）", "ピアサポーター1", "時間1"} <= set(header)

    def row(day: str, start: str, note: str) -> dict[str, str]:
        return {
            "活動日": day,
            "開始時刻": start,
            "終了時刻": "15:00",
            "種別": "院内グループワーク",
            "区域（保健所）": "朝霞保健所",
            "病院": hospital.name,
            "参加者数": "6",
            "コーディネーター": peer_setup.coordinator.name,
            "記録・特記事項": note,
            "ピアサポーター1": "髙橋 一郎",  # 髙 is in CP932 but not in Shift_JIS
            "時間1": "1.5",
            "謝金1": "1650",
        }

    good = row(to_wareki(first_day), "13:30", "①病棟ホールで実施")
    bad = row("いつか", "10:00", "②デイルームで実施")
    upload(page, "活動記録.csv", cp932_csv(header, [good, bad]))

    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("誤りが 1 件あります。", timeout=WAIT)
    expect(errors).to_contain_text("何も保存していません。")
    expect(errors.get_by_role("listitem")).to_have_text([_starts_with("行 3・列「活動日」: 日付として読めません")])
    expect(page.get_by_role("button", name="この内容で取り込む")).to_have_count(0)
    screenshot("journey6-import-row-error")
    expect_no_serious_violations(axe())
    assert not Activity.objects.exists()

    # The coordinator fixes the date in the file and uploads it again.
    page.get_by_role("link", name="ファイルを選び直す").click()
    fixed = {**bad, "活動日": f"{today:%Y/%m/%d}"}
    upload(page, "活動記録（修正）.csv", cp932_csv(header, [good, fixed]))
    expect(page.get_by_text("誤りはありません。新規 2 件、更新 0 件を取り込みます。")).to_be_visible(timeout=WAIT)
    preview = page.locator("table")
    expect(preview).to_contain_text("①病棟ホールで実施")
    expect(preview).to_contain_text("髙橋 一郎")
    screenshot("journey6-import-preview")
    expect_fits_phone_width(page)
    expect_no_serious_violations(axe())
    assert not Activity.objects.exists()  # the preview is a dry run

    page.get_by_role("button", name="この内容で取り込む").click()
    expect(page.get_by_text("活動記録を取り込みました（新規 2 件、更新 0 件）。")).to_be_visible(timeout=WAIT)
    assert {(a.date, a.notes, a.hospital, a.organisation) for a in Activity.objects.all()} == {
        (first_day, "①病棟ホールで実施", hospital, organisation),
        (today, "②デイルームで実施", hospital, organisation),
    }
    assert ActivitySupporter.objects.filter(supporter=supporter, hours=1.5, pay=1650).count() == 2
    screenshot("journey6-activities-imported")


def _starts_with(prefix: str) -> re.Pattern:
    return re.compile("^" + re.escape(prefix))
