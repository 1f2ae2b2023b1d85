from django.utils import timezone

from accounts import navigation
from accounts.wareki import fiscal_year_label, fiscal_year_of, to_wareki


def navigation_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    today = timezone.localdate()
    return {
        "nav_sections": navigation.sections_for(user.role),
        "current_fiscal_year_label": fiscal_year_label(fiscal_year_of(today)),
        "today_wareki": to_wareki(today),
    }
