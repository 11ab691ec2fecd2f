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
