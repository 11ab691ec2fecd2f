"""Accounts for officials, created in bulk by HR. Flush, never commit.

Each account: username = the official's code, role `official`, linked to her, her email when
it is free, a random one-time password that must be changed at first sign-in. The passwords
exist only in the returned rows (and the .xlsx made from them): never stored, logged or audited.
"""

import secrets
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select

from ..audit import services as audit
from ..auth import services as auth_services
from ..auth.models import User
from ..domain.sheet import is_formula_like
from ..extensions import db
from ..i18n import code_label
from ..permissions import OFFICIAL
from ..validation import ServiceError
from .models import Official

# No 0/O/o, 1/l/I/i: the password is read off a printed sheet and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105
PASSWORD_LENGTH = 12
# Each password hash costs ~0.1 s: a batch stays well inside a request's time.
MAX_BATCH = 100


def credential_headers() -> tuple[str, ...]:
    return (
        _("Mã cán bộ"),
        _("Họ và tên"),
        _("Đơn vị"),
        _("Tên đăng nhập"),
        _("Vai trò"),
        _("Mật khẩu một lần"),
    )


def one_time_password(length: int = PASSWORD_LENGTH) -> str:
    """A random password from an alphabet without look-alike characters (~70 bits at 12)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def _named(officials) -> str:
    return ", ".join(f"{o.full_name} ({o.code})" for o in officials)


def _refusals(officials: list[Official]) -> list[str]:
    """Why accounts cannot be made for some of `officials` (empty when all can)."""
    ids = [o.id for o in officials]
    linked = set(db.session.scalars(select(User.official_id).where(User.official_id.in_(ids))))
    usernames = {o.code.lower(): o for o in officials}
    taken = {
        name.lower()
        for name in db.session.scalars(
            select(User.username).where(func.lower(User.username).in_(list(usernames)))
        )
    }
    problems = []
    with_account = [o for o in officials if o.id in linked]
    if with_account:
        problems.append(_("Đã có tài khoản: %(names)s.", names=_named(with_account)))
    clashes = [o for o in officials if o.id not in linked and o.code.lower() in taken]
    if clashes:
        problems.append(
            _("Tên đăng nhập trùng mã cán bộ đã được dùng: %(names)s.", names=_named(clashes))
        )
    inactive = [o for o in officials if o.status != "active"]
    if inactive:
        problems.append(_("Không còn công tác: %(names)s.", names=_named(inactive)))
    return problems


def _free_emails(officials: list[Official]) -> set[str]:
    wanted = {o.email.lower() for o in officials if o.email}
    if not wanted:
        return set()
    used = set(db.session.scalars(select(User.email).where(User.email.in_(wanted))))
    return wanted - used


def create_accounts_for(officials, actor=None) -> list[tuple[Official, str, str]]:
    """Create one `official` account per official; [(official, username, password)].

    All or nothing: an official who already has an account, whose code is already a username,
    or who no longer works is refused with her name, and no account is created."""
    officials = list({o.id: o for o in officials}.values())
    if not officials:
        raise ServiceError(_("Chưa chọn cán bộ nào."), "official_ids")
    if len(officials) > MAX_BATCH:
        raise ServiceError(
            _("Mỗi lần chỉ tạo được tối đa %(n)d tài khoản.", n=MAX_BATCH), "official_ids"
        )
    problems = _refusals(officials)
    if problems:
        raise ServiceError(
            " ".join([*problems, _("Chưa tạo tài khoản nào.")]), "official_ids", code="conflict"
        )
    free_emails = _free_emails(officials)
    rows = []
    for official in officials:
        email = official.email.lower() if official.email else None
        if email in free_emails:
            free_emails.discard(email)  # two officials sharing an email: only the first gets it
        else:
            email = None
        password = one_time_password()
        user = auth_services.create_user(
            official.code,
            password,
            [OFFICIAL],
            email=email,
            official_id=official.id,
            must_change_password=True,
        )
        audit.record(
            actor,
            "account.create_for_official",
            user,
            {"username": user.username, "roles": [OFFICIAL], "email": email},
            official_id=official.id,
        )
        rows.append((official, user.username, password))
    db.session.flush()
    return rows


def _text_cell(sheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if is_formula_like(value):
        cell.data_type = "s"  # written as text: a name beginning with "=" is not a formula


def write_credentials_xlsx(rows) -> bytes:
    """The hand-over sheet: code, name, unit, username, role (its label, never its code),
    one-time password; one row each."""
    role = code_label("role", OFFICIAL)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tài khoản")
    for column, header in enumerate(credential_headers(), start=1):
        _text_cell(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for index, (official, username, password) in enumerate(rows, start=2):
        primary = official.primary_appointment
        unit = primary.organization.name if primary is not None else ""
        for column, value in enumerate(
            (official.code, official.full_name, unit, username, role, password), start=1
        ):
            _text_cell(sheet, index, column, value or "")
    for letter, width in zip("ABCDEF", (14, 30, 40, 16, 28, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
