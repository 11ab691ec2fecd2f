"""The Vietnamese labels of Mục tiêu 3 on pages and exports: items, populations, groups,
statuses and operators. Defined once here; the codes are app.domain.targets's."""

from flask_babel import lazy_gettext as _l

# The short names of DOMAIN §4.4 (the `missing` lists) as HR reads them.
ITEM_LABELS = {
    "pol_tc": _l("Trung cấp lý luận chính trị"),
    "pol_cc": _l("Cao cấp lý luận chính trị"),
    "edu_tc": _l("Trung cấp chuyên môn trở lên"),
    "edu_dh": _l("Đại học"),
    "edu_sdh": _l("Sau đại học"),
    "qlnn": _l("Quản lý nhà nước (chuyên viên)"),
    "qpan": _l("Bồi dưỡng quốc phòng - an ninh"),
    "lead": _l("Bồi dưỡng lãnh đạo, quản lý"),
    "it": _l("Tin học"),
    "hoi_nhap": _l("Hội nhập quốc tế"),
}

POPULATION_LABELS = {
    "P": _l("Lãnh đạo cấp tỉnh"),
    "D": _l("Lãnh đạo cấp huyện"),
    "C": _l("Cán bộ cấp xã"),
}

GROUP_LABELS = {
    "women": _l("Nữ"),
    "young": _l("Trẻ"),
    "women_or_young": _l("Nữ hoặc trẻ"),
    "men": _l("Nam"),
}

RESULT_STATUS_LABELS = {
    "met": _l("Đạt"),
    "not_met": _l("Chưa đạt"),
    "not_applicable": _l("Không áp dụng"),
}

STATUS_BADGES = {
    "met": "text-bg-success",
    "not_met": "text-bg-danger",
    "not_applicable": "text-bg-secondary",
}

OPERATOR_LABELS = {">=": _l("ít nhất"), ">": _l("trên")}


def split_id(indicator_id: str) -> tuple[str, str]:
    """("P", "pol_cc") of "M3.P.pol_cc"."""
    _, population, item = indicator_id.split(".", 2)
    return population, item


def item_label(item: str) -> str:
    return str(ITEM_LABELS.get(item, item))


def indicator_label(indicator_id: str) -> str:
    return item_label(split_id(indicator_id)[1])
