"""Private file storage: outside every public URL, files are streamed only by a view that checks access."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFolderStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/<folder>; read lazily so tests can point it elsewhere.

    Each app subclasses it with its `folder` (and @deconstructible), so migrations name the app's class.
    """

    folder = ""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / self.folder)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name) -> str:
        raise ValueError("非公開ファイルには公開URLがありません。ダウンロード用の画面から取得してください。")
