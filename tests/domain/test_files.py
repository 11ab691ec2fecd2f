"""Names of uploaded files as shown and downloaded (app.domain.files)."""

import pytest

from app.domain.files import clean_file_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bang-thac-si.pdf", "bang-thac-si.pdf"),
        ("Bằng cử nhân.pdf", "Bằng cử nhân.pdf"),
        ("C:\\Users\\lan\\bang.pdf", "bang.pdf"),
        ("../../etc/passwd", "passwd"),
        # right-to-left override: "bang\u202egpj.exe" shows as "bangexe.jpg"
        ("bang\u202egpj.exe", "banggpj.exe"),
        ("a\u202ab\u202bc\u202cd\u202de\u202ef", "abcdef"),
        ("a\u2066b\u2067c\u2068d\u2069e", "abcde"),
        ("a\u200eb\u200fc\u061cd", "abcd"),
        ("zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"),
        ("line\r\nbreak\x00.pdf", "linebreak.pdf"),
        ("tab\tand\x7fdel\x85.pdf", "tabanddel.pdf"),
        ("sep\u2028ar\u2029ators.pdf", "separators.pdf"),
        ("  spaced\u00a0\u3000out  .pdf ", "spaced out .pdf"),
        ("\u202e\u200f", "tep"),
        ("", "tep"),
        (None, "tep"),
    ],
)
def test_clean_file_name(name, expected):
    assert clean_file_name(name) == expected


def test_clean_file_name_limits_length_and_takes_a_default():
    assert clean_file_name("x" * 300 + ".pdf") == "x" * 255
    assert clean_file_name("x" * 30, limit=10) == "x" * 10
    assert clean_file_name("\u202e", default="scan") == "scan"
