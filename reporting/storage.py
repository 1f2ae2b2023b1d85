"""Private storage for approved report PDFs: outside every public URL, streamed by a checked view."""

from __future__ import annotations

from django.utils.deconstruct import deconstructible

from accounts.storage import PrivateFolderStorage


@deconstructible
class PrivateStorage(PrivateFolderStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/reporting."""

    folder = "reporting"


private_storage = PrivateStorage()


def approved_pdf_name(instance, filename: str) -> str:
    """approved/2025/<report id>-<timestamp>.pdf: a re-approval never overwrites the earlier file."""
    stamp = (instance.approved_at.strftime("%Y%m%d%H%M%S") if instance.approved_at else "undated") or "undated"
    return f"approved/{instance.fiscal_year}/{instance.pk}-{instance.program}-{stamp}.pdf"
