"""The Vietnamese labels of Mục tiêu 1 and 2 on pages, exports and reports: the objectives and
their indicators (DOMAIN §9–10). Defined once here; the codes are app.domain.plan's."""

from flask_babel import lazy_gettext as _l

OBJECTIVE_LABELS = {
    "M1": _l("Mục tiêu 1: Nữ tham gia lãnh đạo, quản lý"),
    "M2": _l("Mục tiêu 2: Năng lực quản lý nhà nước về bình đẳng giới"),
    "M3": _l("Mục tiêu 3: Trình độ của cán bộ nữ lãnh đạo, quản lý"),
}

# The indicators of §9–10, as the plan states them.
PLAN_INDICATOR_LABELS = {
    "M1.cap_uy.province": _l("Nữ cấp ủy cấp tỉnh"),
    "M1.cap_uy.district": _l("Nữ cấp ủy cấp huyện"),
    "M1.cap_uy.commune": _l("Nữ cấp ủy cấp xã"),
    "M1.dai_bieu": _l("Nữ đại biểu Quốc hội và HĐND các cấp"),
    "M1.thuong_truc": _l("HĐND, UBND có nữ trong thường trực, lãnh đạo"),
    "M1.chu_chot_30": _l("Cơ quan có từ 30% nữ có nữ lãnh đạo chủ chốt"),
    "M1.lanh_dao_so": _l("Nữ lãnh đạo sở, ban, ngành tỉnh"),
    "M1.phong_tinh": _l("Nữ lãnh đạo cấp phòng của sở, ban, ngành tỉnh"),
    "M1.dvsn_tinh": _l("Nữ lãnh đạo đơn vị sự nghiệp công lập cấp tỉnh"),
    "M1.phong_huyen": _l("Nữ lãnh đạo cấp phòng cấp huyện"),
    "M1.chuyen_trach_xa": _l("Nữ cán bộ chuyên trách cấp xã"),
    "M2.bo_tri": _l("Cơ quan có người làm công tác bình đẳng giới"),
    "M2.tap_huan": _l("Người làm công tác bình đẳng giới được tập huấn"),
}

# What an organization of an organization indicator lacks (the gaps list's `missing`).
ORGANIZATION_GAP_LABELS = {
    "thuong_truc": _l("Chưa có nữ trong thường trực, lãnh đạo"),
    "chu_chot_30": _l("Chưa có nữ lãnh đạo chủ chốt"),
    "bo_tri": _l("Chưa bố trí người làm công tác bình đẳng giới"),
}


def objective_of(indicator_id: str) -> str:
    """ "M1" of "M1.cap_uy.province", "M3" of "M3.P.pol_cc"."""
    return indicator_id.split(".", 1)[0]


def plan_indicator_label(indicator_id: str) -> str:
    """The label of a Mục tiêu 1/2 indicator (its id when unknown)."""
    return str(PLAN_INDICATOR_LABELS.get(indicator_id, indicator_id))
