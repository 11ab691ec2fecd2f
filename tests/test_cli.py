"""CLI commands via runner.invoke."""

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import user_for_token


def test_users_create_reads_password_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "hr1",
            "--role",
            "province_hr",
            "--role",
            "official",
            "--email",
            "HR1@example.vn",
        ],
        input="a-long-password-1\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "hr1"))
    assert user.role_names == ("official", "province_hr") and user.email == "hr1@example.vn"


def test_users_create_refuses_unknown_role_and_duplicates(runner, db):
    result = runner.invoke(
        args=["users", "create", "x", "--role", "king"], input="pw-long-enough\n"
    )
    assert result.exit_code != 0
    runner.invoke(args=["users", "create", "dup", "--role", "official"], input="pw-long-enough\n")
    result = runner.invoke(
        args=["users", "create", "dup", "--role", "official"], input="pw-long-enough\n"
    )
    assert result.exit_code != 0 and "đã tồn tại" in result.output


def test_unit_hr_needs_an_organization(runner, db):
    result = runner.invoke(
        args=["users", "create", "u", "--role", "unit_hr"], input="pw-long-enough\n"
    )
    assert result.exit_code != 0 and "--organization" in result.output


def test_users_create_links_official_and_organization(
    runner, db, create_official, create_organization
):
    org = create_organization(name="Sở Y tế")
    official = create_official(code="BT9", organization=org)
    db.session.commit()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bt9",
            "--role",
            "unit_hr",
            "--official",
            "bt9",
            "--organization",
            "so y te",
        ],
        input="pw-long-enough\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "bt9"))
    assert user.official_id == official.id and user.organization_id == org.id


def test_users_token_prints_a_working_token(runner, db, create_user):
    user = create_user("official", username="tok")
    result = runner.invoke(args=["users", "token", "tok"])
    assert result.exit_code == 0
    assert user_for_token(result.output.strip()).id == user.id
    assert runner.invoke(args=["users", "token", "ghost"]).exit_code != 0


def test_demo_load_creates_one_account_per_role_once(runner, db):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    roles = {r for u in db.session.scalars(select(User)) for r in u.role_names}
    assert roles == {"official", "trainer", "unit_hr", "province_hr", "admin"}
    assert "Admin@BenTre2017" in result.output
    count = db.session.query(User).count()
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert db.session.query(User).count() == count


def test_demo_load_imports_the_registry(runner, db):
    from app.demo import data
    from app.officials.models import Appointment, Official, Organization
    from app.qualifications.models import Qualification

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    officials = db.session.query(Official).count()
    assert 250 <= officials <= 350
    assert db.session.query(Appointment).filter(Appointment.is_primary).count() == officials
    assert db.session.query(Qualification).filter_by(source="import").count() > officials
    organizations = {o.name: o for o in db.session.query(Organization)}
    assert set(organizations) == {org["name"] for org in data.ORGANIZATIONS}
    for org in data.ORGANIZATIONS:  # kinds, levels and the tree as the demo data says
        made = organizations[org["name"]]
        assert (made.kind, made.plan_level) == (org["kind"], org["plan_level"])
        assert made.reports_yearly is org["reports_yearly"]
        parent = organizations.get(org["parent"])
        assert made.parent_id == (parent.id if parent else None)
        assert made.path == f"{parent.path if parent else '/'}{made.id}/"
    for account in data.DEMO_ACCOUNTS:
        user = db.session.query(User).filter_by(username=account["username"]).one()
        official = user.official.code if user.official else None
        organization = user.organization.name if user.organization else None
        assert (official, organization) == (account["official_code"], account["organization"])
    counts = (db.session.query(Official).count(), db.session.query(Qualification).count())
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert (db.session.query(Official).count(), db.session.query(Qualification).count()) == counts


def test_users_create_links_through_the_link_service(runner, db, create_official):
    """The link is audited like every link, and an official who has an account already is
    refused with the service's reason (not a traceback), creating nothing."""
    from app.audit.models import AuditEntry

    official = create_official(code="BT10")
    db.session.commit()
    args = ["users", "create", "bt10", "--role", "official", "--official", "BT10"]
    assert runner.invoke(args=args, input="pw-long-enough\n").exit_code == 0
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert any(action.startswith("account.link") for action in actions), actions
    again = ["users", "create", "bt10b", "--role", "official", "--official", "BT10"]
    result = runner.invoke(args=again, input="pw-long-enough\n")
    assert result.exit_code == 1 and "--official" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(User).where(User.username == "bt10b")) is None
    db.session.refresh(official)
