from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str) -> str:
    """A column header that toggles ascending/descending order, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("sort", context.get("current_sort", ""))
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], marker = f"-{key}", " ▲"
    elif current == f"-{key}":
        params["sort"], marker = key, " ▼"
    else:
        params["sort"], marker = key, ""
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, marker)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def export_url(context, url: str, **extra) -> str:
    """The export link for a list: the same filters and order as the page on screen."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in extra.items():
        params[key] = value
    return f"{url}?{params.urlencode()}" if params else url
