"""Demo organisations and log-ins; program apps add their records in their own demo.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import HealthCentre, Membership, Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "saitama-demo-2025"
# A fixed TOTP key for demo-pref (prefecture staff must use two-factor authentication), so that a
# demo user can add it to an authenticator app: base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@dataclass
class DemoContext:
    scale: int
    fiscal_year: int
    prefecture: Organisation
    health_centres: dict[str, Organisation]
    peer_contractors: list[Organisation] = field(default_factory=list)
    outreach_contractors: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


NAMED_CONTRACTORS = [
    # code, name, kana, peer support, outreach, address
    ("midori", "社会福祉法人みどり会", "シャカイフクシホウジンミドリカイ", True, False, "朝霞市本町一丁目1番1号"),
    (
        "hidamari",
        "特定非営利活動法人ひだまりネット",
        "トクテイヒエイリカツドウホウジンヒダマリネット",
        True,
        False,
        "熊谷市宮町二丁目2番2号",
    ),
    (
        "aozora",
        "一般社団法人あおぞら相談支援",
        "イッパンシャダンホウジンアオゾラソウダンシエン",
        False,
        True,
        "春日部市中央三丁目3番3号",
    ),
    (
        "musashino",
        "社会福祉法人むさしの福祉会",
        "シャカイフクシホウジンムサシノフクシカイ",
        True,
        True,
        "東松山市松葉町四丁目4番4号",
    ),
]

DEMO_USERS = [
    # username, family name, given name, role, organisation code
    ("demo-pref", "県庁", "花子", Role.PREFECTURE, "saitama-pref"),
    ("demo-hc", "朝霞", "次郎", Role.HEALTH_CENTRE, "hc-HC02"),
    ("demo-coord-a", "緑川", "一郎", Role.COORDINATOR, "midori"),
    ("demo-coord-b", "日向", "葵", Role.COORDINATOR, "hidamari"),
    ("demo-outreach-a", "青空", "健", Role.OUTREACH_WORKER, "aozora"),
    ("demo-outreach-b", "武蔵野", "由美", Role.OUTREACH_WORKER, "musashino"),
]


def _organisation(code: str, **fields) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["group"])
    organisation.save()
    return organisation


def seed_organisations_and_users(*, scale: int, fiscal_year: int) -> DemoContext:
    prefecture = _organisation(
        "saitama-pref",
        name="埼玉県 福祉部・保健医療部",
        kind=OrganisationKind.PREFECTURE,
        address="さいたま市浦和区高砂三丁目15番1号",
    )
    health_centres = {
        centre.name: _organisation(
            f"hc-{centre.code}",
            name=f"埼玉県{centre.name}" if centre.is_prefectural else centre.name,
            kind=OrganisationKind.HEALTH_CENTRE,
            health_centre=centre,
        )
        for centre in HealthCentre.objects.all()
    }
    context = DemoContext(scale=scale, fiscal_year=fiscal_year, prefecture=prefecture, health_centres=health_centres)
    for code, name, kana, peer, outreach, address in NAMED_CONTRACTORS:
        organisation = _organisation(
            code,
            name=name,
            name_kana=kana,
            kind=OrganisationKind.CONTRACTOR,
            runs_peer_support=peer,
            runs_outreach=outreach,
            address=address,
            representative="理事長 山田 太郎",
        )
        if peer:
            context.peer_contractors.append(organisation)
        if outreach:
            context.outreach_contractors.append(organisation)
    # Larger scales add generic contractors so that a decade of a prefecture's volume can be built.
    for number in range(1, 3 * scale - 2):
        organisation = _organisation(
            f"contractor-{number:03d}",
            name=f"社会福祉法人さきたま第{number}福祉会",
            kind=OrganisationKind.CONTRACTOR,
            runs_peer_support=True,
            runs_outreach=True,
            representative="理事長 埼玉 太郎",
        )
        context.peer_contractors.append(organisation)
        context.outreach_contractors.append(organisation)

    organisations = {
        o.code: o
        for o in [prefecture, *health_centres.values(), *context.peer_contractors, *context.outreach_contractors]
    }
    for username, family, given, role, code in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.last_name, user.first_name = family, given
        user.email = f"{username}@example.jp"
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership = Membership.objects.filter(user=user).first() or Membership(user=user)
        membership.organisation, membership.role = organisations[code], role
        membership.full_clean()
        membership.save()
        context.users[username] = user
        if role == Role.PREFECTURE:
            TOTPDevice.objects.update_or_create(
                user=user, name="デモ用認証アプリ", defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
            )
    contractor_count = len(set(context.peer_contractors + context.outreach_contractors))
    context.log.append(f"組織: 県 1、保健所 {len(health_centres)}、受託事業者 {contractor_count}")
    return context
