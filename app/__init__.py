"""Application factory: wires extensions, blueprints, CLI groups and error handlers."""

from pathlib import Path

from flask import Flask

import config as config_module

from .extensions import bootstrap, csrf, db, limiter, login_manager, mail, migrate, talisman

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None) -> Flask:
    """Build the application. `config` is a config name, an object, or None for APP_CONFIG."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    if config is None or isinstance(config, str):
        config = config_module.load(config)
    app.config.from_object(config)

    from . import request_log, routing

    routing.register(app)  # before any rule is added
    request_log.register(app)  # first: its clock starts before any other hook runs
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from . import errors, i18n, navigation

    errors.register(app)
    i18n.register(app)
    navigation.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import (
        database,
        models,  # noqa: F401  (the whole schema, for mappers and migrations)
        security,
    )

    db.init_app(app)
    database.configure(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    security.init_app(app, talisman, login_manager)


def _register_blueprints(app: Flask) -> None:
    from .api import init_api
    from .attendance import bp as attendance_bp
    from .auth import bp as auth_bp
    from .calendar import bp as calendar_bp
    from .childcare import bp as childcare_bp
    from .core import bp as core_bp
    from .courses import bp as courses_bp
    from .enrolment import bp as enrolment_bp
    from .jobs import bp as jobs_bp
    from .jobs import init_app as init_jobs
    from .notifications import bp as notifications_bp
    from .officials import bp as officials_bp
    from .plan import bp as plan_bp
    from .plan.yearly import bp as yearly_bp
    from .progress import bp as progress_bp
    from .qualifications import bp as qualifications_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(officials_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(qualifications_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(enrolment_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(childcare_bp)
    app.register_blueprint(jobs_bp)
    init_jobs(app)
    app.register_blueprint(yearly_bp)
    init_api(app)


def _register_cli(app: Flask) -> None:
    from .auth.cli import users_cli
    from .backup.cli import backup_command, restore_command
    from .demo.cli import demo_cli
    from .notifications.cli import notifications_cli
    from .officials import account_cli  # noqa: F401  (adds `users create`)
    from .officials.cli import officials_cli
    from .plan.cli import plan_cli
    from .progress.cli import progress_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(officials_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(progress_cli)
    app.cli.add_command(plan_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
