"""Certificate numbers and the certificate as a PDF (DOMAIN §7, issue 13).

The PDF is made by fpdf2 (pure Python) with the DejaVu Sans font bundled in ./fonts (its
licence beside it), so that every Vietnamese letter prints whatever the server has installed;
the QR code of the public verification address is drawn by segno (app.qr, pure Python).
"""

from __future__ import annotations

import io
import secrets
import unicodedata
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

from ..domain.ladders import LADDERS
from ..i18n import code_label, format_date, label
from ..notifications.outbox import absolute_url
from ..notifications.services import path_for
from ..qr import png as qr_png
from .models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a number read aloud or typed from paper is not mistaken.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
PREFIX = "BT"
GROUPS = 4
GROUP_SIZE = 4  # 16 symbols of 25: about 74 bits, never guessed through the rate limit


def new_number() -> str:
    """A random certificate number, e.g. "BT-7HKC-Q4XM-9TEA-N3WD" (secrets, not random)."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS))
    return "-".join((PREFIX, *groups))


def normalise_number(text: str) -> str:
    """The stored form of a number typed or scanned: upper case, without blanks."""
    return "".join((text or "").split()).upper()


def verification_url(number: str) -> str:
    """The public address that verifies the certificate (PUBLIC_BASE_URL, else this host)."""
    return absolute_url(path_for("attendance.verify", number=number))


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _dates(certificate: Certificate) -> str:
    first, last = certificate.first_day, certificate.issued_on
    if first is None or first == last:
        return format_date(last)
    return _("từ %(first)s đến %(last)s", first=format_date(first), last=format_date(last))


def award_label(ladder: str, level: str) -> str:
    """What a certificate or a course awards, in words: "Lý luận chính trị: Trung cấp"."""
    return f"{label(LADDERS[ladder])}: {code_label(ladder, level)}"


def _award(certificate: Certificate) -> str:
    return award_label(certificate.ladder, certificate.level)


class _Page(FPDF):
    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(False)
        self.set_margins(20, 15, 20)

    def line_of(self, text: str, size: int, bold: bool = False, gap: float = 2) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, _nfc(text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes: the organizer, her name, the course, its dates, what it
    awards, the number, the issue date and the QR code of the verification page."""
    page = _Page()
    page.set_title(_nfc(_("Giấy chứng nhận %(number)s", number=certificate.number)))
    page.set_creator("ccvc-nu")
    page.add_page()
    page.set_draw_color(120, 30, 40)
    page.set_line_width(1.2)
    page.rect(8, 8, page.w - 16, page.h - 16)
    page.line_of(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True, gap=0)
    page.line_of(_("Độc lập - Tự do - Hạnh phúc"), 11, gap=4)
    page.line_of(certificate.course.organizer.name.upper(), 12, bold=True, gap=8)
    page.line_of(_("GIẤY CHỨNG NHẬN"), 28, bold=True, gap=6)
    page.line_of(_("Chứng nhận"), 12, gap=1)
    page.line_of(certificate.official.full_name, 22, bold=True, gap=5)
    page.line_of(_("đã hoàn thành khóa học"), 12, gap=1)
    page.line_of(certificate.course.title, 16, bold=True, gap=3)
    page.line_of(_("Thời gian học: %(dates)s", dates=_dates(certificate)), 12, gap=1)
    page.line_of(_("Trình độ được công nhận: %(award)s", award=_award(certificate)), 12, gap=8)
    url = verification_url(certificate.number)
    page.image(io.BytesIO(qr_png(url)), x=page.w - 20 - 38, y=page.h - 20 - 38, w=38, h=38)
    page.set_xy(20, page.h - 48)
    page.set_font("DejaVu", "", 11)
    page.cell(
        0, 6, _nfc(_("Số: %(number)s", number=certificate.number)), new_x="LMARGIN", new_y="NEXT"
    )
    page.cell(
        0,
        6,
        _nfc(_("Ngày cấp: %(day)s", day=format_date(certificate.issued_on))),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    page.set_font("DejaVu", "", 8)
    page.cell(0, 5, _nfc(_("Kiểm tra giấy chứng nhận tại: %(url)s", url=url)))
    return bytes(page.output())
