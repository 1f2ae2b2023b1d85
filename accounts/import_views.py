"""Upload → dry-run preview → confirm: the import screens every registered kind shares."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import XLSX_CONTENT_TYPE
from accounts.import_registry import ImportKind, import_kinds, kinds_for, template_xlsx
from accounts.imports import MAX_UPLOAD_BYTES, TOO_LARGE, ImportFileError, read_upload, run_import

SESSION_KEY = "pending_imports"
PREVIEW_ROWS = 100


class UploadForm(forms.Form):
    file = forms.FileField(
        label="取り込むファイル",
        help_text=f"Excel（.xlsx）または CSV（.csv、UTF-8 / Shift_JIS）。{MAX_UPLOAD_BYTES // (1024 * 1024)}MB まで。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:  # refused before its bytes are read into memory
            raise forms.ValidationError(TOO_LARGE)
        return upload


def _kind_for(request, key: str) -> ImportKind:
    kind = import_kinds().get(key)
    if kind is None:
        raise Http404("見つかりません")
    if request.user.role not in kind.roles:
        raise PermissionDenied("この取込を利用する権限がありません。")
    return kind


def _pending_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@require_GET
def import_index(request):
    kinds = kinds_for(request.user.role)
    if not kinds:
        raise PermissionDenied("この画面を利用する権限がありません。")
    return render(request, "accounts/import_index.html", {"kinds": kinds})


@require_GET
def import_template(request, key: str):
    kind = _kind_for(request, key)
    response = HttpResponse(template_xlsx(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(kind.label)}_取込テンプレート.xlsx"
    )
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request, key: str):
    kind = _kind_for(request, key)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = read_upload(upload.name, content)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            resource = kind.resource_class(organisation=request.user.organisation, user=request.user)
            outcome = run_import(resource, dataset, dry_run=True, required=kind.required_columns)
            token = ""
            if outcome.ok:
                token = secrets.token_urlsafe(16)
                suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
                (_pending_dir() / f"{token}{suffix}").write_bytes(content)
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {"kind": kind.key, "name": upload.name, "suffix": suffix}
                request.session[SESSION_KEY] = pending
            return render(
                request,
                "accounts/import_preview.html",
                {
                    "kind": kind,
                    "outcome": outcome,
                    "token": token,
                    "filename": upload.name,
                    "header": dataset.headers,
                    "preview": outcome.preview[:PREVIEW_ROWS],
                },
            )
    return render(request, "accounts/import_upload.html", {"kind": kind, "form": form})


@require_POST
def import_confirm(request, key: str):
    kind = _kind_for(request, key)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if not entry or entry["kind"] != kind.key:
        messages.error(request, "取込の有効期限が切れました。もう一度ファイルをアップロードしてください。")
        return redirect("accounts:import_upload", key=kind.key)
    path = _pending_dir() / f"{token}{entry['suffix']}"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, "取込の有効期限が切れました。もう一度ファイルをアップロードしてください。")
        return redirect("accounts:import_upload", key=kind.key)
    path.unlink(missing_ok=True)
    resource = kind.resource_class(organisation=request.user.organisation, user=request.user)
    outcome = run_import(resource, read_upload(entry["name"], content), dry_run=False, required=kind.required_columns)
    if not outcome.ok:
        return render(
            request,
            "accounts/import_preview.html",
            {"kind": kind, "outcome": outcome, "token": "", "filename": entry["name"], "header": [], "preview": []},
        )
    unchanged = f"、変更なし {outcome.unchanged} 件" if outcome.unchanged else ""
    if outcome.examples:
        unchanged += f"、記入例の行 {outcome.examples} 件は取り込んでいません"
    messages.success(
        request, f"{kind.label}を取り込みました（新規 {outcome.new} 件、更新 {outcome.update} 件{unchanged}）。"
    )
    return redirect(kind.list_url_name)
