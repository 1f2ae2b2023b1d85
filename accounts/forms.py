from django import forms

from accounts.models import AuditAction, Organisation, OrganisationKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="検索（名称・コード）", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *OrganisationKind.choices])


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="ユーザー名", required=False)
    organisation = forms.ModelChoiceField(label="組織", queryset=Organisation.objects.all(), required=False)
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "すべて"), *AuditAction.choices])
    object_type = forms.CharField(label="対象の種類", required=False)
    object_id = forms.CharField(label="対象ID", required=False)
    date_from = forms.DateField(label="期間（から）", required=False, widget=DateInput())
    date_to = forms.DateField(label="期間（まで）", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "終了日は開始日以降の日付にしてください。")
        return cleaned
