"""Names of uploaded files as people see them: never trusted, never used on disk.

A name that came with an upload is shown on pages and sent back in Content-Disposition. Control
characters, bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
left-to-right and right-to-left marks (U+200E/F) and other invisible format characters could
make "gcod.exe" look like "exe.docg" or break a header; they are removed, as is any folder part.
"""

from __future__ import annotations

import unicodedata

# Cc: controls (NUL, newline, DEL, C1); Cf: format characters (bidi controls, marks, zero-width
# characters, BOM); Zl/Zp: line and paragraph separators; Cs/Co/Cn: surrogates, private use,
# unassigned.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
MAX_FILE_NAME = 255


def clean_file_name(name: str | None, default: str = "tep", limit: int = MAX_FILE_NAME) -> str:
    """Return `name` safe to show and to send as a download name.

    Keeps only the last path component (either slash), drops control, bidirectional and other
    invisible format characters, turns any other kind of space into a plain one, collapses
    spaces, trims, and cuts to `limit` characters; `default` when nothing is left.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES:
            continue
        kept.append(" " if category == "Zs" else char)
    cleaned = " ".join("".join(kept).split())[:limit].strip()
    return cleaned or default
