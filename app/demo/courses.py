"""Demo courses of Bến Tre: a year of courses (2017–2018) and some upcoming ones, their sessions,
their trainers and who enrols in them (issue 12).

Data only, deterministic: the past courses have fixed dates; the upcoming ones are placed
around the `today` given (the loader passes app.i18n.today(), so the catalogue is alive whenever
the demo is loaded); the enrolments are chosen from the demo officials (app.demo.data) with a
seeded ``random.Random``. The loader (app.demo.loader) turns them into rows through the real
services: registrations, nominations, approvals, rejections and cancellations, in the order
`enrolment_steps` gives.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ..domain.ladders import rank
from . import data

SEED = 2017
MORNING = (time(7, 30), time(11, 0))
AFTERNOON = (time(13, 30), time(17, 0))
SCHOOL = "Trường Chính trị tỉnh Bến Tre"
HOME_OF_INTERIOR = "Hội trường Sở Nội vụ, 2 đường Đồng Khởi, TP Bến Tre"
LEADERS = ("deputy_division_head", "division_head", "deputy_department_head", "department_head")
PROVINCE_HR = "sonoivu"
UNIT_HR = "nhansu.batri"

# Two more trainers beside `giangvien` (app.demo.data): accounts only, not in the registry.
TRAINER_ACCOUNTS: tuple[dict, ...] = (
    {
        "username": "giangvien.qpan",
        "password": "GiangVien@QPAN2017",
        "roles": ("trainer",),
        "official_code": None,
        "organization": data.PROVINCE_ROOT,
        "email": f"giangvien.qpan@{data.EMAIL_DOMAIN}",
    },
    {
        "username": "giangvien.tinhoc",
        "password": "GiangVien@TinHoc2017",
        "roles": ("trainer",),
        "official_code": None,
        "organization": "Sở Thông tin và Truyền thông",
        "email": f"giangvien.tinhoc@{data.EMAIL_DOMAIN}",
    },
)
TRAINERS = ("giangvien", *(account["username"] for account in TRAINER_ACCOUNTS))


@dataclass(frozen=True)
class Plan:
    """Who enrols: `register` officials register themselves, then HR nominates `nominate`
    more; of the pending requests `reject` are rejected and `pending` left undecided (the
    others approved); then `cancel` of the confirmed cancel. `fixed`: (official code, how)
    first, for the demo accounts' own journeys."""

    register: int = 0
    nominate: int = 0
    reject: int = 0
    pending: int = 0
    cancel: int = 0
    fixed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SessionSpec:
    day: date
    starts_at: time
    ends_at: time
    topic: str
    trainer: str | None
    place: str | None = None


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    kind: str
    award: tuple[str, str] | None
    organizer: str
    place: str
    capacity: int
    opens_on: date
    closes_on: date
    status: str  # the state it is left in: registration_closed (past) or open (upcoming)
    sessions: tuple[SessionSpec, ...]
    plan: Plan
    trainers: tuple[str, ...] = ()
    requires_approval: bool = False
    plan_levels: tuple[str, ...] = ()
    ranks: tuple[str, ...] = ()
    women_only: bool = False
    audience_organizations: tuple[str, ...] = ()
    creator: str = PROVINCE_HR
    description: str = ""
    extra: dict = field(default_factory=dict)
    # Running now (registration closed, sessions before and after today, one today).
    current: bool = False

    @property
    def upcoming(self) -> bool:
        return self.status == "open"


def working_days(first: date, count: int) -> list[date]:
    """`count` days from `first` on, Saturdays and Sundays skipped."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


def sessions(
    first: date,
    days: int,
    topics: tuple[str, ...],
    trainers: tuple[str, ...],
    halves: tuple[tuple[time, time], ...] = (MORNING, AFTERNOON),
    place: str | None = None,
) -> tuple[SessionSpec, ...]:
    """A multi-day block: each working day from `first`, a session in each half-day, the
    topics and trainers taken in turn."""
    made = []
    for day in working_days(first, days):
        for starts_at, ends_at in halves:
            n = len(made)
            made.append(
                SessionSpec(
                    day,
                    starts_at,
                    ends_at,
                    topics[n % len(topics)],
                    trainers[n % len(trainers)] if trainers else None,
                    place,
                )
            )
    return tuple(made)


_POLITICAL = (
    "Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh",
    "Đường lối, chủ trương của Đảng",
    "Nhà nước và pháp luật",
    "Quản lý hành chính nhà nước",
    "Kỹ năng lãnh đạo, quản lý",
)
_STATE = (
    "Nhà nước và pháp luật",
    "Hành chính nhà nước và công nghệ hành chính",
    "Quản lý nhà nước đối với ngành, lĩnh vực",
    "Kỹ năng soạn thảo văn bản",
)
_DEFENCE = (
    "Quan điểm của Đảng về quốc phòng toàn dân",
    "Xây dựng khu vực phòng thủ tỉnh",
    "Bảo vệ an ninh chính trị nội bộ",
)
_IT = (
    "Máy tính và hệ điều hành",
    "Soạn thảo văn bản và bảng tính",
    "Thư điện tử công vụ, an toàn thông tin",
)
_LEADERSHIP = (
    "Vai trò người lãnh đạo cấp phòng",
    "Kỹ năng ra quyết định và tổ chức thực hiện",
    "Quản lý nhân sự, đánh giá cán bộ",
    "Nữ cán bộ lãnh đạo: kinh nghiệm và chia sẻ",
)
_GENDER = (
    "Luật Bình đẳng giới và lồng ghép giới",
    "Thống kê giới và phân tích chính sách",
)


def _past() -> tuple[CourseSpec, ...]:
    return (
        CourseSpec(
            code="BT-LLTC-2017",
            title="Trung cấp lý luận chính trị - hành chính, khóa 2017",
            kind="political_theory",
            award=("political_theory", "intermediate"),
            organizer=SCHOOL,
            place=SCHOOL,
            capacity=40,
            opens_on=date(2017, 2, 6),
            closes_on=date(2017, 2, 24),
            status="registration_closed",
            sessions=sessions(date(2017, 3, 6), 5, _POLITICAL, ("giangvien",))
            + sessions(date(2017, 4, 10), 5, _POLITICAL[2:], ("giangvien",)),
            trainers=("giangvien",),
            requires_approval=True,
            plan_levels=("district", "commune"),
            plan=Plan(register=24, nominate=6, reject=2, cancel=1),
        ),
        CourseSpec(
            code="BT-QPAN4-2017",
            title="Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 4",
            kind="defense_security",
            award=("defense_security", "tier4"),
            organizer=data.PROVINCE_ROOT,
            place="Trường Quân sự tỉnh Bến Tre",
            capacity=45,
            opens_on=date(2017, 3, 1),
            closes_on=date(2017, 3, 31),
            status="registration_closed",
            sessions=sessions(date(2017, 4, 17), 3, _DEFENCE, ("giangvien.qpan",)),
            trainers=("giangvien.qpan",),
            plan_levels=("commune",),
            plan=Plan(register=18, nominate=8, cancel=2),
        ),
        CourseSpec(
            code="BT-TH-2017",
            title="Ứng dụng công nghệ thông tin cơ bản cho công chức",
            kind="it_skill",
            award=("it_skill", "basic"),
            organizer="Sở Thông tin và Truyền thông",
            place="Phòng máy Sở Thông tin và Truyền thông",
            capacity=20,
            opens_on=date(2017, 4, 3),
            closes_on=date(2017, 4, 28),
            status="registration_closed",
            sessions=sessions(date(2017, 5, 15), 4, _IT, ("giangvien.tinhoc",), (AFTERNOON,)),
            trainers=("giangvien.tinhoc",),
            plan=Plan(register=26, cancel=2),  # full: the waitlist moved up twice
        ),
        CourseSpec(
            code="BT-QLNN-CV-2017",
            title="Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên",
            kind="state_management",
            award=("state_management", "specialist"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=50,
            opens_on=date(2017, 5, 2),
            closes_on=date(2017, 5, 31),
            status="registration_closed",
            sessions=sessions(date(2017, 6, 12), 5, _STATE, ("giangvien",)),
            trainers=("giangvien",),
            plan_levels=("province", "district"),
            ranks=("staff",),
            plan=Plan(register=22, nominate=10, cancel=1),
        ),
        CourseSpec(
            code="BT-BDG-2017",
            title="Lồng ghép bình đẳng giới trong hoạch định và thực thi chính sách",
            kind="gender_equality",
            award=None,
            organizer="Hội Liên hiệp Phụ nữ tỉnh Bến Tre",
            place="Hội trường Hội Liên hiệp Phụ nữ tỉnh",
            capacity=40,
            opens_on=date(2017, 7, 3),
            closes_on=date(2017, 7, 21),
            status="registration_closed",
            sessions=sessions(date(2017, 8, 7), 2, _GENDER, ("giangvien",)),
            trainers=("giangvien",),
            plan=Plan(register=20, nominate=5, cancel=2),
        ),
        CourseSpec(
            code="BT-LLCC-2017",
            title="Cao cấp lý luận chính trị (hệ không tập trung), khóa 2017–2018",
            kind="political_theory",
            award=("political_theory", "advanced"),
            organizer=SCHOOL,
            place=SCHOOL,
            capacity=25,
            opens_on=date(2017, 8, 1),
            closes_on=date(2017, 8, 31),
            status="registration_closed",
            sessions=sessions(date(2017, 9, 18), 5, _POLITICAL, ("giangvien",))
            + sessions(date(2017, 11, 13), 5, _POLITICAL[1:], ("giangvien",)),
            trainers=("giangvien",),
            requires_approval=True,
            plan_levels=("province", "district"),
            ranks=LEADERS,
            plan=Plan(register=20, nominate=4, reject=2, cancel=1),
        ),
        CourseSpec(
            code="BT-LDP-2017",
            title="Bồi dưỡng lãnh đạo, quản lý cấp phòng dành cho cán bộ nữ",
            kind="leadership",
            award=("leadership_training", "division"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=30,
            opens_on=date(2017, 9, 4),
            closes_on=date(2017, 9, 29),
            status="registration_closed",
            sessions=sessions(date(2017, 10, 16), 4, _LEADERSHIP, ("giangvien",)),
            trainers=("giangvien",),
            ranks=("deputy_division_head", "division_head"),
            women_only=True,
            plan=Plan(register=16, nominate=4, cancel=1, fixed=((data.OFFICIAL_CODE, "register"),)),
        ),
        CourseSpec(
            code="BT-QPAN3-2018",
            title="Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 3",
            kind="defense_security",
            award=("defense_security", "tier3"),
            organizer=data.PROVINCE_ROOT,
            place="Trường Quân sự tỉnh Bến Tre",
            capacity=15,
            opens_on=date(2018, 2, 26),
            closes_on=date(2018, 3, 16),
            status="registration_closed",
            sessions=sessions(date(2018, 4, 2), 5, _DEFENCE, ("giangvien.qpan",)),
            trainers=("giangvien.qpan",),
            ranks=LEADERS,
            plan=Plan(register=14, nominate=6, cancel=1),  # full, a waitlist of four
        ),
        CourseSpec(
            code="BT-QLNN-CVC-2018",
            title="Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính",
            kind="state_management",
            award=("state_management", "principal"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=35,
            opens_on=date(2018, 3, 19),
            closes_on=date(2018, 4, 13),
            status="registration_closed",
            sessions=sessions(date(2018, 5, 7), 5, _STATE, ("giangvien",)),
            trainers=("giangvien",),
            requires_approval=True,
            plan_levels=("province", "district"),
            plan=Plan(register=20, nominate=5, reject=1, cancel=1),
        ),
        CourseSpec(
            code="BT-TH-2018",
            title="Ứng dụng công nghệ thông tin cơ bản cho cán bộ cấp xã",
            kind="it_skill",
            award=("it_skill", "basic"),
            organizer="Sở Thông tin và Truyền thông",
            place="Phòng máy Sở Thông tin và Truyền thông",
            capacity=24,
            opens_on=date(2018, 6, 1),
            closes_on=date(2018, 6, 22),
            status="registration_closed",
            sessions=sessions(date(2018, 7, 9), 4, _IT, ("giangvien.tinhoc",), (AFTERNOON,)),
            trainers=("giangvien.tinhoc",),
            plan_levels=("commune",),
            plan=Plan(register=14, nominate=4),
        ),
        CourseSpec(
            code="BT-BDG-BATRI-2018",
            title="Bình đẳng giới trong công tác cán bộ (huyện Ba Tri)",
            kind="gender_equality",
            award=None,
            organizer="UBND huyện Ba Tri",
            place="Hội trường UBND huyện Ba Tri",
            capacity=30,
            opens_on=date(2018, 8, 1),
            closes_on=date(2018, 8, 24),
            status="registration_closed",
            sessions=sessions(date(2018, 9, 10), 1, _GENDER, ("giangvien",)),
            trainers=("giangvien",),
            audience_organizations=("UBND huyện Ba Tri",),
            creator=UNIT_HR,
            plan=Plan(register=4, nominate=3, fixed=((data.OFFICIAL_CODE, "register"),)),
        ),
        CourseSpec(
            code="BT-LDS-2018",
            title="Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương",
            kind="leadership",
            award=("leadership_training", "department"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=20,
            opens_on=date(2018, 9, 3),
            closes_on=date(2018, 9, 28),
            status="registration_closed",
            sessions=sessions(date(2018, 10, 15), 3, _LEADERSHIP, ("giangvien",)),
            trainers=("giangvien",),
            ranks=("deputy_department_head", "department_head"),
            plan=Plan(nominate=12, cancel=1),
        ),
        CourseSpec(
            code="BT-KN-2018",
            title="Kỹ năng thuyết trình và soạn thảo văn bản hành chính",
            kind="other",
            award=None,
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=30,
            opens_on=date(2018, 10, 1),
            closes_on=date(2018, 10, 19),
            status="registration_closed",
            sessions=sessions(date(2018, 11, 5), 2, _STATE[3:] + _LEADERSHIP[1:2], ()),
            plan=Plan(register=18, cancel=2),
        ),
    )


# Past courses finished through app.attendance (attendance recorded for every session, some
# officials below the threshold, certificates issued): BT-LDP-2017 gives `canbo` her
# certificate (and closes her leadership gap), BT-BDG-BATRI-2018 awards nothing.
FINISHED = ("BT-LDP-2017", "BT-BDG-BATRI-2018")
# Of the confirmed officials of a finished or running course, this share misses many sessions.
POOR_SHARE = 5


def working_days_before(day: date, count: int) -> list[date]:
    """`count` working days before `day`, in order."""
    days, current = [], day - timedelta(days=1)
    while len(days) < count:
        if current.weekday() < 5:
            days.append(current)
        current -= timedelta(days=1)
    return sorted(days)


def _current(today: date) -> tuple[CourseSpec, ...]:
    """A course taught by `giangvien` running now: two working days before today, a session
    today (whatever the weekday: the trainer's start page has work), two working days after.
    The attendance of the sessions before today is recorded; today's is the trainer's."""
    before = working_days_before(today, 2)
    after = working_days(today + timedelta(days=1), 2)
    made = []
    for day in before + after:
        for starts_at, ends_at in (MORNING, AFTERNOON):
            made.append((day, starts_at, ends_at))
    made.append((today, *MORNING))
    made.sort()
    topics = _STATE
    specs = tuple(
        SessionSpec(day, starts_at, ends_at, topics[n % len(topics)], "giangvien")
        for n, (day, starts_at, ends_at) in enumerate(made)
    )
    return (
        CourseSpec(
            code="BT-QLNN-XA-DANG-HOC",
            title="Bồi dưỡng kiến thức quản lý nhà nước cho công chức cấp xã",
            kind="state_management",
            award=("state_management", "specialist"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=25,
            opens_on=before[0] - timedelta(days=45),
            closes_on=before[0] - timedelta(days=14),
            status="registration_closed",
            sessions=specs,
            trainers=("giangvien",),
            plan_levels=("commune",),
            plan=Plan(register=12, nominate=4, cancel=1),
            current=True,
        ),
    )


def attendance_plan(code: str, official_codes: list[str], sessions: int, seed: int = SEED):
    """{official code: [status per session]} for the sessions to record, deterministic: most
    attend (now and then late or excused), about one in POOR_SHARE misses many; the demo
    account's official attends every one."""
    rng = random.Random(f"{seed}:attendance:{code}")
    plan = {}
    for official_code in sorted(official_codes):
        poor = official_code != data.OFFICIAL_CODE and rng.randrange(POOR_SHARE) == 0
        statuses = []
        for _n in range(sessions):
            draw = rng.random()
            if official_code == data.OFFICIAL_CODE:
                statuses.append("present")
            elif poor:
                statuses.append("absent" if draw < 0.45 else "excused" if draw < 0.6 else "present")
            else:
                statuses.append("present" if draw < 0.88 else "late" if draw < 0.95 else "excused")
        plan[official_code] = statuses
    return plan


def _upcoming(today: date) -> tuple[CourseSpec, ...]:
    """Open courses around `today`: registration running (one not yet opened), the sessions
    after it closes."""

    def window(opened_days_ago: int, closes_in: int) -> dict:
        closes_on = today + timedelta(days=closes_in)
        return {
            "opens_on": today - timedelta(days=opened_days_ago),
            "closes_on": closes_on,
            "first": next_monday(closes_on + timedelta(days=3)),
        }

    cc, qp, th, ldp, bdg, cv = (
        window(10, 20),
        window(14, 10),
        window(5, 25),
        window(-5, 30),  # opens in five days
        window(7, 14),
        window(3, 40),
    )
    return (
        CourseSpec(
            code="BT-LLCC-SAP-TOI",
            title="Cao cấp lý luận chính trị dành cho nữ cán bộ lãnh đạo, quản lý",
            kind="political_theory",
            award=("political_theory", "advanced"),
            organizer=SCHOOL,
            place=SCHOOL,
            capacity=25,
            opens_on=cc["opens_on"],
            closes_on=cc["closes_on"],
            status="open",
            sessions=sessions(cc["first"], 5, _POLITICAL, ("giangvien",))
            + sessions(cc["first"] + timedelta(days=35), 5, _POLITICAL[2:], ("giangvien",)),
            trainers=("giangvien",),
            requires_approval=True,
            plan_levels=("province", "district"),
            ranks=LEADERS,
            women_only=True,
            plan=Plan(register=12, nominate=3, reject=1, pending=5),
        ),
        CourseSpec(
            code="BT-QPAN3-SAP-TOI",
            title="Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 3",
            kind="defense_security",
            award=("defense_security", "tier3"),
            organizer=data.PROVINCE_ROOT,
            place="Trường Quân sự tỉnh Bến Tre",
            capacity=12,
            opens_on=qp["opens_on"],
            closes_on=qp["closes_on"],
            status="open",
            sessions=sessions(qp["first"], 5, _DEFENCE, ("giangvien.qpan",)),
            trainers=("giangvien.qpan",),
            ranks=LEADERS,
            plan=Plan(register=13, nominate=3, cancel=1),  # full: a waitlist of three
        ),
        CourseSpec(
            code="BT-TH-SAP-TOI",
            title="Ứng dụng công nghệ thông tin cơ bản (lớp buổi chiều)",
            kind="it_skill",
            award=("it_skill", "basic"),
            organizer="Sở Thông tin và Truyền thông",
            place="Phòng máy Sở Thông tin và Truyền thông",
            capacity=30,
            opens_on=th["opens_on"],
            closes_on=th["closes_on"],
            status="open",
            sessions=sessions(th["first"], 4, _IT, ("giangvien.tinhoc",), (AFTERNOON,)),
            trainers=("giangvien.tinhoc",),
            plan=Plan(register=9, nominate=2, cancel=1),
        ),
        CourseSpec(
            code="BT-LDP-SAP-TOI",
            title="Bồi dưỡng lãnh đạo, quản lý cấp phòng dành cho cán bộ nữ",
            kind="leadership",
            award=("leadership_training", "division"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=30,
            opens_on=ldp["opens_on"],
            closes_on=ldp["closes_on"],
            status="open",
            sessions=sessions(ldp["first"], 4, _LEADERSHIP, ("giangvien",)),
            trainers=("giangvien",),
            ranks=("deputy_division_head", "division_head"),
            women_only=True,
            plan=Plan(nominate=4),  # registration opens later; HR has nominated some
        ),
        CourseSpec(
            code="BT-BDG-BATRI-SAP-TOI",
            title="Kỹ năng lồng ghép giới cho cán bộ huyện Ba Tri",
            kind="gender_equality",
            award=None,
            organizer="UBND huyện Ba Tri",
            place="Hội trường UBND huyện Ba Tri",
            capacity=8,
            opens_on=bdg["opens_on"],
            closes_on=bdg["closes_on"],
            status="open",
            sessions=sessions(bdg["first"], 2, _GENDER, ("giangvien",), (MORNING,)),
            trainers=("giangvien",),
            audience_organizations=("UBND huyện Ba Tri",),
            creator=UNIT_HR,
            plan=Plan(register=6, nominate=4),  # full: a waitlist of two
        ),
        CourseSpec(
            code="BT-QLNN-CV-SAP-TOI",
            title="Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên",
            kind="state_management",
            award=("state_management", "specialist"),
            organizer="Sở Nội vụ",
            place=HOME_OF_INTERIOR,
            capacity=40,
            opens_on=cv["opens_on"],
            closes_on=cv["closes_on"],
            status="open",
            sessions=sessions(cv["first"], 5, _STATE, ("giangvien",)),
            trainers=("giangvien",),
            requires_approval=True,
            plan_levels=("province", "district"),
            ranks=("staff",),
            plan=Plan(register=8, reject=1, pending=3),
        ),
    )


_ABOUT = {
    "political_theory": "Chương trình lý luận chính trị theo quy định của Ban Tuyên giáo Trung ương"
    ", học theo từng đợt tập trung; học viên hoàn thành được cấp bằng.",
    "state_management": "Chương trình bồi dưỡng theo tiêu chuẩn ngạch công chức do Bộ Nội vụ "
    "ban hành; hoàn thành được cấp chứng chỉ.",
    "defense_security": "Bồi dưỡng kiến thức quốc phòng và an ninh theo đối tượng; hoàn thành "
    "được cấp chứng chỉ.",
    "it_skill": "Thực hành trên máy tại phòng máy; đạt chuẩn kỹ năng sử dụng công nghệ thông tin "
    "cơ bản.",
    "leadership": "Bồi dưỡng kỹ năng lãnh đạo, quản lý theo chức vụ; hoàn thành được cấp chứng "
    "chỉ.",
    "gender_equality": "Sinh hoạt chuyên đề về bình đẳng giới; không cấp chứng chỉ.",
    "other": "Bồi dưỡng kỹ năng làm việc; không cấp chứng chỉ.",
}


def courses(today: date) -> tuple[CourseSpec, ...]:
    """Every demo course: the past ones first (in date order), the one running now, then the
    upcoming."""
    return _past() + _current(today) + _upcoming(today)


def description(course: CourseSpec) -> str:
    return course.description or _ABOUT[course.kind]


# --- who enrols ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One use-case of the enrolment services: action is register, nominate, approve,
    reject or cancel; `on` the day it happens (None: today)."""

    action: str
    code: str
    on: date | None = None
    reason: str | None = None


_PARENTS = {org["name"]: org["parent"] for org in data.ORGANIZATIONS}
_ACCOUNT_CODES = {account["official_code"] for account in data.DEMO_ACCOUNTS}
_REJECTION = "Chưa đủ điều kiện về thời gian công tác theo quy định của khóa học."
_CANCELLATION = "Bận công tác đột xuất."


def _inside(organization: str, roots: tuple[str, ...]) -> bool:
    name = organization
    while name is not None:
        if name in roots:
            return True
        name = _PARENTS.get(name)
    return False


def in_audience(course: CourseSpec, row: dict, on: date) -> bool:
    """Whether her post (the demo's one post each) is in the course's audience on `on`."""
    if row["left_on"] is not None and row["left_on"] <= on:
        return False
    if row["appointed_on"] is not None and row["appointed_on"] > on:
        return False
    return (
        (not course.plan_levels or row["plan_level"] in course.plan_levels)
        and (not course.ranks or row["position_rank"] in course.ranks)
        and (not course.women_only or row["sex"] == "F")
        and (
            not course.audience_organizations
            or _inside(row["organization"], course.audience_organizations)
        )
    )


def _lacks_award(course: CourseSpec, row: dict) -> bool:
    if course.award is None:
        return True
    ladder, level = course.award
    return rank(ladder, row[ladder]) < rank(ladder, level)


def _days(course: CourseSpec, count: int, today: date) -> list[date | None]:
    """The days of `count` registrations: spread over a past window; today for a running one."""
    if course.upcoming:
        return [None] * count
    span = (course.closes_on - course.opens_on).days
    return [course.opens_on + timedelta(days=span * i // max(count, 1)) for i in range(count)]


def enrolment_steps(course: CourseSpec, rows: list[dict], today: date, seed: int = SEED):
    """The use-cases that give `course` its enrolments, in order, from the demo officials
    `rows` (app.demo.data.officials()): officials in the audience on the day (lacking what the
    course awards), chosen with a seeded generator; the demo accounts' officials only where
    `course.plan.fixed` names them."""
    plan = course.plan
    on = course.opens_on if not course.upcoming else today
    rng = random.Random(f"{seed}:{course.code}")
    window = (on,) if course.upcoming else (course.opens_on, course.closes_on)
    fit = [
        row
        for row in rows
        if row["code"] not in _ACCOUNT_CODES
        and all(in_audience(course, row, day) for day in window)
        and _lacks_award(course, row)
    ]
    chosen = [row["code"] for row in rng.sample(fit, min(len(fit), plan.register + plan.nominate))]
    fixed = [code for code, how in plan.fixed if how == "register"]
    registering = fixed + chosen[: plan.register]
    steps = [
        Step("register", code, day)
        for code, day in zip(registering, _days(course, len(registering), today), strict=True)
    ]
    decided_on = None if course.upcoming else course.closes_on
    steps += [Step("nominate", code, decided_on) for code in chosen[plan.register :]]
    if course.requires_approval:
        asked = chosen[: plan.register]
        rejected = asked[: plan.reject]
        undecided = asked[plan.reject : plan.reject + plan.pending]
        steps += [Step("reject", code, decided_on, _REJECTION) for code in rejected]
        steps += [
            Step("approve", code, decided_on)
            for code in fixed + asked
            if code not in rejected and code not in undecided
        ]
    leaving = [code for code in chosen[: plan.register] if code not in chosen[: plan.reject]]
    steps += [Step("cancel", code, decided_on, _CANCELLATION) for code in leaving[: plan.cancel]]
    return steps
