from datetime import date, datetime

from django import template

from accounts.wareki import to_wareki

register = template.Library()


@register.simple_tag
def cell(value, column=None):
    """A list or detail value as people read it: 和暦 dates, はい/いいえ, 1,234円."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime | date):
        return to_wareki(value)
    if column is not None and getattr(column, "yen", False):
        return f"{int(value):,}円"
    return value
