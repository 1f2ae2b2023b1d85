"""Private file storage for scanned pledges: outside every public URL, streamed by a checked view."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/peers; read lazily so tests can point it elsewhere."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "peers")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name) -> str:
        raise ValueError("非公開ファイルには公開URLがありません。ダウンロード用の画面から取得してください。")


private_storage = PrivateStorage()


def random_pledge_name(instance, filename: str) -> str:
    """A random name: the original file name (which may hold a person's name) is never stored."""
    extension = os.path.splitext(filename)[1].lower()
    extension = {".jpeg": ".jpg"}.get(extension, extension)
    return f"pledges/{uuid.uuid4().hex}{extension}"
