from django import template

from accounts import wareki as wareki_helpers

register = template.Library()


@register.filter
def wareki(value) -> str:
    """{{ activity.date|wareki }} → 令和7年4月1日"""
    return wareki_helpers.to_wareki(value) if value else ""


@register.filter
def wareki_short(value) -> str:
    """{{ activity.date|wareki_short }} → R7.4.1"""
    return wareki_helpers.to_wareki_short(value) if value else ""


@register.filter
def nendo(year) -> str:
    """{{ 2025|nendo }} → 令和7年度"""
    return wareki_helpers.fiscal_year_label(int(year)) if year not in (None, "") else ""


@register.filter
def yen(value) -> str:
    """{{ 1234567|yen }} → 1,234,567円"""
    if value in (None, ""):
        return ""
    return f"{int(value):,}円"
