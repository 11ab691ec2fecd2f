"""Vietnamese sentences for the problems an officials import reports (DOMAIN §5.1).

Each problem is an app.domain.sheet.SheetError (row as the spreadsheet shows it, column key,
value found, kind, what was expected); :func:`format_issue` names the row and the column by
its Vietnamese header and says what was expected.
"""

from collections.abc import Callable, Iterable
from datetime import date

from flask_babel import gettext as _

from ...domain.sheet import COLUMNS_BY_KEY, DATE_FORMATS, FALSE_WORDS, TRUE_WORDS, SheetError


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"“{value}”" for value in values)


def _header(column: str | None) -> str:
    return COLUMNS_BY_KEY[column].header_vi if column in COLUMNS_BY_KEY else (column or "")


# kind -> the sentence after "Dòng n, cột X: ", given (value found, expected, expected[0]).
_DETAILS: dict[str, Callable[[str, tuple[str, ...], str], str]] = {
    "required": lambda value, expected, first: _("chưa có giá trị; cột này bắt buộc."),
    "unknown_value": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cần một trong: %(allowed)s.",
        value=value,
        allowed=_quoted(expected),
    ),
    "bad_date": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cần một ngày dạng %(formats)s.",
        value=value,
        formats=_(" hoặc ").join(DATE_FORMATS),
    ),
    "bad_bool": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cần %(true)s (có) hoặc để trống, %(false)s (không).",
        value=value,
        true=", ".join(TRUE_WORDS),
        false=", ".join(FALSE_WORDS),
    ),
    "left_before_appointed": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cần một ngày sau ngày bổ nhiệm (%(appointed)s).",
        value=value,
        appointed=_day(first),
    ),
    "duplicate_code": lambda value, expected, first: _(
        "mã “%(value)s” đã có ở dòng %(first)s; mỗi cán bộ chỉ một dòng.",
        value=value,
        first=first,
    ),
    "unknown_column": lambda value, expected, first: _(
        "cột “%(value)s” không có trong mẫu; cần một trong: %(allowed)s.",
        value=value,
        allowed=_quoted(expected),
    ),
    "duplicate_column": lambda value, expected, first: _(
        "cột “%(value)s” xuất hiện hai lần.", value=value
    ),
    "missing_column": lambda value, expected, first: _("thiếu cột bắt buộc này."),
    "unknown_organization": lambda value, expected, first: _(
        "không tìm thấy đơn vị “%(value)s”; cần tên một đơn vị đã có, hoặc nhập với "
        "tùy chọn tạo đơn vị còn thiếu.",
        value=value,
    ),
    "ambiguous_organization": lambda value, expected, first: _(
        "có nhiều đơn vị trùng tên “%(value)s” khi bỏ dấu; cần ghi đúng một trong: %(allowed)s.",
        value=value,
        allowed=_quoted(expected),
    ),
    "plan_level_mismatch": lambda value, expected, first: _(
        "giá trị “%(value)s” không khớp; cần “%(level)s”, cấp của đơn vị đó.",
        value=value,
        level=first,
    ),
    "parent_conflict": lambda value, expected, first: _(
        "giá trị “%(value)s” khác đơn vị cấp trên “%(parent)s” đã ghi cho cùng đơn vị.",
        value=value,
        parent=first,
    ),
    "kind_conflict": lambda value, expected, first: _(
        "giá trị “%(value)s” khác loại cơ quan “%(kind)s” đã ghi ở dòng %(row)s cho cùng đơn vị "
        "mới; mỗi đơn vị chỉ một loại.",
        value=value,
        kind=first,
        row=expected[1] if len(expected) > 1 else "",
    ),
    "kind_ignored": lambda value, expected, first: _(
        "đơn vị đã có với loại “%(kind)s”; loại “%(value)s” trong tệp không được áp dụng "
        "(sửa loại đơn vị trên trang đơn vị nếu cần).",
        value=value,
        kind=first,
    ),
    "parent_cycle": lambda value, expected, first: _(
        "đơn vị cấp trên “%(value)s” tạo thành vòng lặp (đơn vị nằm dưới chính nó).",
        value=value,
    ),
    "birth_in_future": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; ngày sinh không thể ở tương lai.", value=value
    ),
    "too_young": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cán bộ phải đủ %(age)s tuổi.",
        value=value,
        age=first,
    ),
    "bad_email": lambda value, expected, first: _(
        "giá trị “%(value)s” không hợp lệ; cần một địa chỉ email.", value=value
    ),
    "too_long": lambda value, expected, first: _("giá trị quá dài; tối đa %(n)s ký tự.", n=first),
    "lower_level": lambda value, expected, first: _(
        "“%(value)s” thấp hơn trình độ đã có (“%(current)s”); giữ nguyên, cần xử lý thủ công.",
        value=value,
        current=first,
    ),
    "account_match": lambda value, expected, first: (
        _(
            "email “%(value)s” trùng với email của tài khoản “%(account)s”; tài khoản không "
            "được tự gắn với cán bộ này (việc gắn tài khoản do quản trị viên quyết định).",
            value=value,
            account=first,
        )
        if first
        else _(
            "email “%(value)s” trùng với email của một tài khoản; tài khoản không được tự "
            "gắn với cán bộ này (việc gắn tài khoản do quản trị viên quyết định).",
            value=value,
        )
    ),
    "own_record": lambda value, expected, first: _(
        "“%(value)s” là trình độ của chính bạn; không ghi nhận. Hãy gửi đề nghị kèm bản "
        "chụp để cán bộ tổ chức khác duyệt.",
        value=value,
    ),
    "parent_level_assumed": lambda value, expected, first: _(
        "đơn vị cấp trên “%(value)s” sẽ được tạo ở cấp “%(level)s” như đơn vị của dòng "
        "này; kiểm tra lại sau khi nhập.",
        value=value,
        level=first,
    ),
    "encoding": lambda value, expected, first: _(
        "tệp không phải UTF-8 hay Windows-1258: hãy lưu lại dưới dạng CSV UTF-8."
    ),
    "cell_too_long": lambda value, expected, first: _(
        "có ô dài hơn %(kb)s KB; mỗi ô chỉ được tối đa %(kb)s KB.", kb=first
    ),
    # The acting user's organization scope (app.officials.imports.scope).
    "organization_out_of_scope": lambda value, expected, first: _(
        "đơn vị “%(value)s” nằm ngoài phạm vi quản lý của bạn; chỉ nhập được cán bộ của "
        "đơn vị mình và các đơn vị trực thuộc.",
        value=value,
    ),
    "new_organization_out_of_scope": lambda value, expected, first: _(
        "đơn vị mới “%(name)s” sẽ không thuộc phạm vi quản lý của bạn; cần ghi ở cột "
        "Đơn vị cấp trên một đơn vị trong phạm vi.",
        name=first or value,
    ),
    # A closed organization takes no new posts nor new organizations (the services' rule).
    "organization_closed": lambda value, expected, first: _(
        "đơn vị “%(value)s” đã đóng từ ngày %(d)s; không thể chuyển hay thêm cán bộ vào đơn vị "
        "này.",
        value=value,
        d=_day(first),
    ),
    "parent_closed": lambda value, expected, first: _(
        "đơn vị cấp trên “%(value)s” đã đóng từ ngày %(d)s; không thể tạo đơn vị mới dưới đơn vị "
        "này.",
        value=value,
        d=_day(first),
    ),
    # Never confirms that an official outside the scope holds the code (issue 8, item 10).
    "official_out_of_scope": lambda value, expected, first: _(
        "mã “%(value)s” không dùng được; hãy chọn mã khác.", value=value
    ),
}

# Files refused as a whole before they are read (limits of IMPORT_MAX_* settings).
_FILE_DETAILS: dict[str, Callable[[str, tuple[str, ...]], str]] = {
    "part_too_large": lambda value, expected: _(
        "Tệp bị từ chối: phần “%(part)s” của bảng tính vượt %(mb)s MB khi giải nén (tệp "
        "hỏng hoặc cố ý làm quá tải). Hãy lưu lại bảng tính hoặc chia nhỏ tệp.",
        part=value,
        mb=expected[0],
    ),
    "archive_too_large": lambda value, expected: _(
        "Tệp bị từ chối: bảng tính giải nén ra hơn %(mb)s MB (tệp hỏng hoặc cố ý làm quá "
        "tải). Hãy lưu lại bảng tính hoặc chia nhỏ tệp.",
        mb=expected[0],
    ),
    "compression_ratio": lambda value, expected: _(
        "Tệp bị từ chối: phần “%(part)s” của bảng tính giải nén ra gấp hơn %(n)s lần kích "
        "thước nén, điều mà không bảng tính thật nào có (tệp hỏng hoặc cố ý làm quá tải). "
        "Hãy lưu lại bảng tính bằng Excel hoặc LibreOffice.",
        part=value,
        n=expected[0],
    ),
    "too_many_rows": lambda value, expected: _(
        "Tệp bị từ chối: trang tính có hơn %(rows)s dòng, kể cả các dòng trống (thường do "
        "định dạng kéo xuống tận cuối trang tính). Hãy xóa các dòng trống thừa ở cuối hoặc "
        "chia nhỏ tệp.",
        rows=expected[0],
    ),
    "too_many_parts": lambda value, expected: _(
        "Tệp bị từ chối: bảng tính có hơn %(n)s phần bên trong.", n=expected[0]
    ),
    "too_many_strings": lambda value, expected: _(
        "Tệp bị từ chối: bảng tính có hơn %(n)s chuỗi văn bản. Hãy lưu lại bảng tính hoặc "
        "chia nhỏ tệp.",
        n=expected[0],
    ),
    "cell_too_long": lambda value, expected: _(
        "Tệp bị từ chối: có ô dài hơn %(kb)s KB; mỗi ô chỉ được tối đa %(kb)s KB.",
        kb=expected[0],
    ),
    "sheet_too_large": lambda value, expected: _(
        "Tệp bị từ chối: trang tính vượt quá %(rows)s dòng hoặc %(columns)s cột (tính từ ô A1 "
        "đến ô xa nhất có dữ liệu). Hãy chia nhỏ tệp.",
        rows=expected[0],
        columns=expected[1] if len(expected) > 1 else "",
    ),
    "encoding": lambda value, expected: _(
        "Tệp CSV không đọc được: không phải UTF-8 hay Windows-1258 (ví dụ tệp UTF-16, "
        "“Unicode Text” của Excel). Hãy lưu lại dưới dạng CSV UTF-8."
    ),
    "legacy_encoding": lambda value, expected: _(
        "Tệp CSV không phải UTF-8: đã đọc theo bảng mã Windows-1258 và chuyển sang Unicode. "
        "Hãy kiểm tra tên có dấu; lần sau nên lưu dạng CSV UTF-8."
    ),
}


def _detail(issue: SheetError) -> str:
    value, expected = issue.value or "", issue.expected
    text = _DETAILS.get(issue.kind)
    if text is None:
        return _("giá trị “%(value)s” không hợp lệ (%(kind)s).", value=value, kind=issue.kind)
    return text(value, expected, expected[0] if expected else "")


def _day(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def format_issue(issue: SheetError) -> str:
    """Return one problem of an import as a Vietnamese sentence naming its row and column."""
    if issue.kind == "file_type":
        return _(
            "Tệp “%(name)s” không đọc được: cần một bảng tính .xlsx, .xls, .xlsb, .ods "
            "hoặc tệp .csv.",
            name=issue.value or "",
        )
    if issue.row is None and issue.kind in _FILE_DETAILS:
        return _FILE_DETAILS[issue.kind](issue.value or "", issue.expected)
    if issue.kind == "import_not_allowed":
        return _("Bạn không có quyền nhập danh sách cán bộ.")
    if issue.kind == "empty_file":
        return _("Tệp trống: dòng 1 phải là dòng tiêu đề.")
    detail = _detail(issue)
    if issue.row is not None and issue.column:
        return _(
            "Dòng %(row)d, cột %(column)s: %(detail)s",
            row=issue.row,
            column=_header(issue.column),
            detail=detail,
        )
    if issue.row is not None:
        return _("Dòng %(row)d: %(detail)s", row=issue.row, detail=detail)
    return detail
