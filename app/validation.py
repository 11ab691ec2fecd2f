"""The error services raise for refused input, shown next to the field or as JSON 422."""


class ServiceError(ValueError):
    """Input refused by a use-case. `message` is translated; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def apply_to_form(error: ServiceError, form) -> None:
    """Show a service error on the form field it names, else on the form as a whole."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        errors = list(target.errors)
        errors.append(error.message)
        target.errors = errors
    else:
        form.form_errors.append(error.message)
