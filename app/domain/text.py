"""Vietnamese text helpers: diacritic-insensitive folding and name sorting (DOMAIN §3)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# Characters that hide or break a text: controls (NUL cannot be stored by PostgreSQL), format
# characters (bidirectional overrides, zero-width) and lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Allowed in multi-line fields (notes typed on a page).
LINE_BREAKS = frozenset("\t\n\r")


def has_hidden_characters(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Does `text` hold a control, format or surrogate character outside `allowed`? The one
    rule for what people type, on the pages and in the API alike."""
    return any(unicodedata.category(ch) in _HIDDEN_CATEGORIES and ch not in allowed for ch in text)


# Modifiers that make a distinct letter (ă â ê ô ơ ư); they are part of the letter, not the tone.
_BREVE = "\u0306"
_CIRCUMFLEX = "\u0302"
_HORN = "\u031b"
_LETTER_MARKS = frozenset({_BREVE, _CIRCUMFLEX, _HORN})

# Dictionary order of tones: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Vietnamese alphabet; f, j, w, z are not Vietnamese letters but appear in names of other
# origins, so they take their Latin places.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_ORDER = {letter: index for index, letter in enumerate(_ALPHABET)}


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    """Return ``s`` compared "ignoring diacritics" (DOMAIN §3).

    NFD-decompose, drop every combining mark, map đ/Đ to d, casefold, trim and collapse inner
    whitespace, so that ``fold("  Thuỷ ") == fold("Thủy") == "thuy"``.
    """
    decomposed = unicodedata.normalize("NFD", s)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = kept.replace("đ", "d").replace("Đ", "d")
    return " ".join(kept.casefold().split())


def _letter_key(ch: str) -> tuple[tuple[int, int], int]:
    """Return ((class, position), tone) for one character of a casefolded word."""
    if ch == "đ":
        return (1, _LETTER_ORDER["đ"]), 0
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    tone = max((_TONES.get(mark, 0) for mark in marks), default=0)
    modifiers = "".join(mark for mark in marks if mark in _LETTER_MARKS)
    letter = unicodedata.normalize("NFC", base + modifiers)
    if letter in _LETTER_ORDER:
        return (1, _LETTER_ORDER[letter]), tone
    # Digits and punctuation sort before letters, by code point; unknown letters after z.
    group = 2 if base.isalpha() else 0
    return (group, ord(base)), tone


@lru_cache(maxsize=16384)  # names are made of a few hundred words, over and over
def _word_key(word: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Return (letters, tones) so that tones only break ties between equal letters.

    Tones are kept without their position, so the old and new spellings ``Thuỷ``/``Thủy`` tie.
    """
    keys = [_letter_key(ch) for ch in unicodedata.normalize("NFC", word.casefold())]
    return tuple(letter for letter, _ in keys), tuple(tone for _, tone in keys if tone)


def vietnamese_name_key(full_name: str) -> tuple:
    """Return a sort key ordering names the Vietnamese way.

    Names sort by given name (last word), then the middle name(s) left to right (no middle name
    first), then the family name (first word). Each word compares in Vietnamese alphabetical
    order (a < ă < â < b < … < đ < … < ư < … < y) ignoring letter case, with the tone as a
    tie-breaker between otherwise equal words (none < huyền < hỏi < ngã < sắc < nặng), so
    ``An < Ân < Bình``.
    """
    words = full_name.split()
    if not words:
        return ((), (), ())
    given = _word_key(words[-1])
    middle = tuple(_word_key(word) for word in words[1:-1])
    # A one-word name has no family name; the empty key sorts it before same-named others.
    family = _word_key(words[0]) if len(words) > 1 else _word_key("")
    return given, middle, family


def pick_by_name(
    name: str, candidates: Iterable[tuple[str, T]]
) -> tuple[T | None, tuple[str, ...]]:
    """The one thing named `name` among (name, thing) candidates (DOMAIN §5.1 leniency): the
    exact name first, else the only one whose name is equal ignoring diacritics and case.

    (thing, ()) when found; (None, the names that match) when several do; (None, ()) when none.
    Candidates whose names fold differently are ignored, so a caller may pass more.
    """
    name = name.strip()
    wanted = fold(name)
    matches = [(found, thing) for found, thing in candidates if fold(found) == wanted]
    for found, thing in matches:
        if found == name:
            return thing, ()
    if len(matches) == 1:
        return matches[0][1], ()
    return None, tuple(sorted(found for found, _thing in matches))
