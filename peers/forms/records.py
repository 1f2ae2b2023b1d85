"""Forms that create and edit records. The organisation never comes from the form: the view
passes it in and each form narrows its choices (coordinators, supporters, people) to it."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory, inlineformset_factory
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator

from accounts.forms import DateInput
from accounts.models import Membership, Organisation, OrganisationKind, Role
from accounts.wareki import fiscal_year_of
from peers.forms.widgets import PrivateFileInput, TimeInput
from peers.models import (
    Activity,
    Contract,
    Coordinator,
    CouncilReport,
    Course,
    Expenditure,
    HealthCentreActivity,
    Hospital,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterConditions,
    Trainee,
)
from peers.selectors import supporters_for_activity


class GroupedHospitalChoices(BaseChoiceIterator):
    """Lazy <optgroup> choices: evaluated when the widget renders, never at import time."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        yield ("", self.field.empty_label or "---------")
        groups: dict[str, list[tuple[int, str]]] = {}
        for hospital in self.field.queryset:
            groups.setdefault(hospital.health_centre.name, []).append((hospital.pk, hospital.name))
        yield from groups.items()


class HospitalChoiceField(forms.ModelChoiceField):
    """Hospitals grouped by district, so the list stays usable without JavaScript."""

    def label_from_instance(self, obj: Hospital) -> str:
        return f"{obj.name}（{obj.health_centre.name}）"

    def _get_choices(self):
        return GroupedHospitalChoices(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


def _hospital_queryset():
    return Hospital.objects.filter(is_active=True).select_related("health_centre")


class OrganisationForm(forms.ModelForm):
    """A ModelForm that knows the owning organisation (choices are narrowed to it)."""

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation


class ContractForm(OrganisationForm):
    class Meta:
        model = Contract
        fields = ["organisation", "fiscal_year", "amount", "districts", "start_date", "end_date", "note"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "districts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.CONTRACTOR, runs_peer_support=True
        )
        if self.instance.pk:
            self.fields["organisation"].disabled = True
        else:
            self.fields["fiscal_year"].initial = fiscal_year_of(timezone.localdate())


class CoordinatorForm(OrganisationForm):
    class Meta:
        model = Coordinator
        fields = [
            "name",
            "name_kana",
            "user",
            "qualification",
            "psw_registration_number",
            "equivalent_note",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_ids = Membership.objects.filter(organisation=self.organisation, role=Role.COORDINATOR).values("user_id")
        self.fields["user"].queryset = self.fields["user"].queryset.filter(pk__in=user_ids)


class SupporterForm(OrganisationForm):
    class Meta:
        model = PeerSupporter
        fields = ["name", "name_kana", "start_date", "status", "status_changed_on", "joined_via", "joined_note", "note"]
        widgets = {"start_date": DateInput(), "status_changed_on": DateInput()}


class ConditionsForm(OrganisationForm):
    class Meta:
        model = SupporterConditions
        fields = ["told_on", "activity_description", "hourly_pay", "expected_hours", "note"]
        widgets = {"told_on": DateInput()}


class PledgeForm(OrganisationForm):
    class Meta:
        model = Pledge
        fields = ["signed_on", "provisions_version", "explained_by", "valid_until", "withdrawn_on", "scan", "note"]
        widgets = {
            "signed_on": DateInput(),
            "valid_until": DateInput(),
            "withdrawn_on": DateInput(),
            "scan": PrivateFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.scan:
            self.fields["scan"].help_text = "登録済みの写しがあります。新しいファイルを選ぶと差し替えます。" + str(
                self.fields["scan"].help_text
            )


class PersonForm(OrganisationForm):
    hospital = HospitalChoiceField(label="入院先の病院", queryset=_hospital_queryset(), required=False)

    class Meta:
        model = PersonSupported
        fields = [
            "code",
            "hospital",
            "support_started_on",
            "discharged_on",
            "community_support_started_on",
            "community_support_note",
            "note",
        ]
        widgets = {
            "support_started_on": DateInput(),
            "discharged_on": DateInput(),
            "community_support_started_on": DateInput(),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        duplicates = PersonSupported.objects.filter(organisation=self.organisation, code=code).exclude(
            pk=self.instance.pk
        )
        if code and duplicates.exists():
            raise forms.ValidationError("この対象者コードは既に使われています。")
        return code


class ActivityForm(OrganisationForm):
    hospital = HospitalChoiceField(
        label="病院",
        queryset=_hospital_queryset(),
        required=False,
        help_text="院内グループワーク・同行外出（要綱第4条1(1)ア）では必須です。",
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "date",
            "start_time",
            "end_time",
            "district",
            "hospital",
            "participants",
            "people",
            "coordinator",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "people": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "date": "委託契約の期間内で、区域が契約の区域に含まれている必要があります。",
            "people": "コードで選びます（氏名は記録しません）。Ctrlキーを押しながら複数選べます。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Coordinator.objects.filter(organisation=self.organisation)
        self.fields["people"].queryset = PersonSupported.objects.filter(organisation=self.organisation)
        self.fields["people"].required = False


class SupporterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerSupporter) -> str:
        mark = "" if getattr(obj, "has_valid_pledge", True) else "（有効な誓約書なし）"
        return f"{obj.name}（{obj.name_kana}）{mark}"


class SupporterRowForm(forms.Form):
    """One peer supporter's part in an activity: hours and pay (要綱第4条1(2)ウ)."""

    supporter = SupporterChoiceField(label="ピアサポーター", queryset=PeerSupporter.objects.none(), required=False)
    hours = forms.DecimalField(
        label="活動時間（時間）", min_value=0, max_value=24, max_digits=4, decimal_places=2, required=False
    )
    pay = forms.IntegerField(label="謝金（円）", min_value=0, required=False)

    def __init__(self, *args, supporters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if supporters is not None:
            self.fields["supporter"].queryset = supporters
        self.fields["hours"].widget.attrs.update(step="0.25")
        # The rows sit under column headings with no <label>: name each input for screen readers.
        index = (self.prefix or "").rpartition("-")[2]
        row = f"{int(index) + 1}行目の" if index.isdigit() else ""
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{row}{field.label}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("supporter") and cleaned.get("hours") is None:
            self.add_error("hours", "活動時間を入力してください。")
        if not cleaned.get("supporter") and (cleaned.get("hours") is not None or cleaned.get("pay") is not None):
            self.add_error("supporter", "ピアサポーターを選んでください。")
        return cleaned


def supporter_rows_formset(*, organisation, day, data=None, initial=None, extra=3):
    formset_class = formset_factory(SupporterRowForm, extra=extra)
    day = day or timezone.localdate()
    # Supporters already on the activity stay choosable even if they are no longer active.
    ids = [getattr(row["supporter"], "pk", row["supporter"]) for row in initial or []]
    supporters = supporters_for_activity(organisation=organisation, day=day, include_ids=ids)
    return formset_class(data=data, initial=initial, prefix="supporters", form_kwargs={"supporters": supporters})


class CourseForm(OrganisationForm):
    class Meta:
        model = Course
        fields = ["kind", "date", "title", "venue", "district", "participants", "note"]
        widgets = {"date": DateInput()}


TraineeFormSet = inlineformset_factory(
    Course, Trainee, fields=["name", "name_kana", "completed"], extra=3, can_delete=True
)


class CouncilReportForm(OrganisationForm):
    class Meta:
        model = CouncilReport
        fields = ["date", "council", "district", "outcomes", "effects", "issues"]
        widgets = {"date": DateInput()}
        help_texts = {"council": "保健所ごとの保健・医療・福祉関係者による協議の場（要綱第5条3）。"}


class ExpenditureForm(OrganisationForm):
    class Meta:
        model = Expenditure
        fields = ["contract", "date", "category", "amount", "payee", "note"]
        widgets = {"date": DateInput()}
        help_texts = {"contract": "本事業の経理は他の事業と区別して記録します（要綱第5条4）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(organisation=self.organisation)
        if not self.instance.pk:
            current = self.fields["contract"].queryset.filter(fiscal_year=fiscal_year_of(timezone.localdate()))
            self.fields["contract"].initial = current.values_list("pk", flat=True).first()


class HealthCentreActivityForm(OrganisationForm):
    hospital = HospitalChoiceField(
        label="要請先の病院",
        queryset=_hospital_queryset(),
        required=False,
        help_text="病院への協力要請（要綱第4条2(2)）の場合に選びます。",
    )

    class Meta:
        model = HealthCentreActivity
        fields = [
            "date",
            "kind",
            "title",
            "hospital",
            "audience_municipalities",
            "audience_hospitals",
            "audience_providers",
            "audience_residents",
            "audience_others",
            "note",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        centre = getattr(self.organisation, "health_centre", None)
        if centre is not None:
            self.fields["hospital"].queryset = _hospital_queryset().filter(health_centre=centre)


class HospitalForm(forms.ModelForm):
    class Meta:
        model = Hospital
        fields = ["health_centre", "name", "address", "sort_order", "is_active"]
        help_texts = {"is_active": "閉院した病院は無効にします（過去の活動記録は残ります）。"}
