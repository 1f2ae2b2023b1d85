"""区域の集計: aggregates only, small cells suppressed, each health centre its own district only."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import HealthCentre
from peers.models import PeerSupporter, PersonSupported, Trainee
from peers.selectors.report import district_years
from reporting.district import SUPPRESSED, district_sections, people
from tests.peers.factories import HealthCentreActivityFactory
from tests.reporting.peer_year import YEAR, add_more_records, build_peer_year


@pytest.fixture
def year_a(contractor_a, contractor_b, health_centre_user):
    built = build_peer_year(contractor_a, contractor_b)
    HealthCentreActivityFactory(organisation=health_centre_user.organisation, date=date(2025, 10, 20))
    return built


@pytest.fixture
def asaka_id(db):
    return HealthCentre.objects.get(name="朝霞保健所").pk


@pytest.fixture
def asaka_code(db):
    return HealthCentre.objects.get(name="朝霞保健所").code


def _url(code, name="reporting:district_summary"):
    return f"{reverse(name, args=[code])}?fiscal_year={YEAR}"


def _identities() -> list[str]:
    """Every name and pseudonymous code the fixture holds: none may reach the summary."""
    from peers.models import Coordinator

    return [
        *PeerSupporter.objects.values_list("name", flat=True),
        *PeerSupporter.objects.values_list("name_kana", flat=True),
        *PersonSupported.objects.values_list("code", flat=True),
        *Trainee.objects.values_list("name", flat=True),
        *Coordinator.objects.values_list("name", flat=True),
    ]


def test_people_counts_of_one_or_two_are_suppressed():
    assert [people(n) for n in (0, 1, 2, 3, 10)] == [0, SUPPRESSED, SUPPRESSED, 3, 10]


def test_district_figures_are_aggregated_and_suppressed(year_a, asaka_id):
    sections = {s.key: s for s in district_sections(district_years(fiscal_year=YEAR)[asaka_id])}
    # 6 sessions of Ａ and 1 of Ｂ; 5+7+2+10+1+1 + 9 participants; 2 discharges (one each) → "<3".
    assert [row[1] for row in sections["overview"].rows] == [7, 35, SUPPRESSED]
    monthly = {(row[0], row[1]): row[2:] for row in sections["monthly"].rows}
    assert monthly[("同行外出", "参加者数（延べ）")][1] == SUPPRESSED  # 2 in May
    assert monthly[("同行外出", "実施回数")][1] == 1  # sessions are not people: shown as they are
    assert monthly[("個別訪問", "参加者数（延べ）")][-1] == SUPPRESSED
    assert monthly[("院内グループワーク", "参加者数（延べ）")][0] == 21
    assert monthly[("退院", "退院者数")][-1] == SUPPRESSED
    hospitals = {row[0]: row[1:] for row in sections["hospitals"].rows}
    assert sections["hospitals"].headers[-1] == "退院者数（支援対象者）"
    assert hospitals["医療法人けやき会 朝霞けやき台病院"] == [3, 21, SUPPRESSED]  # both discharges were from here
    assert hospitals["志木ひかりの丘病院"][-1] == 0
    contractors = {row[0]: row[1:] for row in sections["contractors"].rows}
    assert contractors["社会福祉法人Ａ会"] == [6, 26, SUPPRESSED]
    assert contractors["特定非営利活動法人Ｂ"] == [1, 9, SUPPRESSED]
    own = {(row[0], row[1]): row[-1] for row in sections["health_centre"].rows}
    assert own[("研修・シンポジウム等（普及啓発）", "実施回数")] == 1
    assert own[("研修・シンポジウム等（普及啓発）", "参加者数")] == 25


def test_health_centre_sees_its_district_without_any_identity(year_a, asaka_code, client_for, health_centre_user):
    client = client_for(health_centre_user)
    index = client.get(reverse("reporting:district_index"), {"fiscal_year": YEAR})
    assert index.status_code == 302 and index.url == _url(asaka_code)
    page = client.get(_url(asaka_code))
    assert page.status_code == 200
    assert "朝霞保健所" in page.text and "&lt;3" in page.text and "社会福祉法人Ａ会" in page.text
    for identity in _identities():
        assert identity not in page.text, identity


def test_health_centre_gets_404_for_another_district(year_a, client_for, health_centre_user):
    other = HealthCentre.objects.get(name="南部保健所").code
    client = client_for(health_centre_user)
    assert client.get(_url(other)).status_code == 404
    assert client.get(_url(other, "reporting:district_pdf")).status_code == 404


def test_contractor_staff_are_refused(year_a, asaka_code, client_for, coordinator_a, outreach_worker_a):
    for user in (coordinator_a, outreach_worker_a):
        client = client_for(user)
        assert client.get(reverse("reporting:district_index")).status_code == 403
        assert client.get(_url(asaka_code)).status_code == 403
        client.logout()


def test_prefecture_sees_every_district_side_by_side(year_a, asaka_code, client_for, prefecture_user):
    client = client_for(prefecture_user)
    page = client.get(reverse("reporting:district_index"), {"fiscal_year": YEAR})
    assert page.status_code == 200
    assert page.text.count("保健所</a>") == HealthCentre.objects.count()
    assert _url(asaka_code).replace("&", "&amp;") in page.text
    other = HealthCentre.objects.get(name="南部保健所").code
    assert client.get(_url(other)).status_code == 200


def test_menu_and_home_panel_for_health_centre_staff(year_a, client_for, health_centre_user):
    home = client_for(health_centre_user).get("/")
    assert "区域の集計" in home.text
    assert reverse("reporting:district_index") in home.text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_district_pdf_has_the_figures_and_no_identity(year_a, asaka_code, client_for, health_centre_user, tmp_path):
    response = client_for(health_centre_user).get(_url(asaka_code, "reporting:district_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "district.pdf"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "朝霞保健所" in text and "令和7年度" in text and "<3" in text
    for identity in _identities():
        assert identity not in text, identity


def test_district_pages_queries_do_not_grow_with_records(
    year_a, asaka_code, client_for, prefecture_user, contractor_a, django_assert_max_num_queries
):
    client = client_for(prefecture_user)
    urls = [_url(asaka_code), f"{reverse('reporting:district_index')}?fiscal_year={YEAR}"]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    add_more_records(contractor_a, year_a.coordinator, year_a.s1, year_a.h1, 18)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def _people_cells(section):
    """Every cell of a section that counts people (participants, discharges, audiences)."""
    people_words = ("参加者", "退院")
    people_columns = [i for i, header in enumerate(section.headers) if any(w in header for w in people_words)]
    for row in section.rows:
        if len(row) > 1 and any(w in str(row[1]) for w in people_words):  # monthly rows: metric in column 2
            yield from row[2:]
        else:
            yield from (row[i] for i in people_columns)
        if section.key == "overview" and any(w in str(row[0]) for w in people_words):
            yield row[1]


def test_every_people_cell_of_every_section_is_suppressed_on_its_own(year_a, asaka_id):
    """Per cell, not per table or total: no month, hospital, contractor or district shows 1 or 2 people."""
    from accounts.models import HealthCentre
    from reporting.district import all_districts_section

    entries = district_years(fiscal_year=YEAR)
    sections = [*district_sections(entries[asaka_id]), all_districts_section(entries, list(HealthCentre.objects.all()))]
    cells = [cell for section in sections for cell in _people_cells(section)]
    assert SUPPRESSED in cells and any(isinstance(c, int) and c >= 3 for c in cells)
    assert not [c for c in cells if c in (1, 2)]


@pytest.fixture
def lone_small_cell(contractor_a, health_centre_user):
    """April in 朝霞: 10 at a group work after discharge, 1 on a home visit; the month's 合計 is 11.

    With "<3" alone, the home visit's 1 would be 11 − 10: the 10 (and its row's total) must be hidden too.
    """
    from peers.models import ActivityKind
    from tests.peers.factories import ActivityFactory
    from tests.reporting.peer_year import contract_for_year

    contract_for_year(contractor_a, YEAR)
    for kind, participants in ((ActivityKind.COMMUNITY_GROUP, 10), (ActivityKind.HOME_VISIT, 1)):
        ActivityFactory(
            organisation=contractor_a, kind=kind, date=date(2025, 4, 15), hospital=None, participants=participants
        )


def _page_row(text: str, *labels: str) -> list[str]:
    """The cells of the first table row of the page holding all `labels`, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", text, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if all(label in cells for label in labels):
            return cells
    raise AssertionError(labels)


def test_a_lone_small_cell_cannot_be_found_by_subtraction(lone_small_cell, asaka_id):
    from reporting.district import district_people, people_grid
    from reporting.suppression import SECONDARY, is_small
    from tests.reporting.test_suppression import recoverable

    entry = district_years(fiscal_year=YEAR)[asaka_id]
    values, lines = people_grid(entry)
    primary = {key: SUPPRESSED if is_small(value) else value for key, value in values.items()}
    assert ("participants", "home_visit", 0) in recoverable(primary, values, lines)
    shown = district_people(entry)
    assert recoverable(shown, values, lines) == []
    assert shown[("participants", "community_group", 0)] == SECONDARY
    assert shown[("participants", None, 0)] == 11


def test_the_page_shows_no_recoverable_cell(lone_small_cell, asaka_code, client_for, health_centre_user):
    page = client_for(health_centre_user).get(_url(asaka_code)).text
    home_visit = _page_row(page, "個別訪問", "参加者数（延べ）")
    group = _page_row(page, "退院後グループワーク", "参加者数（延べ）")
    total = _page_row(page, "合計", "参加者数（延べ）")
    assert (home_visit[2], home_visit[-1]) == ("&lt;3", "&lt;3")
    assert (group[2], group[-1]) == ("*", "*")  # the 10 would give the 1 away: 11 − 10
    assert (total[2], total[-1]) == ("11", "11")
    assert "秘匿した欄は「*」" in page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_shows_no_recoverable_cell(lone_small_cell, asaka_code, client_for, health_centre_user, tmp_path):
    response = client_for(health_centre_user).get(_url(asaka_code, "reporting:district_pdf"))
    path = tmp_path / "district.pdf"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.split() for line in text.splitlines()]
    group_line = next(line for line in lines if line[:1] == ["退院後グループワーク"] and "参加者数（延べ）" in line)
    assert "10" not in group_line and group_line.count("*") == 2
    assert "秘匿" in text
