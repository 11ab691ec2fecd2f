"""Demo data of Bến Tre province in 2017: organizations, officials and one account per role.

Pure standard library and deterministic: every random choice comes from a ``random.Random(seed)``
instance, and the reference date is a parameter (never today), so the same arguments always give
the same rows. Official rows use the keys and codes of the officials spreadsheet (DOMAIN §5.1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_SEED = 327
DEFAULT_REFERENCE_DATE = date(2020, 11, 30)
PROVINCE_ROOT = "UBND tỉnh Bến Tre"
EMAIL_DOMAIN = "bentre.example.vn"
WOMEN_SHARE = 0.55

RANKS = (
    "staff",
    "deputy_division_head",
    "division_head",
    "deputy_department_head",
    "department_head",
    "provincial_leader",
)

# ---------------------------------------------------------------------------------------------
# Organizations: (name, plan_level, kind, parent, unit type). The unit type chooses the posts.
# ---------------------------------------------------------------------------------------------

_LARGE_DEPARTMENTS = ("Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo")
_OTHER_DEPARTMENTS = (
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tư pháp",
)
# The 2017 district-level units; Ba Tri and the city get a larger office (Chánh Văn phòng).
_DISTRICTS = (
    ("UBND thành phố Bến Tre", "district_large"),
    ("UBND huyện Ba Tri", "district_large"),
    ("UBND huyện Bình Đại", "district"),
    ("UBND huyện Châu Thành", "district"),
    ("UBND huyện Chợ Lách", "district"),
    ("UBND huyện Giồng Trôm", "district"),
    ("UBND huyện Mỏ Cày Bắc", "district"),
    ("UBND huyện Mỏ Cày Nam", "district"),
    ("UBND huyện Thạnh Phú", "district"),
)
_DISTRICT_UNITS = (
    ("Phòng Nội vụ thành phố Bến Tre", "state", "UBND thành phố Bến Tre", "district_division"),
    ("Phòng Nội vụ huyện Ba Tri", "state", "UBND huyện Ba Tri", "district_division"),
    (
        "Phòng Giáo dục và Đào tạo huyện Giồng Trôm",
        "state",
        "UBND huyện Giồng Trôm",
        "district_division",
    ),
    (
        "Phòng Lao động - Thương binh và Xã hội huyện Châu Thành",
        "state",
        "UBND huyện Châu Thành",
        "district_division",
    ),
    (
        "Phòng Tài chính - Kế hoạch huyện Mỏ Cày Nam",
        "state",
        "UBND huyện Mỏ Cày Nam",
        "district_division",
    ),
    ("Phòng Y tế huyện Thạnh Phú", "state", "UBND huyện Thạnh Phú", "district_division"),
    ("Hội Liên hiệp Phụ nữ huyện Bình Đại", "mass", "UBND huyện Bình Đại", "women_union_district"),
    ("Trung tâm Y tế huyện Chợ Lách", "public_service", "UBND huyện Chợ Lách", "health_centre"),
)
# Real communes and wards of each district in 2017 (names unique across the province).
_COMMUNES = (
    ("UBND phường Phú Khương", "UBND thành phố Bến Tre"),
    ("UBND xã Sơn Đông", "UBND thành phố Bến Tre"),
    ("UBND xã An Đức", "UBND huyện Ba Tri"),
    ("UBND xã Tân Xuân", "UBND huyện Ba Tri"),
    ("UBND xã Thạnh Phước", "UBND huyện Bình Đại"),
    ("UBND xã Tân Thạch", "UBND huyện Châu Thành"),
    ("UBND xã Long Thới", "UBND huyện Chợ Lách"),
    ("UBND xã Lương Hòa", "UBND huyện Giồng Trôm"),
    ("UBND xã Châu Bình", "UBND huyện Giồng Trôm"),
    ("UBND xã Phước Mỹ Trung", "UBND huyện Mỏ Cày Bắc"),
    ("UBND xã Định Thủy", "UBND huyện Mỏ Cày Nam"),
    ("UBND xã Thạnh Phong", "UBND huyện Thạnh Phú"),
)

_UNITS: tuple[tuple[str, str, str, str | None, str], ...] = (
    (PROVINCE_ROOT, "province", "people_committee", None, "root"),
    *(
        (name, "province", "state", PROVINCE_ROOT, "department_large")
        for name in _LARGE_DEPARTMENTS
    ),
    *((name, "province", "state", PROVINCE_ROOT, "department") for name in _OTHER_DEPARTMENTS),
    ("Ban Tổ chức Tỉnh ủy Bến Tre", "province", "party", PROVINCE_ROOT, "party_board"),
    ("Hội Liên hiệp Phụ nữ tỉnh Bến Tre", "province", "mass", PROVINCE_ROOT, "women_union"),
    ("Bệnh viện Nguyễn Đình Chiểu", "province", "public_service", "Sở Y tế", "hospital"),
    ("Trường Chính trị tỉnh Bến Tre", "province", "public_service", PROVINCE_ROOT, "school"),
    *(
        (name, "district", "people_committee", PROVINCE_ROOT, unit_type)
        for name, unit_type in _DISTRICTS
    ),
    *(
        (name, "district", kind, parent, unit_type)
        for name, kind, parent, unit_type in _DISTRICT_UNITS
    ),
    *((name, "commune", "people_committee", parent, "commune") for name, parent in _COMMUNES),
    # Elected councils and Party committees without officials of their own in the demo: the
    # Mục tiêu 1 indicators on organizations count them (a council with no woman key leader).
    ("HĐND tỉnh Bến Tre", "province", "people_council", PROVINCE_ROOT, "council"),
    ("HĐND huyện Ba Tri", "district", "people_council", "UBND huyện Ba Tri", "council"),
    ("Hội Chữ thập đỏ tỉnh Bến Tre", "province", "other", PROVINCE_ROOT, "council"),
)

# DOMAIN §11: the units that send the yearly report: the province's departments, the districts
# and the communes.
_REPORTING_TYPES = ("department_large", "department", "district_large", "district", "commune")

ORGANIZATIONS: tuple[dict, ...] = tuple(
    {
        "name": name,
        "plan_level": level,
        "kind": kind,
        "parent": parent,
        "reports_yearly": unit_type in _REPORTING_TYPES,
    }
    for name, level, kind, parent, unit_type in _UNITS
)

# Yearly reports of the demo (DOMAIN §11), so that every follow-up status shows: (unit, years
# back from this year's report, day of the submission as (month, day) or None for a draft).
YEARLY_REPORTS: tuple[tuple[str, int, tuple[int, int] | None], ...] = (
    ("UBND huyện Ba Tri", 1, (11, 20)),  # last year: on time
    ("UBND huyện Ba Tri", 0, None),  # this year: a draft
    ("UBND thành phố Bến Tre", 1, (12, 5)),  # last year: late
    ("UBND thành phố Bến Tre", 0, None),
    ("Sở Y tế", 1, None),  # last year: a draft never submitted
    ("Sở Giáo dục và Đào tạo", 0, (11, 10)),  # this year: on time (or late when after 30/11)
)
YEARLY_TEXT = {
    "results": (
        "Đơn vị đã quán triệt Kế hoạch 327/KH-UBND đến toàn thể cán bộ, công chức, viên chức; "
        "cử cán bộ nữ tham gia các lớp bồi dưỡng lý luận chính trị, quản lý nhà nước và tập "
        "huấn bình đẳng giới; hỗ trợ nữ cán bộ mang theo con nhỏ khi đi học."
    ),
    "difficulties": "Một số cán bộ nữ ở cơ sở còn khó khăn khi tham gia học tập dài ngày.",
    "proposals": "Đề nghị tỉnh tiếp tục mở các lớp bồi dưỡng tại huyện.",
}

_ORG_BY_NAME = {org["name"]: org for org in ORGANIZATIONS}
_ORG_INDEX = {org["name"]: index for index, org in enumerate(ORGANIZATIONS)}
_UNIT_TYPE = {name: unit_type for name, _level, _kind, _parent, unit_type in _UNITS}

# ---------------------------------------------------------------------------------------------
# Posts. A slot is one kind of post; "{area}" in a title becomes huyện / thành phố / xã / phường.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    title: str
    rank: str
    category: str
    profile: str  # qualification and age profile
    female: float  # chance that the holder is a woman (1.0 = always)
    party: float = 0.0  # chance of party_committee
    key_post: bool = False
    full_time: bool = False
    education: str | None = None  # education table, when not the profile's own
    count: int = 1


def _leader(title, rank, category, profile, female, party=0.0, count=1, education=None):
    return _Slot(title, rank, category, profile, female, party, count=count, education=education)


def _staff(title, category="cong_chuc", female=0.62, education=None, profile="staff", party=0.0):
    return _Slot(title, "staff", category, profile, female, party, education=education)


_OFFICE_STAFF = (
    _staff("Chuyên viên"),
    _staff("Chuyên viên"),
    _staff("Chuyên viên"),
    _staff("Chuyên viên chính", female=0.5),
    _staff("Kế toán", female=0.75),
    _staff("Văn thư", female=0.8),
)
_DEPARTMENT_STAFF = (*_OFFICE_STAFF, _staff("Thanh tra viên", female=0.45))


def _department_leaders(large: bool) -> tuple[_Slot, ...]:
    slots = [
        _leader("Giám đốc Sở", "department_head", "cong_chuc", "department", 0.25, 0.6),
        _leader(
            "Phó Giám đốc Sở",
            "deputy_department_head",
            "cong_chuc",
            "department",
            0.3,
            0.2,
            count=2 if large else 1,
        ),
        _leader("Chánh Văn phòng Sở", "division_head", "cong_chuc", "division", 0.4),
        _leader("Phó Chánh Văn phòng Sở", "deputy_division_head", "cong_chuc", "division", 0.5),
    ]
    if large:
        slots.append(_leader("Trưởng phòng", "division_head", "cong_chuc", "division", 0.4))
        slots.append(
            _leader("Phó Trưởng phòng", "deputy_division_head", "cong_chuc", "division", 0.5)
        )
    return tuple(slots)


def _commune_cadre(title, female, party, key_post=False, rank="staff"):
    profile = "commune_key" if key_post else "commune_cadre"
    return _Slot(title, rank, "can_bo", profile, female, party, key_post, full_time=True)


_COMMUNE_LEADERS = (
    _commune_cadre("Bí thư Đảng ủy {area}", 0.15, 1.0, True, "division_head"),
    _commune_cadre("Chủ tịch UBND {area}", 0.2, 1.0, True, "division_head"),
    _commune_cadre("Phó Chủ tịch UBND {area}", 0.35, 0.9, True, "deputy_division_head"),
    _commune_cadre("Chủ tịch Hội Liên hiệp Phụ nữ {area}", 1.0, 0.6),
    _commune_cadre("Chủ tịch Ủy ban Mặt trận Tổ quốc {area}", 0.3, 0.9),
)
# Cadre posts exist once per commune; civil-servant posts may be held by several people.
_COMMUNE_CADRE_STAFF = (
    _commune_cadre("Bí thư Đoàn Thanh niên {area}", 0.45, 0.3),
    _commune_cadre("Chủ tịch Hội Nông dân {area}", 0.2, 0.5),
    _commune_cadre("Chủ tịch Hội Cựu chiến binh {area}", 0.03, 0.6),
)
_COMMUNE_CIVIL_STAFF = tuple(
    _staff(f"Công chức {field}", female=female, profile="commune_civil", party=0.1)
    for field, female in (
        ("Văn phòng - Thống kê", 0.6),
        ("Tư pháp - Hộ tịch", 0.55),
        ("Địa chính - Xây dựng", 0.25),
        ("Tài chính - Kế toán", 0.7),
        ("Văn hóa - Xã hội", 0.55),
    )
)

_MEDICAL_STAFF = (
    _staff("Bác sĩ", "vien_chuc", 0.5, "doctor"),
    _staff("Bác sĩ", "vien_chuc", 0.5, "doctor"),
    _staff("Điều dưỡng", "vien_chuc", 0.85, "nurse"),
    _staff("Điều dưỡng", "vien_chuc", 0.85, "nurse"),
    _staff("Dược sĩ", "vien_chuc", 0.65, "pharmacist"),
    _staff("Kỹ thuật viên", "vien_chuc", 0.5, "nurse"),
)

# unit type -> (leader slots, staff slots, weight of the unit in the staff draw)
_LAYOUT: dict[str, tuple[tuple[_Slot, ...], tuple[_Slot, ...], int]] = {
    "root": (
        (
            _leader("Chủ tịch UBND tỉnh", "provincial_leader", "can_bo", "provincial", 0.2, 1.0),
            _leader(
                "Phó Chủ tịch UBND tỉnh", "provincial_leader", "can_bo", "provincial", 0.3, 1.0, 3
            ),
        ),
        (
            _staff("Chuyên viên Văn phòng UBND tỉnh"),
            _staff("Chuyên viên chính Văn phòng UBND tỉnh", female=0.5),
        ),
        6,
    ),
    "department_large": (_department_leaders(True), _DEPARTMENT_STAFF, 8),
    "department": (_department_leaders(False), _DEPARTMENT_STAFF, 5),
    "party_board": (
        (
            _leader(
                "Trưởng Ban Tổ chức Tỉnh ủy", "department_head", "can_bo", "department", 0.2, 1.0
            ),
            _leader(
                "Phó Trưởng Ban Tổ chức Tỉnh ủy",
                "deputy_department_head",
                "can_bo",
                "department",
                0.35,
                0.5,
            ),
            _leader("Trưởng phòng", "division_head", "cong_chuc", "division", 0.4),
            _leader("Phó Trưởng phòng", "deputy_division_head", "cong_chuc", "division", 0.5),
        ),
        (_staff("Chuyên viên"),),
        3,
    ),
    "women_union": (
        (
            _leader(
                "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
                "department_head",
                "can_bo",
                "department",
                1.0,
                1.0,
            ),
            _leader(
                "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
                "deputy_department_head",
                "can_bo",
                "department",
                1.0,
                0.3,
            ),
            _leader("Trưởng ban Tuyên giáo", "division_head", "cong_chuc", "division", 1.0),
        ),
        (_staff("Chuyên viên", female=1.0),),
        3,
    ),
    "hospital": (
        (
            _leader(
                "Giám đốc Bệnh viện",
                "division_head",
                "vien_chuc",
                "division",
                0.3,
                0.5,
                education="doctor_leader",
            ),
            _leader(
                "Phó Giám đốc Bệnh viện",
                "deputy_division_head",
                "vien_chuc",
                "division",
                0.4,
                education="doctor_leader",
            ),
            _leader(
                "Trưởng khoa",
                "division_head",
                "vien_chuc",
                "division",
                0.4,
                count=2,
                education="doctor_leader",
            ),
            _leader(
                "Phó Trưởng khoa",
                "deputy_division_head",
                "vien_chuc",
                "division",
                0.5,
                education="doctor_leader",
            ),
        ),
        _MEDICAL_STAFF,
        12,
    ),
    "school": (
        (
            _leader(
                "Hiệu trưởng",
                "division_head",
                "vien_chuc",
                "division",
                0.3,
                0.5,
                education="lecturer",
            ),
            _leader(
                "Phó Hiệu trưởng",
                "deputy_division_head",
                "vien_chuc",
                "division",
                0.5,
                education="lecturer",
            ),
            _leader(
                "Trưởng khoa", "division_head", "vien_chuc", "division", 0.4, education="lecturer"
            ),
            _leader(
                "Phó Trưởng khoa",
                "deputy_division_head",
                "vien_chuc",
                "division",
                0.5,
                education="lecturer",
            ),
        ),
        (
            _staff("Giảng viên", "vien_chuc", 0.55, "lecturer", "lecturer"),
            _staff("Giảng viên chính", "vien_chuc", 0.5, "lecturer", "lecturer"),
        ),
        6,
    ),
    "district": (
        (
            _leader("Chủ tịch UBND {area}", "department_head", "can_bo", "department", 0.2, 1.0),
            _leader(
                "Phó Chủ tịch UBND {area}",
                "deputy_department_head",
                "can_bo",
                "department",
                0.3,
                0.9,
                2,
            ),
        ),
        (_staff("Chuyên viên Văn phòng HĐND và UBND {area}"),),
        3,
    ),
    "district_division": (
        (
            _leader("Trưởng phòng", "division_head", "cong_chuc", "division", 0.4, 0.3),
            _leader("Phó Trưởng phòng", "deputy_division_head", "cong_chuc", "division", 0.5),
        ),
        (_staff("Chuyên viên"), _staff("Chuyên viên"), _staff("Kế toán", female=0.75)),
        3,
    ),
    "women_union_district": (
        (
            _leader(
                "Chủ tịch Hội Liên hiệp Phụ nữ huyện",
                "division_head",
                "can_bo",
                "division",
                1.0,
                0.8,
            ),
            _leader(
                "Phó Chủ tịch Hội Liên hiệp Phụ nữ huyện",
                "deputy_division_head",
                "can_bo",
                "division",
                1.0,
            ),
        ),
        (_staff("Cán bộ Hội", female=1.0),),
        2,
    ),
    "health_centre": (
        (
            _leader(
                "Giám đốc Trung tâm",
                "division_head",
                "vien_chuc",
                "division",
                0.3,
                0.4,
                education="doctor_leader",
            ),
            _leader(
                "Phó Giám đốc Trung tâm",
                "deputy_division_head",
                "vien_chuc",
                "division",
                0.45,
                education="doctor_leader",
            ),
        ),
        (
            _staff("Bác sĩ", "vien_chuc", 0.5, "doctor"),
            _staff("Y sĩ", "vien_chuc", 0.6, "nurse"),
            _staff("Điều dưỡng", "vien_chuc", 0.85, "nurse"),
        ),
        5,
    ),
    "commune": (_COMMUNE_LEADERS, (*_COMMUNE_CADRE_STAFF, *_COMMUNE_CIVIL_STAFF), 3),
    # No posts drawn: organizations that only exist for the plan's organization indicators.
    "council": ((), (), 0),
}
_LAYOUT["district_large"] = (
    (
        *_LAYOUT["district"][0],
        _leader(
            "Chánh Văn phòng HĐND và UBND {area}", "division_head", "cong_chuc", "division", 0.4
        ),
    ),
    _LAYOUT["district"][1],
    4,
)

# ---------------------------------------------------------------------------------------------
# Qualifications and ages by profile: weighted tables (code, weight).
# ---------------------------------------------------------------------------------------------

_AGES = {
    "provincial": (45, 60),
    "department": (40, 59),
    "division": (30, 58),
    "staff": (24, 55),
    "lecturer": (27, 58),
    "commune_key": (30, 58),
    "commune_cadre": (24, 55),
    "commune_civil": (24, 50),
}

_POLITICAL_THEORY = {
    "provincial": (("advanced", 70), ("bachelor", 30)),
    "department": (("intermediate", 8), ("advanced", 80), ("bachelor", 12)),
    "division": (
        ("none", 4),
        ("elementary", 8),
        ("intermediate", 45),
        ("advanced", 40),
        ("bachelor", 3),
    ),
    "staff": (("none", 35), ("elementary", 35), ("intermediate", 25), ("advanced", 5)),
    "lecturer": (("intermediate", 15), ("advanced", 55), ("bachelor", 30)),
    "commune_key": (("none", 3), ("elementary", 12), ("intermediate", 75), ("advanced", 10)),
    "commune_cadre": (("none", 5), ("elementary", 20), ("intermediate", 70), ("advanced", 5)),
    "commune_civil": (("none", 25), ("elementary", 45), ("intermediate", 30)),
}
_EDUCATION = {
    "provincial": (("bachelor", 40), ("master", 45), ("doctorate", 15)),
    "department": (("bachelor", 55), ("master", 38), ("doctorate", 7)),
    "division": (("college", 5), ("bachelor", 70), ("master", 22), ("doctorate", 3)),
    "staff": (
        ("none", 1),
        ("primary_vocational", 2),
        ("secondary_vocational", 10),
        ("college", 12),
        ("bachelor", 63),
        ("master", 12),
    ),
    "lecturer": (("bachelor", 35), ("master", 55), ("doctorate", 10)),
    "commune_key": (
        ("secondary_vocational", 20),
        ("college", 12),
        ("bachelor", 63),
        ("master", 5),
    ),
    "commune_cadre": (
        ("primary_vocational", 5),
        ("secondary_vocational", 30),
        ("college", 15),
        ("bachelor", 50),
    ),
    "commune_civil": (("secondary_vocational", 20), ("college", 20), ("bachelor", 60)),
    "doctor_leader": (
        ("bachelor", 10),
        ("medical_resident", 5),
        ("specialist_1", 35),
        ("specialist_2", 25),
        ("master", 20),
        ("doctorate", 5),
    ),
    "doctor": (
        ("bachelor", 50),
        ("medical_resident", 10),
        ("specialist_1", 25),
        ("specialist_2", 5),
        ("master", 10),
    ),
    "nurse": (("secondary_vocational", 40), ("college", 40), ("bachelor", 20)),
    "pharmacist": (("college", 20), ("bachelor", 70), ("specialist_1", 10)),
}
_STATE_MANAGEMENT = {
    "provincial": (("principal", 20), ("senior", 80)),
    "department": (("specialist", 8), ("principal", 62), ("senior", 30)),
    "division": (("none", 18), ("specialist", 55), ("principal", 27)),
    "staff": (("none", 55), ("specialist", 40), ("principal", 5)),
    "lecturer": (("none", 20), ("specialist", 50), ("principal", 30)),
    "commune_key": (("none", 25), ("specialist", 70), ("principal", 5)),
    "commune_cadre": (("none", 40), ("specialist", 60)),
    "commune_civil": (("none", 40), ("specialist", 60)),
}
_DEFENSE_SECURITY = {
    "provincial": (("tier2", 25), ("tier1", 75)),
    "department": (("none", 8), ("tier3", 15), ("tier2", 67), ("tier1", 10)),
    "division": (("none", 22), ("tier4", 15), ("tier3", 50), ("tier2", 13)),
    "staff": (("none", 50), ("tier4", 45), ("tier3", 5)),
    "lecturer": (("none", 20), ("tier4", 30), ("tier3", 50)),
    "commune_key": (("none", 12), ("tier4", 25), ("tier3", 60), ("tier2", 3)),
    "commune_cadre": (("none", 25), ("tier4", 65), ("tier3", 10)),
    "commune_civil": (("none", 25), ("tier4", 70), ("tier3", 5)),
}
_IT_SKILL = {
    "provincial": (("none", 15), ("basic", 60), ("advanced", 25)),
    "department": (("none", 15), ("basic", 65), ("advanced", 20)),
    "division": (("none", 20), ("basic", 62), ("advanced", 18)),
    "staff": (("none", 20), ("basic", 60), ("advanced", 20)),
    "lecturer": (("none", 5), ("basic", 70), ("advanced", 25)),
    "commune_key": (("none", 25), ("basic", 70), ("advanced", 5)),
    "commune_cadre": (("none", 30), ("basic", 68), ("advanced", 2)),
    "commune_civil": (("none", 15), ("basic", 75), ("advanced", 10)),
}
_LEADERSHIP_TRAINING = {
    "provincial": (("division", 10), ("department", 90)),
    "department": (("none", 12), ("division", 20), ("department", 68)),
    "division": (("none", 35), ("division", 60), ("department", 5)),
    "staff": (("none", 95), ("division", 5)),
    "lecturer": (("none", 90), ("division", 10)),
    "commune_key": (("none", 65), ("division", 35)),
    "commune_cadre": (("none", 90), ("division", 10)),
    "commune_civil": (("none", 97), ("division", 3)),
}
_INTERNATIONAL_INTEGRATION = {
    "provincial": 0.8,
    "department": 0.45,
    "division": 0.3,
    "staff": 0.1,
    "lecturer": 0.3,
    "commune_key": 0.05,
    "commune_cadre": 0.03,
    "commune_civil": 0.03,
}

_APPOINTED_CHANCE = {"staff": 0.2, "commune_civil": 0.2, "lecturer": 0.2}  # leaders: 0.85
_LEFT_CHANCE = 0.05  # among appointments with a date: no longer in post
_SUCCESSION_CHANCE = 0.1
_EMAIL_CHANCE = 0.2

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

_FAMILY_NAMES = (
    ("Nguyễn", 30),
    ("Trần", 12),
    ("Lê", 10),
    ("Huỳnh", 8),
    ("Võ", 8),
    ("Phạm", 6),
    ("Phan", 5),
    ("Trương", 3),
    ("Đặng", 3),
    ("Ngô", 3),
    ("Hồ", 3),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Dương", 2),
    ("Lâm", 2),
    ("Đoàn", 1),
)
_MIDDLE_NAMES = {
    "F": (
        ("Thị", 45),
        ("Ngọc", 10),
        ("Thanh", 8),
        ("Kim", 7),
        ("Thu", 5),
        ("Hồng", 5),
        ("Mỹ", 5),
        ("Bích", 3),
        ("Thị Ngọc", 4),
        ("Thị Kim", 3),
        ("Thị Thanh", 3),
        ("Thị Mỹ", 2),
    ),
    "M": (
        ("Văn", 45),
        ("Hữu", 8),
        ("Minh", 10),
        ("Công", 6),
        ("Đức", 5),
        ("Quốc", 6),
        ("Thanh", 6),
        ("Hoàng", 4),
        ("Tấn", 5),
        ("Trung", 3),
        ("Phước", 2),
    ),
}
_GIVEN_NAMES = {
    "F": (
        "Lan", "Hoa", "Hạnh", "Hương", "Hà", "Linh", "Mai", "Ngân", "Nhung", "Phượng", "Thảo",
        "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Diễm", "Hằng", "Loan", "Nga", "Thủy", "Trinh",
        "Châu", "Duyên", "Hiền", "Hân", "Huyền", "Liên", "Oanh", "Quyên", "Sương", "Thơ",
        "Xuân", "Dung", "Giang", "Kiều", "Ly", "My", "Nhi", "Phương", "Tâm", "Thoa",
    ),
    "M": (
        "Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang",
        "Khoa", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sang",
        "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thiện", "Tín", "Toàn", "Trí", "Trung", "Tuấn",
        "Việt", "Vinh", "Vũ", "Hậu", "Nhân", "Thịnh", "Khải",
    ),
}  # fmt: skip

_ETHNICITIES = (("Kinh", 97), ("Hoa", 2), ("Khmer", 1))

# ---------------------------------------------------------------------------------------------
# Officials fixed by hand: the demo accounts `giangvien` and `canbo` are linked to them, so they
# take the first codes and never depend on the seed.
# ---------------------------------------------------------------------------------------------

_FIXED_OFFICIALS: tuple[dict, ...] = (
    {
        "full_name": "Phan Thị Thanh Tâm",
        "sex": "F",
        "birth_date": date(1978, 5, 12),
        "ethnicity": "Kinh",
        "category": "vien_chuc",
        "organization": "Trường Chính trị tỉnh Bến Tre",
        "position_title": "Giảng viên chính",
        "position_rank": "staff",
        "party_committee": False,
        "commune_key_post": False,
        "commune_full_time": False,
        "in_succession_pool": False,
        "appointed_on": date(2012, 9, 1),
        "left_on": None,
        "political_theory": "bachelor",
        "education": "master",
        "state_management": "principal",
        "defense_security": "tier3",
        "it_skill": "advanced",
        "leadership_training": "none",
        "international_integration": True,
    },
    {
        # A young woman leader with gaps (pol_cc, qpan, lead, hoi_nhap) for the demo journeys,
        # inside the scope of the unit HR account of Ba Tri.
        "full_name": "Võ Thị Ngọc Hân",
        "sex": "F",
        "birth_date": date(1986, 9, 3),
        "ethnicity": "Kinh",
        "category": "cong_chuc",
        "organization": "Phòng Nội vụ huyện Ba Tri",
        "position_title": "Phó Trưởng phòng",
        "position_rank": "deputy_division_head",
        "party_committee": False,
        "commune_key_post": False,
        "commune_full_time": False,
        "in_succession_pool": True,
        "appointed_on": date(2016, 7, 1),
        "left_on": None,
        "political_theory": "intermediate",
        "education": "bachelor",
        "state_management": "specialist",
        "defense_security": "tier4",
        "it_skill": "basic",
        "leadership_training": "none",
        "international_integration": False,
    },
)

TRAINER_CODE = "BT000001"
OFFICIAL_CODE = "BT000002"


def _email(code: str) -> str:
    return f"{code.lower()}@{EMAIL_DOMAIN}"


DEMO_ACCOUNTS: tuple[dict, ...] = (
    {
        "username": "admin",
        "password": "Admin@BenTre2017",
        "roles": ("admin",),
        "official_code": None,
        "organization": None,
        "email": f"admin@{EMAIL_DOMAIN}",
    },
    {
        "username": "sonoivu",
        "password": "SoNoiVu@BenTre2017",
        "roles": ("province_hr",),
        "official_code": None,
        "organization": PROVINCE_ROOT,
        "email": f"sonoivu@{EMAIL_DOMAIN}",
    },
    {
        "username": "nhansu.batri",
        "password": "NhanSu@BaTri2017",
        "roles": ("unit_hr",),
        "official_code": None,
        "organization": "UBND huyện Ba Tri",
        "email": f"nhansu.batri@{EMAIL_DOMAIN}",
    },
    {
        "username": "giangvien",
        "password": "GiangVien@BenTre2017",
        "roles": ("trainer",),
        "official_code": TRAINER_CODE,
        "organization": "Trường Chính trị tỉnh Bến Tre",
        "email": _email(TRAINER_CODE),
    },
    {
        "username": "canbo",
        "password": "CanBo@BenTre2017",
        "roles": ("official",),
        "official_code": OFFICIAL_CODE,
        "organization": "Phòng Nội vụ huyện Ba Tri",
        "email": _email(OFFICIAL_CODE),
    },
)

# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def officials(
    count: int = 300, seed: int = DEFAULT_SEED, reference_date: date = DEFAULT_REFERENCE_DATE
) -> list[dict]:
    """Return ``count`` demo officials as §5.1 rows (codes, not labels), deterministically.

    The two hand-fixed officials linked to demo accounts come first (BT000001, BT000002); then
    every organization's leadership posts; the rest are staff spread over the organizations.
    When ``count`` is smaller than the leadership posts, the list is cut in organization order.
    About 55% of the officials are women.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    fixed = [_fixed_row(row, reference_date) for row in _FIXED_OFFICIALS[:count]]
    posts = _posts(rng, count - len(fixed))
    women_wanted = round(count * WOMEN_SHARE) - sum(row["sex"] == "F" for row in fixed)
    sexes = _sexes(rng, [slot for _org, slot in posts], women_wanted)
    used_names = {row["full_name"] for row in fixed}
    rows = fixed + [
        _generated_row(rng, org, slot, sex, used_names, reference_date)
        for (org, slot), sex in zip(posts, sexes, strict=True)
    ]
    for number, row in enumerate(rows, start=1):
        code = f"BT{number:06d}"
        org = _ORG_BY_NAME[row["organization"]]
        row["code"] = code
        row["parent_organization"] = org["parent"]
        row["plan_level"] = org["plan_level"]
        if number <= len(fixed) or rng.random() < _EMAIL_CHANCE:
            row["email"] = _email(code)
        else:
            row["email"] = None
        _plan_flags(row, number)
    return [_ordered(row) for row in rows]


_COLUMNS = (
    "code",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "category",
    "organization",
    "parent_organization",
    "plan_level",
    "position_title",
    "position_rank",
    "party_committee",
    "commune_key_post",
    "commune_full_time",
    "in_succession_pool",
    "appointed_on",
    "left_on",
    "political_theory",
    "education",
    "state_management",
    "defense_security",
    "it_skill",
    "leadership_training",
    "international_integration",
    "email",
    "key_leader",
    "gender_equality_role",
    "gender_equality_training",
)

# Mục tiêu 1 and 2 (DOMAIN §9–10), derived from the post without drawing from the generator
# (so every other value stays what it was): the heads and deputies of an organization are its
# key leaders; the communes' culture and society officers and the districts' office staff work
# on gender equality, two of three of them trained.
_KEY_LEADER_TITLES = (
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng Ban Tổ chức",
    "Phó Trưởng Ban Tổ chức",
    "Hiệu trưởng",
    "Phó Hiệu trưởng",
)
# A union's chair leads the union, not the People's Committee her post is recorded at.
_UNION_LEADER_TITLES = ("Chủ tịch Hội", "Phó Chủ tịch Hội")
_GENDER_EQUALITY_TITLES = ("Công chức Văn hóa - Xã hội", "Chuyên viên Văn phòng HĐND và UBND")


def _plan_flags(row: dict, number: int) -> None:
    title = row["position_title"] or ""
    union = title.startswith(_UNION_LEADER_TITLES) and row["organization"].startswith("Hội")
    row["key_leader"] = title.startswith(_KEY_LEADER_TITLES) or union
    row["gender_equality_role"] = title.startswith(_GENDER_EQUALITY_TITLES)
    row["gender_equality_training"] = row["gender_equality_role"] and number % 3 != 0


# The seats of the elected bodies elected in 2016 (entered by province HR; DOMAIN §9).
SEATS: tuple[dict, ...] = (
    {"body": "national_assembly", "seats": 6, "women": 2, "entered_on": date(2016, 6, 10),
     "source": "Nghị quyết 1018/NQ-UBTVQH13 công bố kết quả bầu cử"},
    {"body": "council_province", "seats": 50, "women": 14, "entered_on": date(2016, 6, 10),
     "source": "Biên bản tổng kết bầu cử HĐND tỉnh khóa IX"},
    {"body": "council_district", "seats": 243, "women": 88, "entered_on": date(2016, 6, 10),
     "source": "Tổng hợp kết quả bầu cử HĐND cấp huyện 2016-2021"},
    {"body": "council_commune", "seats": 3904, "women": 1180, "entered_on": date(2016, 6, 20),
     "source": "Tổng hợp kết quả bầu cử HĐND cấp xã 2016-2021"},
    # The 2021 elections; the communes' figure corrected once (a correction is a new entry).
    {"body": "national_assembly", "seats": 6, "women": 3, "entered_on": date(2021, 6, 10),
     "source": "Nghị quyết 1162/NQ-HĐBCQG công bố kết quả bầu cử đại biểu Quốc hội khóa XV"},
    {"body": "council_province", "seats": 51, "women": 17, "entered_on": date(2021, 6, 10),
     "source": "Biên bản tổng kết bầu cử HĐND tỉnh khóa X"},
    {"body": "council_district", "seats": 245, "women": 86, "entered_on": date(2021, 6, 15),
     "source": "Tổng hợp kết quả bầu cử HĐND cấp huyện 2021-2026"},
    {"body": "council_commune", "seats": 3852, "women": 1204, "entered_on": date(2021, 6, 20),
     "source": "Tổng hợp kết quả bầu cử HĐND cấp xã 2021-2026"},
    {"body": "council_commune", "seats": 3852, "women": 1231, "entered_on": date(2021, 6, 20),
     "source": "Báo cáo điều chỉnh số liệu bầu cử HĐND cấp xã (bổ sung 27 đại biểu nữ)"},
)  # fmt: skip
# Who enters them (the province's HR account of DEMO_ACCOUNTS).
SEATS_ENTERED_BY = "sonoivu"


def collaborator_counts(this_year: int) -> tuple[dict, ...]:
    """The yearly counts of gender-equality collaborators and volunteers (DOMAIN §10) of the
    People's Committees and women's unions, for the two years before `this_year` and, for
    some of them, `this_year` itself (the others have not entered it yet). Deterministic for a
    year: the figures follow the organization's place in ORGANIZATIONS."""
    names = [
        org["name"]
        for org in ORGANIZATIONS
        if org["kind"] == "people_committee" or org["name"].startswith("Hội Liên hiệp Phụ nữ")
    ]
    counts = []
    for index, name in enumerate(names):
        base = 4 + (index * 7) % 13
        for offset, year in enumerate((this_year - 2, this_year - 1, this_year)):
            if year == this_year and index % 3 == 2:
                continue  # not entered yet this year
            counts.append(
                {
                    "organization": name,
                    "year": year,
                    "collaborators": base + offset * 2,
                    "volunteers": 3 * base + offset * 5 + index % 4,
                    "source": f"Báo cáo công tác bình đẳng giới năm {year}",
                }
            )
    return tuple(counts)


def _fixed_row(row: dict, reference_date: date) -> dict:
    """A copy of a hand-fixed row; an appointment not yet made on the reference date is dropped."""
    row = dict(row)
    if row["appointed_on"] is not None and row["appointed_on"] >= reference_date:
        row["appointed_on"] = None
    return row


def _ordered(row: dict) -> dict:
    return {key: row[key] for key in _COLUMNS}


def _posts(rng: random.Random, count: int) -> list[tuple[str, _Slot]]:
    """Leadership posts of every organization, then staff posts drawn by unit weight."""
    leaders = [
        (org["name"], slot)
        for org in ORGANIZATIONS
        for slot in _LAYOUT[_UNIT_TYPE[org["name"]]][0]
        for _ in range(slot.count)
    ]
    if count <= len(leaders):
        return leaders[: max(count, 0)]
    names = [org["name"] for org in ORGANIZATIONS]
    weights = [_LAYOUT[_UNIT_TYPE[name]][2] for name in names]
    staff_orgs = rng.choices(names, weights, k=count - len(leaders))
    staff_orgs.sort(key=_ORG_INDEX.__getitem__)
    taken: dict[str, list[str]] = {}  # commune -> cadre titles already held
    staff = [(name, _staff_slot(rng, name, taken)) for name in staff_orgs]
    posts = leaders + staff
    # Group by organization, leaders first (stable: slot order within an organization).
    posts.sort(key=lambda post: (_ORG_INDEX[post[0]], post[1].rank == "staff"))
    return posts


def _staff_slot(rng: random.Random, org_name: str, taken: dict[str, list[str]]) -> _Slot:
    slots = _LAYOUT[_UNIT_TYPE[org_name]][1]
    if _UNIT_TYPE[org_name] != "commune":
        return rng.choice(slots)
    held = taken.setdefault(org_name, [])
    choices = [slot for slot in slots if not slot.full_time or slot.title not in held]
    slot = rng.choice(choices)
    if slot.full_time:
        held.append(slot.title)
    return slot


def _sexes(rng: random.Random, slots: list[_Slot], women_wanted: int) -> list[str]:
    """Exactly ``women_wanted`` women when possible, weighted by each post's female chance.

    Posts reserved to women (the Women's Union) always get one; the others are chosen by
    weighted sampling without replacement (Efraimidis–Spirakis keys).
    """
    forced = [index for index, slot in enumerate(slots) if slot.female >= 1.0]
    keys = [
        (rng.random() ** (1.0 / slot.female), index)
        for index, slot in enumerate(slots)
        if slot.female < 1.0
    ]
    keys.sort(reverse=True)
    extra = max(0, women_wanted - len(forced))
    women = set(forced) | {index for _key, index in keys[:extra]}
    return ["F" if index in women else "M" for index in range(len(slots))]


def _generated_row(
    rng: random.Random,
    org_name: str,
    slot: _Slot,
    sex: str,
    used_names: set[str],
    reference_date: date,
) -> dict:
    birth_date = _birth_date(rng, reference_date, *_AGES[slot.profile])
    appointed_on, left_on = _appointment(rng, slot, birth_date, reference_date)
    row = {
        "full_name": _full_name(rng, sex, used_names),
        "sex": sex,
        "birth_date": birth_date,
        "ethnicity": _pick(rng, _ETHNICITIES),
        "category": slot.category,
        "organization": org_name,
        "position_title": slot.title.replace("{area}", _area(org_name)),
        "position_rank": slot.rank,
        "party_committee": rng.random() < slot.party,
        "commune_key_post": slot.key_post,
        "commune_full_time": slot.full_time,
        "in_succession_pool": slot.rank != "provincial_leader"
        and rng.random() < _SUCCESSION_CHANCE,
        "appointed_on": appointed_on,
        "left_on": left_on,
    }
    row.update(_qualifications(rng, slot))
    return row


def _area(org_name: str) -> str:
    for area in ("thành phố", "huyện", "phường", "xã"):
        if org_name.startswith(f"UBND {area} "):
            return area
    return ""


def _qualifications(rng: random.Random, slot: _Slot) -> dict:
    profile = slot.profile
    return {
        "political_theory": _pick(rng, _POLITICAL_THEORY[profile]),
        "education": _pick(rng, _EDUCATION[slot.education or profile]),
        "state_management": _pick(rng, _STATE_MANAGEMENT[profile]),
        "defense_security": _pick(rng, _DEFENSE_SECURITY[profile]),
        "it_skill": _pick(rng, _IT_SKILL[profile]),
        "leadership_training": _pick(rng, _LEADERSHIP_TRAINING[profile]),
        "international_integration": rng.random() < _INTERNATIONAL_INTEGRATION[profile],
    }


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    values = [value for value, _weight in table]
    weights = [weight for _value, weight in table]
    return rng.choices(values, weights)[0]


def _full_name(rng: random.Random, sex: str, used: set[str]) -> str:
    """A realistic name, unique among the generated ones while the draws allow it."""
    name = ""
    for _attempt in range(50):
        middle = _pick(rng, _MIDDLE_NAMES[sex])
        given = rng.choice(_GIVEN_NAMES[sex])
        if middle.endswith(given):
            continue
        name = f"{_pick(rng, _FAMILY_NAMES)} {middle} {given}"
        if name not in used:
            break
    used.add(name)
    return name


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _birth_date(rng: random.Random, reference_date: date, min_age: int, max_age: int) -> date:
    """A birth date giving an age in whole years between the bounds on ``reference_date``."""
    age = rng.randint(min_age, max_age)
    last_birthday = _years_before(reference_date, age)
    return last_birthday - timedelta(days=rng.randint(0, 364))


def _appointment(
    rng: random.Random, slot: _Slot, birth_date: date, reference_date: date
) -> tuple[date | None, date | None]:
    """Appointment and leaving dates, both in the past; most leaders carry a date.

    A leader took the current post within the last ten years (terms run five years) and no
    younger than the post's minimum age; staff were appointed within twenty years, from age 22.
    """
    chance = _APPOINTED_CHANCE.get(slot.profile)
    if rng.random() >= (0.85 if chance is None else chance):
        return None, None
    is_leader = slot.rank != "staff" or slot.key_post
    youngest = _AGES[slot.profile][0] if is_leader else 22
    first = max(
        _years_before(birth_date, -youngest), _years_before(reference_date, 10 if is_leader else 20)
    )
    last = reference_date - timedelta(days=60)
    appointed_on = _random_day(rng, min(first, last), last)
    if rng.random() >= _LEFT_CHANCE:
        return appointed_on, None
    return appointed_on, _random_day(
        rng, appointed_on + timedelta(days=30), reference_date - timedelta(days=1)
    )
