"""The error services raise for refused input, shown next to the field or as JSON 422."""


class ServiceError(ValueError):
    """Input refused by a use-case. `message` is translated; `field` names the input at fault."""

    status = 422  # under /api/

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class StaleVersion(ServiceError):
    """A save based on a version of a versioned object older than the stored one: someone else
    changed it since the user loaded it (412 under /api/). app.audit.versions raises it and
    says what changed since `expected`."""

    status = 412

    def __init__(self, message: str, subject_type: type, subject_id, expected: int | None):
        super().__init__(message, None, "precondition_failed")
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.expected = expected


def apply_to_form(error: ServiceError, form) -> None:
    """Show a service error on the form field it names, else on the form as a whole."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        errors = list(target.errors)
        errors.append(error.message)
        target.errors = errors
    else:
        form.form_errors.append(error.message)


def email_address(text: str | None, field: str = "email") -> str | None:
    """The stored form of an email address typed anywhere (form, API, import, command line):
    None when blank; refused (ServiceError on `field`) unless its syntax is valid.

    Syntax only (email-validator, no DNS lookup: offices run without internet). Names under
    `.example.vn`, as the demo's, pass; special-use names (`.test`, `.local`, ...) and a
    domain without a dot do not; a non-ASCII local part is refused, as Vietnamese mail
    servers do not take it and it is usually a slip of the keyboard (“thảo@...”). The whole
    address is lower-cased, as the spreadsheet import stores it (app.domain.sheet): accounts
    and officials are matched by email ignoring case."""
    from email_validator import EmailNotValidError, validate_email
    from flask_babel import gettext as _

    text = (text or "").strip()
    if not text:
        return None
    try:
        validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise ServiceError(
            _("Email không hợp lệ. Cần dạng ten@donvi.gov.vn, không dấu, không khoảng trắng."),
            field,
        ) from None
    return text.lower()


def is_email_address(text: str) -> bool:
    """Is `text` an email address :func:`email_address` takes (a blank one is not)?"""
    try:
        return email_address(text) is not None
    except ServiceError:
        return False
