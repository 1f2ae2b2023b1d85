from __future__ import annotations

from django import forms

from accounts.models import Program
from reporting.models import TEXT_FIELDS, AnnualReport
from reporting.selectors import GRID_STATUSES, report_year_default


class ReportFilterForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    program = forms.ChoiceField(label="事業", required=False, choices=[("", "すべて"), *Program.choices])
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *GRID_STATUSES])
    q = forms.CharField(label="受託事業者（名称・フリガナ）", required=False)

    def __init__(self, *args, years: list[int], show_program: bool = True, **kwargs):
        from accounts.wareki import fiscal_year_label

        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(year, fiscal_year_label(year)) for year in years]
        self.fields["fiscal_year"].initial = report_year_default()
        if not show_program:
            del self.fields["program"]
            del self.fields["q"]


class YearForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        from accounts.wareki import fiscal_year_label

        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(year, fiscal_year_label(year)) for year in years]
        self.fields["fiscal_year"].initial = report_year_default()


class ReportStartForm(forms.Form):
    """The start button of a 年度's report: the 年度, and for outreach the agency it is made for
    (one report per agency: a worker may choose only an agency they are placed in)."""

    fiscal_year = forms.TypedChoiceField(
        coerce=int, error_messages=dict.fromkeys(("required", "invalid_choice"), "年度の指定が正しくありません。")
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        error_messages={"invalid_choice": "報告書を作成する機関（自立相談支援機関）を選んでください。"},
    )

    def __init__(self, *args, user, program: str, **kwargs):
        from outreach.models import Agency
        from reporting.models import placed_agencies
        from reporting.selectors import report_year_choices

        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(year, year) for year in report_year_choices()]
        if program != Program.OUTREACH:
            del self.fields["agency"]  # a peer-support report is the contractor's own
            return
        agency = self.fields["agency"]
        agency.queryset = Agency.objects.filter(pk__in=placed_agencies(user))
        agency.error_messages["required"] = agency.error_messages["invalid_choice"]


_TEXT_HELP = {
    "outcomes_text": "事業を実施して得られた成果（退院者数の推移、地域定着の状況など）を記述してください。",
    "effects_text": "事業の効果（病院・地域の関係機関との連携の変化、ピアサポーターの活躍など）を記述してください。",
    "issues_text": "実施して見えた課題と、来年度以降の取組を記述してください。",
}


class ReportTextsForm(forms.ModelForm):
    """The free texts the contractor writes; which ones depends on the program's builder."""

    class Meta:
        model = AnnualReport
        fields = [name for name, _label in TEXT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name, _label in TEXT_FIELDS}

    def __init__(self, *args, text_fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in text_fields:
                del self.fields[name]
            else:
                self.fields[name].help_text = _TEXT_HELP.get(name, "")


class ActionForm(forms.Form):
    comment = forms.CharField(label="コメント", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str, required: bool, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.label, field.required, field.help_text = label, required, help_text
        if required:
            field.error_messages["required"] = f"{label}を入力してください。"
