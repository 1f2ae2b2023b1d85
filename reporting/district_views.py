"""区域の集計: health-centre staff see their own district (any other → 404); prefecture staff all of them.

A district is master data named in the URL by its health-centre code (HC01 …), not a record id.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.audit import audit
from accounts.decorators import role_required
from accounts.models import AuditAction, HealthCentre, Role
from accounts.wareki import fiscal_year_label
from peers.selectors.report import district_years
from reporting.district import all_districts_section, district_document
from reporting.forms import YearForm
from reporting.pdf import JapaneseFontMissing, ensure_japanese_font
from reporting.selectors import report_year_choices, report_year_default
from reporting.views import _download

DISTRICT_ROLES = (Role.PREFECTURE, Role.HEALTH_CENTRE)


def _fiscal_year(request) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None, years=report_year_choices())
    chosen = form.cleaned_data.get("fiscal_year") if form.is_valid() else None
    return form, chosen or report_year_default()


def _district_for(user, code: str) -> HealthCentre:
    """The district if the user may see it: a health centre only its own, as 404 otherwise."""
    districts = HealthCentre.objects.all()
    if user.role == Role.HEALTH_CENTRE:
        organisation = user.organisation
        districts = districts.filter(pk=organisation.health_centre_id if organisation else None)
    district = districts.filter(code=code).first()
    if district is None:
        # Another district (or a guessed code) is a refusal: written like every other one.
        audit(user, AuditAction.PERMISSION_DENIED, object_type="accounts.HealthCentre", object_id=str(code)[:64])
        raise Http404("見つかりません")
    return district


@require_GET
@role_required(*DISTRICT_ROLES)
def district_index(request):
    user = request.user
    form, fiscal_year = _fiscal_year(request)
    if user.role == Role.HEALTH_CENTRE:
        organisation = user.organisation
        if organisation is None or organisation.health_centre_id is None:
            raise Http404("見つかりません")
        return redirect(f"{_url(organisation.health_centre.code)}?fiscal_year={fiscal_year}")
    districts = list(HealthCentre.objects.order_by("sort_order", "code"))
    entries = district_years(fiscal_year=fiscal_year, detail=False)  # the comparison needs no hospital tables
    return render(
        request,
        "reporting/district_index.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "districts": districts,
            "section": all_districts_section(entries, districts),
        },
    )


def _url(code: str) -> str:
    return reverse("reporting:district_summary", args=[code])


@require_GET
@role_required(*DISTRICT_ROLES)
def district_summary(request, code: str):
    district = _district_for(request.user, code)
    form, fiscal_year = _fiscal_year(request)
    document = district_document(district=district, fiscal_year=fiscal_year)
    districts = (
        list(HealthCentre.objects.order_by("sort_order", "code")) if request.user.role == Role.PREFECTURE else []
    )
    return render(
        request,
        "reporting/district_summary.html",
        {**document, "form": form, "districts": districts, "year_label": fiscal_year_label(fiscal_year)},
    )


@require_GET
@role_required(*DISTRICT_ROLES)
def district_pdf(request, code: str):
    from weasyprint import HTML

    district = _district_for(request.user, code)
    _form, fiscal_year = _fiscal_year(request)
    document = district_document(district=district, fiscal_year=fiscal_year)
    try:
        ensure_japanese_font()
    except JapaneseFontMissing as error:
        messages.error(request, error.message)
        return redirect(_url(district.code))
    html = render_to_string(
        "reporting/pdf/district.html", {**document, "year_label": fiscal_year_label(fiscal_year), "is_pdf": True}
    )
    content = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    audit(
        request.user, AuditAction.EXPORT, object_type="reporting.DistrictSummary", detail=f"{district.pk} {fiscal_year}"
    )
    return _download(content, f"{fiscal_year_label(fiscal_year)}_区域の集計_{district.name}.pdf", "application/pdf")
