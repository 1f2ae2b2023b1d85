from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.directory import roles_for
from accounts.models import AuditAction, AuditEvent, Organisation, OrganisationKind, User, object_type_label


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
    object_type = forms.ChoiceField(label="対象の種類", required=False)
    object_id = forms.CharField(label="対象ID", required=False)
    date_from = forms.DateField(label="期間（から）", required=False, widget=DateInput())
    date_to = forms.DateField(label="期間（まで）", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = AuditEvent.objects.exclude(object_type="").values_list("object_type", flat=True).distinct()
        labelled = sorted((object_type_label(key), key) for key in recorded)
        self.fields["object_type"].choices = [("", "すべて"), *((key, label) for label, key in labelled)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "終了日は開始日以降の日付にしてください。")
        return cleaned


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "name_kana",
            "kind",
            "health_centre",
            "runs_peer_support",
            "runs_outreach",
            "representative",
            "address",
            "phone",
            "require_two_factor",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Import commands and audit rows refer to organisations by code: it never changes.
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True


class MemberForm(forms.ModelForm):
    """Name, mail and role of a member; the organisation is fixed by the page the form is on."""

    role = forms.ChoiceField(label="役割")

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "role", "is_active"]
        labels = {"last_name": "姓", "first_name": "名", "email": "メールアドレス"}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for(organisation)
        self.fields["last_name"].required = True
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["role"].initial = self.instance.role
        else:
            del self.fields["is_active"]


class NewMemberForm(MemberForm):
    """A new member gets a first password from prefecture staff, checked by the password rules."""

    password1 = forms.CharField(
        label="初期パスワード",
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text="10文字以上。氏名・ユーザー名に似たもの、よく使われるもの、数字だけのものは使えません。",
    )
    password2 = forms.CharField(
        label="初期パスワード（確認）", widget=forms.PasswordInput(render_value=False), strip=False
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "確認用のパスワードが一致しません。")
        elif first:
            candidate = User(
                username=cleaned.get("username", ""),
                last_name=cleaned.get("last_name", ""),
                first_name=cleaned.get("first_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
