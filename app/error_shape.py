"""The one error shape of the product: titles and messages per HTTP status, and the JSON body
{"error": {"code", "message"[, "details"]}}. Core: the API builds it, the error pages show it."""

from flask_babel import gettext as _


def status_texts() -> dict[int, tuple[str, str]]:
    """status -> (title, message) in the current language."""
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Yêu cầu gửi lên không hợp lệ.")),
        401: (_("Chưa xác thực"), _("Cần đăng nhập hoặc mã truy cập hợp lệ.")),
        403: (_("Không có quyền"), _("Bạn không có quyền thực hiện thao tác này.")),
        404: (_("Không tìm thấy"), _("Trang hoặc dữ liệu bạn tìm không tồn tại.")),
        405: (_("Phương thức không được phép"), _("Địa chỉ này không nhận phương thức đó.")),
        409: (_("Xung đột dữ liệu"), _("Dữ liệu đã bị thay đổi hoặc trùng lặp.")),
        412: (
            _("Dữ liệu đã thay đổi"),
            _(
                "Dữ liệu đã được người khác thay đổi sau phiên bản bạn gửi kèm (If-Match); "
                "hãy tải lại rồi thử lại."
            ),
        ),
        413: (
            _("Tệp quá lớn"),
            _(
                "Tệp gửi lên vượt quá dung lượng cho phép (%(size)s); không có gì được ghi. "
                "Hãy gửi tệp nhỏ hơn hoặc chia nhỏ tệp.",
                size=_upload_limit(),
            ),
        ),
        415: (
            _("Kiểu nội dung không được hỗ trợ"),
            _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
        ),
        422: (_("Dữ liệu không hợp lệ"), _("Dữ liệu gửi lên không hợp lệ.")),
        429: (_("Quá nhiều yêu cầu"), _("Bạn đã thử quá nhiều lần. Vui lòng đợi rồi thử lại.")),
        500: (_("Lỗi hệ thống"), _("Đã xảy ra lỗi. Chúng tôi đã ghi nhận; vui lòng thử lại sau.")),
        503: (
            _("Hệ thống đang bận"),
            _("Hệ thống đang ghi dữ liệu khác; chưa có gì thay đổi. Vui lòng thử lại sau ít giây."),
        ),
    }


def _upload_limit() -> str:
    """MAX_CONTENT_LENGTH as people read it ("10 MB")."""
    from flask import current_app, has_app_context

    limit = current_app.config.get("MAX_CONTENT_LENGTH") if has_app_context() else None
    if not limit:
        return "10 MB"
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{max(1, limit // 1024)} KB"


def error_response(status: int, code: str | None = None, message: str | None = None, details=None):
    """The one JSON error shape: {"error": {"code", "message"[, "details"]}}."""
    title, default_message = status_texts().get(status, (str(status), ""))
    body = {"error": {"code": code or code_name(status), "message": message or default_message}}
    if details:
        body["error"]["details"] = details
    return body, status


def code_name(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        412: "precondition_failed",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "validation_error",
        429: "too_many_requests",
        500: "internal_error",
        503: "busy",
    }.get(status, "error")
