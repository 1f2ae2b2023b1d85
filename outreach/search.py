"""The normalised search key for names: width-, kana- and space-insensitive."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Hiragana ぁ (U+3041) … ゖ (U+3096) map to katakana 0x60 code points higher; ゝゞ likewise.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in [*range(0x3041, 0x3097), 0x309D, 0x309E]}


def katakana(value: str) -> str:
    """フリガナ as it is stored: ﾔﾏﾀﾞ / やまだ → ヤマダ, runs of spaces (half- or full-width) as one space."""
    text = unicodedata.normalize("NFKC", value or "").translate(_HIRAGANA_TO_KATAKANA)
    return " ".join(text.split())


def search_key(*parts: str) -> str:
    """NFKC (ﾔﾏﾀﾞ → ヤマダ, Ａ → A), hiragana → katakana, no spaces, case-folded.

    Parts are joined with "|" so a query cannot match across the name and its reading.
    """
    return "|".join(_normalise(part) for part in parts if part)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA)
    return _SPACES.sub("", text).casefold()


def normalise_query(text: str) -> str:
    return _normalise(text).replace("|", "")
