"""Downloads of the outreach lists: CSV (UTF-8 with BOM), CSV (Shift_JIS) and Excel.

Every list is exported with the filters on screen through `accounts.exports.audited_export`
(formula-safe cells; Shift_JIS lists the characters it cannot hold; one audit event a file).
Headers are the screens' labels and, for clients and contacts, the import columns: an exported
file can be edited and imported again. Dates have a 和暦 column next to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.wareki import fiscal_year_label, to_wareki

WEEKDAYS = "月火水木金土日"


def wareki_or_blank(day) -> str:
    return to_wareki(day) if day else ""


CLIENT_HEADER = [
    "ケース番号",
    "機関",
    "受付日",
    "受付日（和暦）",
    "氏名",
    "フリガナ",
    "生年月日",
    "生年月日（和暦）",
    "性別",
    "住所の市町村",
    "相談経路",
    "生活困窮者に該当する",
    "就職氷河期世代の範囲内",
    "範囲外でも支援対象とする理由",
    "(ｱ) ひきこもり状態",
    "(ｲ) サポステ等の利用（可能性）",
    "(ｳ) 長期間安定した就労ができていない",
    "(ｴ) その他丁寧な支援が必要",
    "(ｴ)の内容",
    "状況",
    "終結日",
    "終結日（和暦）",
    "担当支援員",
    "最終対応日",
]


def client_rows(clients) -> Iterable[tuple]:
    for c in clients.iterator(chunk_size=2000):
        yield (
            c.number,
            c.agency.name,
            c.registered_on,
            wareki_or_blank(c.registered_on),
            c.name,
            c.name_kana,
            c.birth_date,
            wareki_or_blank(c.birth_date),
            c.get_sex_display(),
            c.municipality.name,
            c.get_referral_route_display(),
            c.in_hardship,
            c.in_cohort,
            c.outside_cohort_reason,
            c.criterion_hikikomori,
            c.criterion_youth_station,
            c.criterion_unstable_work,
            c.criterion_other,
            c.criterion_other_note,
            c.get_status_display(),
            c.closed_on,
            wareki_or_blank(c.closed_on),
            c.worker.user.display_name if c.worker else "",
            c.last_contact_on,
        )


CONTACT_HEADER = [
    "ケース番号",
    "氏名",
    "機関",
    "日付",
    "日付（和暦）",
    "曜日",
    "開始時刻",
    "終了時刻",
    "種別",
    "本人",
    "家族",
    "関係機関",
    "関係機関名",
    "本人との初めてのつながり",
    "土日",
    "祝日",
    "年末年始",
    "時間外",
    "支援員",
    "内容",
]


def contact_rows(contacts) -> Iterable[tuple]:
    for c in contacts.iterator(chunk_size=2000):
        yield (
            c.client.number,
            c.client.name,
            c.client.agency.name,
            c.date,
            wareki_or_blank(c.date),
            WEEKDAYS[c.date.weekday()],
            c.start_time.strftime("%H:%M"),
            c.end_time.strftime("%H:%M"),
            c.get_kind_display(),
            c.with_person,
            c.with_family,
            c.with_agency,
            c.agency_note,
            c.first_connection,
            c.is_weekend,
            (c.holiday_name or "祝日") if c.is_holiday else "",
            c.is_year_end,
            c.is_after_hours,
            c.worker.user.display_name if c.worker else "",
            c.summary,
        )


MEETING_HEADER = [
    "開催日",
    "開催日（和暦）",
    "種別",
    "機関",
    "参加機関の種別",
    "参加者",
    "検討した支援対象者（ケース番号）",
    "決定事項",
]


def meeting_rows(meetings) -> Iterable[tuple]:
    """Clients by case number only: no names leave in this file."""
    for m in meetings.iterator(chunk_size=500):
        yield (
            m.date,
            wareki_or_blank(m.date),
            m.get_kind_display(),
            m.agency.name,
            "、".join(m.participant_type_labels),
            m.participants_note,
            " ".join(c.number for c in m.clients.all()),
            m.decisions,
        )


WORKER_HEADER = ["氏名", "受託事業者", "配置機関", "配置日", "配置日（和暦）", "在職中", "資格要件（要綱3(3)）", "根拠"]


def worker_rows(workers) -> Iterable[tuple]:
    for w in workers:
        yield (
            w.user.display_name,
            w.organisation.name,
            w.agency.name,
            w.started_on,
            wareki_or_blank(w.started_on),
            w.is_active,
            w.get_qualification_display(),
            w.qualification_evidence,
        )


AGENCY_HEADER = ["受託事業者", "機関名", "担当市町村", "所在地", "電話番号", "有効", "支援対象者数", "支援員数"]


def agency_rows(agencies) -> Iterable[tuple]:
    for a in agencies:
        yield (
            a.organisation.name,
            a.name,
            "、".join(m.name for m in a.municipalities.all()),
            a.address,
            a.phone,
            a.is_active,
            a.client_count,
            a.worker_count,
        )


CONTRACT_HEADER = [
    "年度",
    "受託事業者",
    "機関",
    "契約金額（円）",
    "契約期間（開始）",
    "開始（和暦）",
    "契約期間（終了）",
    "終了（和暦）",
    "備考",
]


def contract_rows(contracts) -> Iterable[tuple]:
    for c in contracts:
        yield (
            fiscal_year_label(c.fiscal_year),
            c.organisation.name,
            c.agency.name,
            c.amount,
            c.start_date,
            wareki_or_blank(c.start_date),
            c.end_date,
            wareki_or_blank(c.end_date),
            c.note,
        )


RESOURCE_HEADER = ["名称", "種別", "所在市町村", "所在地", "電話番号", "利用可", "備考"]


def resource_rows(resources) -> Iterable[tuple]:
    for r in resources:
        yield (
            r.name,
            r.get_kind_display(),
            r.municipality.name if r.municipality else "",
            r.address,
            r.phone,
            r.is_active,
            r.note,
        )
