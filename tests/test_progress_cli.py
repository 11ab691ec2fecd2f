"""`flask progress report|gaps` through runner.invoke: formats, defaults and errors."""

import csv
import io
import json

import pytest

from app.domain.plan import KH_327_2017_WHOLE
from app.domain.targets import GROUPS, KH_327_2017
from app.qualifications.services import add_record

# Every Mục tiêu 3 indicator for every group, then Mục tiêu 1–2 (group "all").
ENTRIES = len(KH_327_2017.indicators) * len(GROUPS) + len(KH_327_2017_WHOLE.plan_indicators)


@pytest.fixture
def data(db, create_organization, create_official):
    org = create_organization(name="Sở Thử")
    lan = create_official(code="C1", organization=org, position_rank="division_head")
    add_record(lan, "political_theory", "advanced", source="import")
    create_official(code="C2", organization=org, position_rank="department_head", sex="M")
    db.session.commit()


def _run(runner, *args):
    return runner.invoke(args=["progress", *args])


def test_report_defaults_to_today_and_the_plan(runner, data):
    from app.i18n import today

    before = today()
    result = _run(runner, "report")
    after = today()
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["target_set"] == "KH-327-2017"
    assert report["as_of"] in {before.isoformat(), after.isoformat()}  # midnight may pass


def test_report_json(runner, data):
    result = _run(runner, "report", "--as-of", "2021-03-04")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["target_set"], report["as_of"]) == ("KH-327-2017", "2021-03-04")
    assert len(report["indicators"]) == ENTRIES
    first = report["indicators"][0]
    assert list(first) == [
        "id",
        "group",
        "numerator",
        "denominator",
        "value",
        "operator",
        "threshold",
        "status",
        "shortfall",
        "forecast_numerator",
        "forecast_status",
        "forecast_shortfall",
        "implied",
    ]
    assert first == {
        "id": "M3.P.pol_tc",
        "group": "women",
        "numerator": 1,
        "denominator": 1,
        "value": 1.0,
        "operator": ">=",
        "threshold": 100,
        "status": "met",
        "shortfall": 0,
        "forecast_numerator": 1,
        "forecast_status": "met",
        "forecast_shortfall": 0,
        "implied": False,
    }


def test_report_csv_has_a_header_and_one_line_per_entry(runner, data):
    result = _run(runner, "report", "--as-of", "2020-11-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == ENTRIES
    tap_huan = next(r for r in rows if r["id"] == "M2.tap_huan")
    assert (tap_huan["group"], tap_huan["forecast_numerator"]) == ("all", tap_huan["numerator"])
    men = next(r for r in rows if r["id"] == "M3.P.pol_cc" and r["group"] == "men")
    assert men["target_set"] == "KH-327-2017" and men["as_of"] == "2020-11-30"
    assert (men["numerator"], men["denominator"], men["status"]) == ("0", "1", "not_met")
    assert (men["shortfall"], men["implied"]) == ("1", "false")
    empty = next(r for r in rows if r["id"] == "M3.C.it" and r["group"] == "women")
    assert (empty["value"], empty["shortfall"], empty["status"]) == ("", "", "not_applicable")


def test_report_table_is_readable(runner, data):
    result = _run(runner, "report", "--as-of", "2020-11-30", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Target set KH-327-2017, as of 2020-11-30"
    assert lines[1].split() == [
        "id",
        "group",
        "n/d",
        "%",
        "threshold",
        "status",
        "shortfall",
        "forecast",
    ]
    pol_cc = next(line for line in lines if line.startswith("M3.P.pol_cc") and " men " in line)
    assert pol_cc.split() == ["M3.P.pol_cc", "men", "0/1", "0.0", ">=", "60", "not_met", "1"] + [
        "0/1",
        "not_met",
    ]
    assert any(">= 100*" in line for line in lines)  # implied targets are marked


def test_gaps_json_and_csv(runner, data):
    result = _run(runner, "gaps", "--as-of", "2020-11-30")
    assert result.exit_code == 0, result.output
    gaps = json.loads(result.output)
    assert [o["code"] for o in gaps["officials"]] == ["C1", "C2"]
    assert gaps["officials"][0]["missing"][:2] == ["edu_dh", "edu_sdh"]
    result = _run(runner, "gaps", "--as-of", "2020-11-30", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["code"] for r in rows] == ["C1", "C2"]
    assert rows[1]["missing"].split() == gaps["officials"][1]["missing"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("report", "--as-of", "30/11/2020"), "YYYY-MM-DD"),
        (("gaps", "--as-of", "2020-02-30"), "YYYY-MM-DD"),
        (("report", "--target-set", "NOPE"), "NOPE"),
        (("gaps", "--target-set", "NOPE"), "NOPE"),
        (("report", "--format", "xml"), "xml"),
        (("gaps", "--format", "table"), "table"),
    ],
)
def test_errors_exit_non_zero_with_a_message(runner, db, args, message):
    result = _run(runner, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_another_target_set(runner, db, data):
    from app.progress import services

    copy = services.copy_target_set("KH-327-2017", "KH-LOOSE", "Nới lỏng")
    services.update_indicator(copy, "M3.P.pol_cc", ">=", 50)
    db.session.commit()
    result = _run(runner, "report", "--as-of", "2020-11-30", "--target-set", "KH-LOOSE")
    report = json.loads(result.output)
    assert report["target_set"] == "KH-LOOSE"
    entry = next(
        e for e in report["indicators"] if e["id"] == "M3.P.pol_cc" and e["group"] == "women"
    )
    assert (entry["threshold"], entry["status"]) == (50, "met")
