"""GET /api/v1/progress, /api/v1/progress/gaps (DOMAIN §5.2) and /api/v1/target-sets.

The same JSON as `flask progress report|gaps`, for HR only and within its scope: province HR
and admin see the province, unit HR its subtree (rule "progress.view").
"""

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort

from ..domain.plan import ALL, ORGANIZATION_ITEMS
from ..domain.targets import GROUPS, OPERATORS, RESULT_STATUSES
from ..extensions import db
from ..officials.models import Organization
from ..permissions import can, scope_prefix
from ..progress import services
from ..validation import ServiceError
from . import api_blueprint, current_api_user
from .schemas import ErrorSchema

blp = api_blueprint("api_progress", __name__, "Progress (Mục tiêu 1–3): report, gaps, target sets")

STATUSES = RESULT_STATUSES


class ProgressQuerySchema(ma.Schema):
    as_of = ma.fields.Date(metadata={"description": "Reference date; default today (Bến Tre)"})
    target_set = ma.fields.String(
        load_default=services.DEFAULT_TARGET_SET,
        validate=ma.validate.Regexp(services.CODE_PATTERN),
        metadata={"description": "Code of the target set"},
    )
    organization_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Only this organization's subtree (by primary post)"},
    )


class IndicatorResultSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"example": "M3.P.pol_cc"})
    group = ma.fields.String(
        required=True,
        metadata={
            "enum": [*GROUPS, ALL],
            "description": "Mục tiêu 3 per group; Mục tiêu 1–2 entries (M1.*, M2.*) are 'all'",
        },
    )
    numerator = ma.fields.Integer(required=True)
    denominator = ma.fields.Integer(required=True)
    value = ma.fields.Float(required=True, allow_none=True)
    operator = ma.fields.String(required=True, metadata={"enum": list(OPERATORS)})
    threshold = ma.fields.Integer(required=True, metadata={"description": "Percent, 0..100"})
    status = ma.fields.String(required=True, metadata={"enum": list(STATUSES)})
    shortfall = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "How many more officials must count; null for an empty group"},
    )
    forecast_numerator = ma.fields.Integer(required=True)
    forecast_status = ma.fields.String(required=True, metadata={"enum": list(STATUSES)})
    forecast_shortfall = ma.fields.Integer(required=True, allow_none=True)
    implied = ma.fields.Boolean(
        required=True, metadata={"description": "Required of everyone but stated without a %"}
    )


class ProgressReportSchema(ma.Schema):
    target_set = ma.fields.String(required=True)
    as_of = ma.fields.String(required=True, metadata={"format": "date"})
    indicators = ma.fields.List(ma.fields.Nested(IndicatorResultSchema), required=True)


class OfficialGapSchema(ma.Schema):
    code = ma.fields.String(required=True)
    population = ma.fields.String(required=True, metadata={"enum": ["P", "D", "C"]})
    missing = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "e.g. pol_cc, qlnn"}
    )


class OrganizationGapSchema(ma.Schema):
    name = ma.fields.String(required=True)
    missing = ma.fields.List(
        ma.fields.String(metadata={"enum": list(ORGANIZATION_ITEMS)}),
        required=True,
        metadata={"description": "What it lacks: thuong_truc, chu_chot_30, bo_tri"},
    )


class GapsSchema(ma.Schema):
    target_set = ma.fields.String(required=True)
    as_of = ma.fields.String(required=True, metadata={"format": "date"})
    officials = ma.fields.List(ma.fields.Nested(OfficialGapSchema), required=True)
    organizations = ma.fields.List(
        ma.fields.Nested(OrganizationGapSchema),
        required=True,
        metadata={
            "description": "Organizations of Mục tiêu 1–2's organization indicators "
            "that do not count (DOMAIN §9)"
        },
    )
    untrained_gender_officers = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Sorted codes of gender-equality officers without training"},
    )


class TargetIndicatorSchema(ma.Schema):
    id = ma.fields.String(required=True)
    operator = ma.fields.String(required=True, metadata={"enum": list(OPERATORS)})
    threshold = ma.fields.Integer(required=True)
    implied = ma.fields.Boolean(required=True)


class TargetSetSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    deadline = ma.fields.Date(required=True)
    based_on = ma.fields.String(required=True, allow_none=True)
    indicators = ma.fields.List(ma.fields.Nested(TargetIndicatorSchema), required=True)


class TargetSetListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TargetSetSchema), required=True)


def _scoped(args: dict, compute) -> dict:
    """Check "progress.view" (on the organization when one is asked for) and compute."""
    user = current_api_user()
    if not can(user, "progress.view"):
        abort(403)
    organization_id = args.get("organization_id")
    if organization_id is not None:
        organization = db.session.get(Organization, organization_id)
        if organization is None:
            abort(404, message="No such organization.")
        if not can(user, "progress.view", organization):
            abort(403)
    from ..i18n import today

    try:
        return compute(
            args.get("as_of") or today(), args["target_set"], scope_prefix(user), organization_id
        )
    except ServiceError as error:
        status = {"not_found": 404, "forbidden": 403}.get(error.code, 422)
        abort(status, message=error.message)


def _errors(func):
    for status, description in (
        (404, "Unknown target set or organization"),
        (403, "Not HR, or an organization outside the caller's scope"),
        (401, "Missing or invalid token"),
    ):
        func = blp.alt_response(status, schema=ErrorSchema, description=description)(func)
    return func


@blp.route("/progress")
class Progress(MethodView):
    @blp.arguments(ProgressQuerySchema, location="query")
    @blp.response(200, ProgressReportSchema)
    @_errors
    def get(self, args):
        """The progress report (DOMAIN §5.2): every indicator of the target set for every
        group, over the caller's scope (or one organization's subtree within it)."""
        return _scoped(args, services.report)


@blp.route("/progress/gaps")
class ProgressGaps(MethodView):
    @blp.arguments(ProgressQuerySchema, location="query")
    @blp.response(200, GapsSchema)
    @_errors
    def get(self, args):
        """Individual gaps (DOMAIN §4.6): every official of P, D and C in scope, sorted by
        code, with what she does not count for yet."""
        return _scoped(args, services.gaps)


@blp.route("/target-sets")
class TargetSets(MethodView):
    @blp.response(200, TargetSetListSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not HR")
    def get(self):
        """Every target set with its indicators (the plan's KH-327-2017 first)."""
        if not can(current_api_user(), "target_sets.view"):
            abort(403)
        return {
            "items": [
                {
                    "code": target_set.code,
                    "name": target_set.name,
                    "deadline": target_set.deadline,
                    "based_on": target_set.based_on.code if target_set.based_on else None,
                    "indicators": [
                        {
                            "id": row.indicator,
                            "operator": row.operator,
                            "threshold": row.threshold,
                            "implied": row.implied,
                        }
                        for row in target_set.indicators
                    ],
                }
                for target_set in services.list_target_sets()
            ]
        }
