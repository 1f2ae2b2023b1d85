"""Private storage for approved report PDFs: outside every public URL, streamed by a checked view."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/reporting; read lazily so tests can point it elsewhere."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "reporting")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name) -> str:
        raise ValueError("非公開ファイルには公開URLがありません。ダウンロード用の画面から取得してください。")


private_storage = PrivateStorage()


def approved_pdf_name(instance, filename: str) -> str:
    """approved/2025/<report id>-<timestamp>.pdf: a re-approval never overwrites the earlier file."""
    stamp = (instance.approved_at.strftime("%Y%m%d%H%M%S") if instance.approved_at else "undated") or "undated"
    return f"approved/{instance.fiscal_year}/{instance.pk}-{instance.program}-{stamp}.pdf"
