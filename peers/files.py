"""Checks on uploaded scans: the bytes decide the type, not the file name."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError

MAX_SCAN_BYTES = 5 * 1024 * 1024

# content type, magic bytes at offset 0, extensions that may carry it
SCAN_TYPES = (
    ("application/pdf", b"%PDF-", (".pdf",)),
    ("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    ("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)


def sniff_scan_type(head: bytes, filename: str) -> str | None:
    extension = os.path.splitext(filename or "")[1].lower()
    for content_type, magic, extensions in SCAN_TYPES:
        if head.startswith(magic) and extension in extensions:
            return content_type
    return None


def validate_scan(value) -> None:
    """Field validator: PDF, JPEG or PNG by magic bytes, at most 5 MB. Stored files are not re-read."""
    if not value or getattr(value, "_committed", True):
        return
    if value.size > MAX_SCAN_BYTES:
        raise ValidationError(
            f"ファイルが大きすぎます（{value.size / 1024 / 1024:.1f}MB）。5MB以下にしてください。", code="too_large"
        )
    value.seek(0)
    head = value.read(16)
    value.seek(0)
    if sniff_scan_type(head, value.name) is None:
        raise ValidationError(
            "PDF・JPEG・PNGのファイルのみ登録できます（ファイルの中身と拡張子を確認してください）。",
            code="bad_type",
        )


def scan_content_type(value) -> str:
    value.seek(0)
    head = value.read(16)
    value.seek(0)
    return sniff_scan_type(head, value.name) or "application/octet-stream"
