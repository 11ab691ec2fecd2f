"""The rules of the yearly report (DOMAIN §11), as tables of cases."""

from datetime import date

import pytest

from app.domain.yearly import (
    change,
    deadline,
    follow_up_status,
    indicator_entry,
    period,
    previous_year_date,
    reference_date,
    reminder_due,
    report_year,
    sum_indicators,
    summed_paths,
    with_entry,
)


@pytest.mark.parametrize(
    ("on", "year"),
    [
        (date(2025, 12, 1), 2026),  # first day of the 2026 period
        (date(2025, 11, 30), 2025),  # last day of the 2025 period
        (date(2026, 1, 1), 2026),
        (date(2026, 11, 30), 2026),
        (date(2026, 12, 1), 2027),  # after 30/11: next year's report
        (date(2026, 12, 31), 2027),
        (date(2024, 2, 29), 2024),
    ],
)
def test_report_year(on, year):
    assert report_year(on) == year


def test_period_and_deadline():
    assert period(2026) == (date(2025, 12, 1), date(2026, 11, 30))
    assert deadline(2026) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("on", "year", "expected"),
    [
        (date(2026, 11, 12), 2026, date(2026, 11, 12)),  # on time: the submission day
        (date(2026, 11, 30), 2026, date(2026, 11, 30)),  # the deadline itself
        (date(2026, 12, 1), 2026, date(2026, 11, 30)),  # late: still 30/11
        (date(2027, 3, 5), 2026, date(2026, 11, 30)),  # very late
        (date(2025, 11, 20), 2026, date(2025, 12, 1)),  # before the period: its first day
    ],
)
def test_reference_date(on, year, expected):
    assert reference_date(on, year) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 11, 30), date(2025, 11, 30)),
        (date(2024, 2, 29), date(2023, 2, 28)),  # 29 February → 28 February
        (date(2024, 2, 28), date(2023, 2, 28)),
        (date(2025, 3, 1), date(2024, 3, 1)),
        (date(2025, 2, 28), date(2024, 2, 28)),
    ],
)
def test_previous_year_date(on, expected):
    assert previous_year_date(on) == expected


@pytest.mark.parametrize(
    ("has_draft", "first_submitted", "expected"),
    [
        (False, None, "not_started"),
        (True, None, "draft"),
        (False, date(2026, 11, 1), "on_time"),
        (False, date(2026, 11, 30), "on_time"),  # on the deadline is on time
        (False, date(2026, 12, 1), "late"),
        (True, date(2026, 11, 29), "on_time"),  # a new version in progress: still on time
        (True, date(2026, 12, 2), "late"),
    ],
)
def test_follow_up_status(has_draft, first_submitted, expected):
    assert follow_up_status(2026, has_draft, first_submitted) == expected


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 14), False),  # 16 days before
        (date(2026, 11, 15), True),  # 15 days before
        (date(2026, 11, 30), True),  # the deadline
        (date(2026, 12, 1), False),  # after it
        (date(2026, 6, 1), False),
    ],
)
def test_reminder_window(today, due):
    assert reminder_due(2026, today) is due


@pytest.mark.parametrize(
    ("value", "previous", "expected"),
    [
        (0.45, 0.30, 15.0),
        (0.30, 0.45, -15.0),
        (0.5, 0.5, 0.0),
        (1 / 3, 0.0, 33.33),
        (None, 0.5, None),
        (0.5, None, None),
    ],
)
def test_change_in_percentage_points(value, previous, expected):
    assert change(value, previous) == expected


def _entry(id_, group, n, d, pn, pd, op=">=", threshold=50):
    current = {
        "id": id_,
        "group": group,
        "numerator": n,
        "denominator": d,
        "value": n / d if d else None,
        "operator": op,
        "threshold": threshold,
        "status": "x",
        "shortfall": 0,
        "implied": False,
    }
    previous = {"numerator": pn, "denominator": pd, "value": pn / pd if pd else None}
    return indicator_entry(current, {**previous, "status": "y"})


def test_indicator_entry_has_objective_previous_and_change():
    entry = _entry("M3.P.pol_cc", "women", 3, 4, 1, 2)
    assert entry["objective"] == "M3"
    assert entry["previous"] == {"numerator": 1, "denominator": 2, "value": 0.5, "status": "y"}
    assert entry["change"] == 25.0
    missing = indicator_entry(dict(_entry("M1.dai_bieu", "all", 1, 2, 0, 0)), None)
    assert missing["objective"] == "M1"
    assert missing["previous"]["status"] == "not_applicable"
    assert missing["change"] is None


def test_province_sum_recomputes_status_and_shortfall():
    unit_a = [_entry("M1.phong_huyen", "all", 1, 4, 0, 4, threshold=30)]
    unit_b = [
        _entry("M1.phong_huyen", "all", 2, 6, 1, 2, threshold=30),
        _entry("M2.bo_tri", "all", 0, 0, 0, 0, threshold=100),
    ]
    total = sum_indicators([unit_a, unit_b])
    assert [t["id"] for t in total] == ["M1.phong_huyen", "M2.bo_tri"]
    first = total[0]
    # 3 of 10 against >= 30%: met exactly, no shortfall; one year before 1 of 6: not met, 1 short
    assert (first["numerator"], first["denominator"], first["value"]) == (3, 10, 0.3)
    assert (first["status"], first["shortfall"]) == ("met", 0)
    assert first["previous"] == {
        "numerator": 1,
        "denominator": 6,
        "value": 1 / 6,
        "status": "not_met",
    }
    assert first["change"] == round((0.3 - 1 / 6) * 100, 2)
    empty = total[1]
    assert (empty["status"], empty["shortfall"], empty["value"]) == ("not_applicable", None, None)


def test_province_sum_keeps_groups_apart_and_shortfall_counts():
    units = [
        [_entry("M3.P.pol_cc", "women", 1, 5, 0, 0, threshold=60)],
        [
            _entry("M3.P.pol_cc", "women", 1, 5, 0, 0, threshold=60),
            _entry("M3.P.pol_cc", "men", 2, 2, 0, 0, threshold=60),
        ],
    ]
    women, men = sum_indicators(units)
    assert (women["group"], women["numerator"], women["denominator"]) == ("women", 2, 10)
    assert (women["status"], women["shortfall"]) == ("not_met", 4)  # 60% of 10 = 6
    assert (men["group"], men["status"], men["shortfall"]) == ("men", "met", 0)
    assert sum_indicators([]) == []


@pytest.mark.parametrize(
    ("paths", "summed"),
    [
        ([], set()),
        (["/1/2/"], {"/1/2/"}),
        (["/1/2/", "/1/3/"], {"/1/2/", "/1/3/"}),
        # a district and its commune: the district's figures hold the commune's
        (["/1/2/", "/1/2/7/"], {"/1/2/"}),
        (["/1/2/7/", "/1/2/"], {"/1/2/"}),
        # a commune whose district has not submitted still counts
        (["/1/2/7/", "/1/3/"], {"/1/2/7/", "/1/3/"}),
        # "/1/2/" is not a prefix of "/1/23/": another unit
        (["/1/2/", "/1/23/"], {"/1/2/", "/1/23/"}),
        (["/1/2/", "/1/2/"], {"/1/2/"}),
    ],
)
def test_the_province_sums_each_subtree_once(paths, summed):
    assert summed_paths(paths) == summed


def test_with_entry_replaces_one_indicator_in_place():
    entries = [
        {"id": "M1.dai_bieu", "group": "all", "numerator": 0},
        {"id": "M1.x", "group": "all"},
    ]
    replaced = with_entry(entries, {"id": "M1.dai_bieu", "group": "all", "numerator": 7})
    assert [e["id"] for e in replaced] == ["M1.dai_bieu", "M1.x"] and replaced[0]["numerator"] == 7
