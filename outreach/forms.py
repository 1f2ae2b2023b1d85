"""Forms: Japanese labels, 要綱 help texts, and the list filters."""

from __future__ import annotations

from django import forms

from accounts.forms import DateInput
from accounts.models import Membership, Municipality, Organisation, OrganisationKind, Role, User
from accounts.wareki import to_wareki
from outreach.models import (
    CLIENT_INPUT_FIELDS,
    Agency,
    Client,
    ClientStatus,
    CohortSetting,
    Contact,
    ContactKind,
    Linkage,
    LinkageResult,
    MeetingKind,
    Outcome,
    OutcomeKind,
    OutreachContract,
    OutreachWorker,
    ParticipantType,
    PlanReview,
    Qualification,
    ReferralRoute,
    Sex,
    SocialResource,
    SocialResourceKind,
    SupportMeeting,
    SupportPlan,
)
from outreach.search import katakana
from outreach.selectors import AGE_BANDS, CRITERION_FILTERS, FLAG_FILTERS, INTAKE_FILTERS, MISSING_FILTERS


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m", "%Y/%m"], **kwargs)
        self.error_messages["invalid"] = "年月は 2025-04 の形で入力してください。"


def _date_widgets(*names: str) -> dict:
    return dict.fromkeys(names, DateInput())


# ---- set-up (prefecture) --------------------------------------------------------------------


class AgencyForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label="受託事業者",
        queryset=Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR, runs_outreach=True),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label="担当市町村",
        queryset=Municipality.objects.order_by("sort_order", "pk"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "担当市町村を1つ以上選んでください。"},
    )

    class Meta:
        model = Agency
        fields = ["organisation", "name", "municipalities", "address", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organisation"].disabled = True  # its records belong to this contractor


class ContractForm(forms.ModelForm):
    agency = forms.ModelChoiceField(label="機関", queryset=Agency.objects.select_related("organisation"))

    class Meta:
        model = OutreachContract
        fields = ["agency", "fiscal_year", "amount", "start_date", "end_date", "note"]
        widgets = _date_widgets("start_date", "end_date")
        help_texts = {"fiscal_year": "年度の開始年（令和8年度なら 2026）", "amount": "税込・円"}


class WorkerForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label="利用者",
        queryset=None,
        help_text="役割「アウトリーチ支援員」の利用者。所属は管理画面の「所属・役割」で設定します。",
    )
    agency = forms.ModelChoiceField(label="配置機関", queryset=Agency.objects.select_related("organisation"))

    class Meta:
        model = OutreachWorker
        fields = [
            "user",
            "agency",
            "started_on",
            "is_active",
            "qualification",
            "training_course",
            "training_year",
            "licence",
            "field_years",
            "hardship_consultation_years",
            "consultation_years",
            "is_social_welfare_officer",
            "welfare_work_years",
            "equivalence_note",
        ]
        widgets = {**_date_widgets("started_on"), "qualification": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_ids = Membership.objects.filter(role=Role.OUTREACH_WORKER).values("user_id")
        self.fields["user"].queryset = User.objects.filter(pk__in=user_ids).order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}・{u.organisation}）"
        self.fields["agency"].label_from_instance = lambda a: f"{a.name}（{a.organisation}）"
        self.fields["qualification"].choices = Qualification.choices
        if self.instance.pk:
            self.fields["user"].disabled = True


class ResourceForm(forms.ModelForm):
    class Meta:
        model = SocialResource
        fields = ["name", "kind", "municipality", "address", "phone", "note", "is_active"]


class CohortForm(forms.ModelForm):
    class Meta:
        model = CohortSetting
        fields = ["birth_from", "birth_to", "school_leaving_from", "school_leaving_to", "note"]
        widgets = _date_widgets("birth_from", "birth_to")
        help_texts = {
            "birth_from": "要綱3(2)ア「おおむね就職氷河期世代（30代半ば〜40代半ば）」。既定は1970年4月2日。",
            "birth_to": "既定は1986年4月1日。変更すると全対象者の「範囲内」判定が更新されます。",
            "school_leaving_from": "参考（既定 1993年）",
            "school_leaving_to": "参考（既定 2004年）",
        }


# ---- client records (outreach workers) ------------------------------------------------------


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = list(CLIENT_INPUT_FIELDS)
        widgets = {
            **_date_widgets("registered_on", "birth_date", "closed_on"),
            "outside_cohort_reason": forms.Textarea(attrs={"rows": 2}),
            "closed_reason": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"name_kana": "カタカナ（ひらがな・半角でも入力できます）"}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.instance.organisation_id = agency.organisation_id
        self.fields["worker"].queryset = OutreachWorker.objects.filter(agency=agency).select_related("user")
        cohort = CohortSetting.current()
        self.fields["birth_date"].help_text = (
            f"就職氷河期世代の範囲：{to_wareki(cohort.birth_from)}〜{to_wareki(cohort.birth_to)}生まれ（要綱3(2)ア）。"
            "範囲外の場合は理由の入力が必要です。"
        )

    def clean_name_kana(self) -> str:
        return katakana(self.cleaned_data["name_kana"])


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "date",
            "start_time",
            "end_time",
            "kind",
            "with_person",
            "with_family",
            "with_agency",
            "agency_note",
            "first_connection",
            "worker",
            "summary",
        ]
        widgets = {
            **_date_widgets("date"),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"with_person": "相手：本人", "with_family": "相手：家族", "with_agency": "相手：関係機関"}
        help_texts = {
            "date": "土日・祝日（振替休日を含む）・年末年始（12/29〜1/3）・時間外は保存時に自動で判定します"
            "（要綱3(1)イ）。",
            "end_time": "開始が8:30より前、または終了が17:15より後の対応は「時間外」になります。",
            "first_connection": "この対応で初めて本人と接触できた場合（要綱3(1)ア(ｳ) 初期のつながりの確保）。"
            "成果「つながりの確保」も自動で記録されます。",
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.instance.organisation_id = client.organisation_id
        self.fields["worker"].queryset = OutreachWorker.objects.filter(agency_id=client.agency_id).select_related(
            "user"
        )


class PlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = ["made_on", "goals", "planned_supports", "next_review_on"]
        widgets = _date_widgets("made_on", "next_review_on")

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.instance.organisation_id = client.organisation_id


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "summary", "next_review_on"]
        widgets = _date_widgets("reviewed_on", "next_review_on")

    def __init__(self, *args, plan: SupportPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.instance.organisation_id = plan.organisation_id


class LinkageForm(forms.ModelForm):
    class Meta:
        model = Linkage
        fields = ["resource", "date", "result", "note"]
        widgets = _date_widgets("date")
        help_texts = {"resource": "要綱3(4)ウ〜サ。一覧にない機関は県の担当者が「社会資源」に追加します。"}

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.instance.organisation_id = client.organisation_id
        resources = SocialResource.objects.filter(is_active=True)
        if self.instance.resource_id:
            resources = resources | SocialResource.objects.filter(pk=self.instance.resource_id)
        self.fields["resource"].queryset = resources.order_by("kind", "name")
        self.fields["resource"].label_from_instance = lambda r: f"{r.get_kind_display()}｜{r.name}"


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "date", "note"]
        widgets = _date_widgets("date")

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.instance.organisation_id = client.organisation_id


class MeetingForm(forms.ModelForm):
    participant_types = forms.MultipleChoiceField(
        label="参加機関の種別", choices=ParticipantType.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    clients = forms.ModelMultipleChoiceField(
        label="検討した支援対象者", queryset=Client.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = SupportMeeting
        fields = ["date", "kind", "participant_types", "participants_note", "clients", "decisions"]
        widgets = _date_widgets("date")
        help_texts = {"kind": "支援調整会議は要綱3(4)オ"}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.instance.organisation_id = agency.organisation_id
        # Open cases, plus any closed case this meeting already discussed.
        clients = Client.objects.filter(agency=agency).exclude(status=ClientStatus.CLOSED)
        if self.instance.pk:
            clients = clients | Client.objects.filter(agency=agency, meetings=self.instance)
        self.fields["clients"].queryset = clients.distinct().order_by("number")
        self.fields["clients"].help_text = "終結していない支援対象者を表示しています。"


# ---- list filters ---------------------------------------------------------------------------


def _blank(choices) -> list:
    return [("", "すべて"), *choices]


def _contractor_field() -> forms.IntegerField:
    """The annual report's drill-down narrows lists to one contractor (hidden; scoping still applies)."""
    return forms.IntegerField(label="受託事業者", required=False, min_value=1, widget=forms.HiddenInput)


def _agency_field() -> forms.IntegerField:
    """The annual report's per-agency links narrow a list to one agency (hidden; scoping still applies)."""
    return forms.IntegerField(label="機関", required=False, min_value=1, widget=forms.HiddenInput)


def _fiscal_year_field() -> forms.IntegerField:
    return forms.IntegerField(label="年度（西暦）", required=False, min_value=2019, max_value=2100)


class ClientFilterForm(forms.Form):
    q = forms.CharField(label="氏名・フリガナ・番号", required=False)
    status = forms.ChoiceField(label="状況", required=False, choices=_blank(ClientStatus.choices))
    criterion = forms.ChoiceField(
        label="対象要件", required=False, choices=_blank((k, label) for k, (label, _q) in CRITERION_FILTERS.items())
    )
    worker = forms.ModelChoiceField(label="担当支援員", required=False, queryset=OutreachWorker.objects.none())
    agency = forms.ModelChoiceField(label="機関", required=False, queryset=Agency.objects.none())
    month = MonthField(label="受付月", required=False)
    fiscal_year = forms.IntegerField(
        label="支援した年度（西暦）", required=False, min_value=2019, max_value=2100, help_text="年度内に支援中だった人"
    )
    intake = forms.ChoiceField(label="新規・継続", required=False, choices=_blank(INTAKE_FILTERS.items()))
    age_band = forms.ChoiceField(
        label="年齢（年度の4月1日時点）", required=False, choices=_blank((band, band) for band, _lo, _hi in AGE_BANDS)
    )
    sex = forms.ChoiceField(label="性別", required=False, choices=_blank(Sex.choices))
    referral_route = forms.ChoiceField(label="相談経路", required=False, choices=_blank(ReferralRoute.choices))
    missing = forms.ChoiceField(label="記録の不足", required=False, choices=_blank(MISSING_FILTERS.items()))
    stale = forms.BooleanField(label="30日以上対応なし", required=False)
    contractor = _contractor_field()

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = OutreachWorker.objects.visible_to(viewer).select_related("user")
        if viewer.role == Role.PREFECTURE:
            self.fields["agency"].queryset = Agency.objects.all()
        else:
            # Workers see one agency; the report's per-agency links still carry its id (scoping applies).
            self.fields["agency"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ContactFilterForm(forms.Form):
    q = forms.CharField(label="対象者（氏名・フリガナ・番号）", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=_blank(ContactKind.choices))
    flag = forms.ChoiceField(
        label="土日祝日・時間外", required=False, choices=_blank((k, label) for k, (label, _f) in FLAG_FILTERS.items())
    )
    month = MonthField(label="月", required=False)
    fiscal_year = forms.IntegerField(label="年度（西暦）", required=False, min_value=2019, max_value=2100)
    worker = forms.ModelChoiceField(label="支援員", required=False, queryset=OutreachWorker.objects.none())
    agency = forms.ModelChoiceField(label="機関", required=False, queryset=Agency.objects.none())
    first_connection = forms.BooleanField(label="初めてのつながりのみ", required=False)
    contractor = _contractor_field()

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = OutreachWorker.objects.visible_to(viewer).select_related("user")
        if viewer.role == Role.PREFECTURE:
            self.fields["agency"].queryset = Agency.objects.all()
        else:
            # Workers see one agency; the report's per-agency links still carry its id (scoping applies).
            self.fields["agency"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label="検索（決定事項・参加者）", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=_blank(MeetingKind.choices))
    month = MonthField(label="月", required=False)
    fiscal_year = _fiscal_year_field()
    agency = _agency_field()
    contractor = _contractor_field()


class WorkerFilterForm(forms.Form):
    qualification = forms.ChoiceField(label="資格要件", required=False, choices=_blank(Qualification.choices))
    active_only = forms.BooleanField(label="在職中のみ", required=False)
    agency = _agency_field()
    contractor = _contractor_field()


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label="名称・備考", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=_blank(SocialResourceKind.choices))
    active_only = forms.BooleanField(label="利用可のみ", required=False)


class ContractFilterForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度（西暦）", required=False, min_value=2019, max_value=2100)
    agency = _agency_field()
    contractor = _contractor_field()


class PlanFilterForm(forms.Form):
    q = forms.CharField(label="対象者（氏名・フリガナ）", required=False)
    due_only = forms.BooleanField(label="見直し時期のもの（7日以内を含む）", required=False)
    month = MonthField(label="作成月", required=False)
    fiscal_year = forms.IntegerField(label="作成年度（西暦）", required=False, min_value=2019, max_value=2100)
    agency = _agency_field()
    contractor = _contractor_field()


class PlanReviewFilterForm(forms.Form):
    q = forms.CharField(label="対象者（氏名・フリガナ）", required=False)
    month = MonthField(label="見直し月", required=False)
    fiscal_year = forms.IntegerField(label="見直し年度（西暦）", required=False, min_value=2019, max_value=2100)
    plan = forms.IntegerField(label="支援計画", required=False, min_value=1, widget=forms.HiddenInput)
    agency = _agency_field()
    contractor = _contractor_field()


class LinkageFilterForm(forms.Form):
    q = forms.CharField(label="対象者（氏名・フリガナ）", required=False)
    resource_kind = forms.ChoiceField(
        label="つないだ先の種別", required=False, choices=_blank(SocialResourceKind.choices)
    )
    result = forms.ChoiceField(label="結果", required=False, choices=_blank(LinkageResult.choices))
    month = MonthField(label="月", required=False)
    fiscal_year = forms.IntegerField(label="年度（西暦）", required=False, min_value=2019, max_value=2100)
    agency = _agency_field()
    contractor = _contractor_field()


class OutcomeFilterForm(forms.Form):
    q = forms.CharField(label="対象者（氏名・フリガナ）", required=False)
    kind = forms.ChoiceField(label="成果", required=False, choices=_blank(OutcomeKind.choices))
    month = MonthField(label="月", required=False)
    fiscal_year = forms.IntegerField(label="年度（西暦）", required=False, min_value=2019, max_value=2100)
    agency = _agency_field()
    contractor = _contractor_field()
