"""Template helpers of the reports: figures as they read (1,234), small cells suppressed, bar charts."""

from __future__ import annotations

from django import template

from reporting.registry import display

register = template.Library()


@register.filter
def figure(value) -> str:
    """1234 → 1,234; Decimal('12.50') → 12.5; a Cell reads as its value."""
    return str(value) if hasattr(value, "url") else display(value)


@register.filter
def is_numeric_column(section, index: int) -> bool:
    return section.is_numeric(index)


@register.filter
def index(sequence, position: int):
    return sequence[position]


@register.filter
def change(comparison, attribute: str) -> str:
    """The change against the previous 年度, signed: +3 / -2 / ±0."""
    difference = comparison.change(attribute)
    if not difference:
        return "±0"
    return f"+{display(difference)}" if difference > 0 else f"-{display(-difference)}"


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def attribute(obj, name: str):
    return getattr(obj, name)
