"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""

from .attendance.models import Attendance, AttendanceChange, Certificate  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .auth.models import ApiToken, User, UserRole, UserSession  # noqa: F401
from .calendar.models import CalendarFeed  # noqa: F401
from .childcare.models import ChildcareRate, ChildcareRequest, RememberedChild  # noqa: F401
from .courses.models import Course, CourseSession, SessionChange  # noqa: F401
from .enrolment.models import Enrolment  # noqa: F401
from .jobs.models import Job  # noqa: F401
from .notifications.models import Notification, OutboxEmail  # noqa: F401
from .officials.models import Appointment, Official, Organization, RecordNote  # noqa: F401
from .plan.models import CollaboratorCount, SeatEntry  # noqa: F401
from .plan.yearly.models import YearlyReminder, YearlyReport  # noqa: F401
from .progress.models import TargetIndicator, TargetSet  # noqa: F401
from .qualifications.models import Qualification  # noqa: F401
from .settings import Setting  # noqa: F401
