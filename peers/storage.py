"""Private file storage for scanned pledges: outside every public URL, streamed by a checked view."""

from __future__ import annotations

import os
import uuid

from django.utils.deconstruct import deconstructible

from accounts.storage import PrivateFolderStorage


@deconstructible
class PrivateStorage(PrivateFolderStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/peers."""

    folder = "peers"


private_storage = PrivateStorage()


def random_pledge_name(instance, filename: str) -> str:
    """A random name: the original file name (which may hold a person's name) is never stored."""
    extension = os.path.splitext(filename)[1].lower()
    extension = {".jpeg": ".jpg"}.get(extension, extension)
    return f"pledges/{uuid.uuid4().hex}{extension}"
