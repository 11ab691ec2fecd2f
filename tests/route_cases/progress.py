"""Route cases of Mục tiêu 3 progress: the report, the gaps and the target sets (API)."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")

CASES = [
    Case("api_progress.Progress", "GET", "/api/v1/progress", only(*HR), api=True),
    # Unit HR asking for a unit outside its subtree is refused; inside it is answered.
    Case(
        "api_progress.Progress",
        "GET",
        lambda o: f"/api/v1/progress?organization_id={o['other_unit'].id}",
        only("province_hr", "admin"),
        api=True,
    ),
    Case(
        "api_progress.Progress",
        "GET",
        lambda o: f"/api/v1/progress?organization_id={o['division'].id}&as_of=2020-11-30",
        only(*HR),
        api=True,
    ),
    Case("api_progress.ProgressGaps", "GET", "/api/v1/progress/gaps", only(*HR), api=True),
    Case(
        "api_progress.ProgressGaps",
        "GET",
        lambda o: f"/api/v1/progress/gaps?organization_id={o['other_unit'].id}",
        only("province_hr", "admin"),
        api=True,
    ),
    Case("api_progress.TargetSets", "GET", "/api/v1/target-sets", only(*HR), api=True),
]
