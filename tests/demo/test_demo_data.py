"""The demo data of Bến Tre: deterministic, consistent and within the DOMAIN code sets."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from app.demo import data

REFERENCE_DATE = date(2020, 11, 30)

# DOMAIN §2, §3, §3.1, §5.1 code sets, written out here on purpose (not imported from the app).
SEXES = {"F", "M"}
CATEGORIES = {"can_bo", "cong_chuc", "vien_chuc"}
PLAN_LEVELS = {"province", "district", "commune"}
KINDS = {
    "party",
    "people_council",
    "people_committee",
    "state",
    "mass",
    "public_service",
    "other",
}
RANKS = {
    "staff",
    "deputy_division_head",
    "division_head",
    "deputy_department_head",
    "department_head",
    "provincial_leader",
}
LADDERS = {
    "political_theory": {"none", "elementary", "intermediate", "advanced", "bachelor"},
    "education": {
        "none",
        "primary_vocational",
        "secondary_vocational",
        "college",
        "bachelor",
        "master",
        "doctorate",
        "medical_resident",
        "specialist_1",
        "specialist_2",
    },
    "state_management": {"none", "specialist", "principal", "senior"},
    "defense_security": {"none", "tier4", "tier3", "tier2", "tier1"},
    "it_skill": {"none", "basic", "advanced"},
    "leadership_training": {"none", "division", "department"},
}
BOOLEANS = (
    "party_committee",
    "commune_key_post",
    "commune_full_time",
    "in_succession_pool",
    "international_integration",
)
COLUMNS = [
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
]
ROOT = "UBND tỉnh Bến Tre"
ORGS = {org["name"]: org for org in data.ORGANIZATIONS}


@pytest.fixture(scope="module")
def rows():
    return data.officials()


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- organizations ------------------------------------------------------------------------------


def test_organization_names_unique_and_parents_defined_earlier():
    names = [org["name"] for org in data.ORGANIZATIONS]
    assert len(names) == len(set(names))
    assert 35 <= len(names) <= 50
    seen: set[str] = set()
    for org in data.ORGANIZATIONS:
        assert set(org) == {"name", "plan_level", "kind", "parent", "reports_yearly"}
        assert org["plan_level"] in PLAN_LEVELS
        assert org["kind"] in KINDS
        if org["parent"] is None:
            assert org["name"] == ROOT
        else:
            assert org["parent"] in seen
        seen.add(org["name"])


def test_organization_tree_matches_the_2017_geography():
    root = ORGS[ROOT]
    assert (root["plan_level"], root["kind"], root["parent"]) == (
        "province",
        "people_committee",
        None,
    )
    districts = [
        o for o in data.ORGANIZATIONS if o["name"].startswith(("UBND huyện", "UBND thành"))
    ]
    assert {o["name"] for o in districts} == {
        "UBND thành phố Bến Tre",
        *(
            f"UBND huyện {name}"
            for name in (
                "Ba Tri",
                "Bình Đại",
                "Châu Thành",
                "Chợ Lách",
                "Giồng Trôm",
                "Mỏ Cày Bắc",
                "Mỏ Cày Nam",
                "Thạnh Phú",
            )
        ),
    }
    assert all(o["plan_level"] == "district" and o["parent"] == ROOT for o in districts)
    for org in data.ORGANIZATIONS:
        if org["plan_level"] == "commune":
            assert org["name"].startswith(("UBND xã ", "UBND phường "))
            assert ORGS[org["parent"]] in districts
        elif org["plan_level"] == "district" and org not in districts:
            assert ORGS[org["parent"]] in districts
    kinds = Counter(org["kind"] for org in data.ORGANIZATIONS)
    assert set(kinds) == KINDS
    for name in ("Sở Nội vụ", "Hội Liên hiệp Phụ nữ tỉnh Bến Tre", "Trường Chính trị tỉnh Bến Tre"):
        assert ORGS[name]["plan_level"] == "province"


# --- officials ----------------------------------------------------------------------------------


def test_officials_are_deterministic(rows):
    assert data.officials() == rows
    assert data.officials(seed=327, reference_date=REFERENCE_DATE) == rows
    assert data.officials(seed=1) != rows
    assert data.officials(seed=1) == data.officials(seed=1)


@pytest.mark.parametrize("count", [0, 1, 2, 10, 150, 300, 450])
def test_count_is_respected(count):
    result = data.officials(count)
    assert len(result) == count
    assert len({row["code"] for row in result}) == count


def test_rows_have_exactly_the_spreadsheet_columns(rows):
    assert len(rows) == 300
    for row in rows:
        assert list(row) == COLUMNS


def test_codes_are_unique_and_zero_padded(rows):
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert codes[:3] == ["BT000001", "BT000002", "BT000003"]
    assert codes[-1] == "BT000300"


@pytest.mark.parametrize("seed", [327, 1, 2017])
def test_values_are_within_the_domain_code_sets(seed):
    for row in data.officials(seed=seed):
        assert row["sex"] in SEXES
        assert row["category"] in CATEGORIES
        assert row["plan_level"] in PLAN_LEVELS
        assert row["position_rank"] in RANKS
        for ladder, codes in LADDERS.items():
            assert row[ladder] in codes, (row["code"], ladder, row[ladder])
        for key in BOOLEANS:
            assert type(row[key]) is bool, (row["code"], key)
        assert isinstance(row["birth_date"], date)
        for key in ("appointed_on", "left_on"):
            assert row[key] is None or isinstance(row[key], date)
        assert isinstance(row["full_name"], str) and len(row["full_name"].split()) >= 3
        assert isinstance(row["ethnicity"], str) and row["ethnicity"]
        assert isinstance(row["position_title"], str) and row["position_title"]
        assert "{" not in row["position_title"]


def test_organization_fields_are_consistent(rows):
    for row in rows:
        org = ORGS[row["organization"]]
        assert row["parent_organization"] == org["parent"]
        assert row["plan_level"] == org["plan_level"]


def test_ranks_fit_their_organizations(rows):
    ranks = Counter(row["position_rank"] for row in rows)
    assert set(ranks) == RANKS
    assert ranks.most_common(1)[0][0] == "staff"
    for row in rows:
        org = ORGS[row["organization"]]
        rank = row["position_rank"]
        if rank == "provincial_leader":
            assert row["organization"] == ROOT
        if rank in ("deputy_department_head", "department_head"):
            department_like = org["parent"] == ROOT and org["kind"] != "public_service"
            assert department_like, row
        if org["plan_level"] != "commune":
            assert not row["commune_key_post"] and not row["commune_full_time"]


def test_titles_follow_rank_and_level(rows):
    titles = {(row["position_title"], row["position_rank"]) for row in rows}
    for expected in (
        ("Chủ tịch UBND tỉnh", "provincial_leader"),
        ("Giám đốc Sở", "department_head"),
        ("Phó Giám đốc Sở", "deputy_department_head"),
        ("Trưởng phòng", "division_head"),
        ("Phó Trưởng phòng", "deputy_division_head"),
        ("Chuyên viên", "staff"),
        ("Chủ tịch UBND huyện", "department_head"),
        ("Phó Chủ tịch UBND huyện", "deputy_department_head"),
        ("Chủ tịch UBND xã", "division_head"),
        ("Phó Chủ tịch UBND xã", "deputy_division_head"),
    ):
        assert expected in titles


def test_commune_flags_are_realistic(rows):
    commune = [row for row in rows if row["plan_level"] == "commune"]
    assert commune
    for row in commune:
        title = row["position_title"]
        is_key = title.startswith(("Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Đảng ủy"))
        assert row["commune_key_post"] == is_key, title
        if is_key:
            assert row["commune_full_time"] and row["party_committee"] in (True, False)
        if title.startswith("Công chức"):
            assert not row["commune_full_time"]
            assert row["category"] == "cong_chuc"
    assert any(row["party_committee"] for row in commune)
    assert any(row["commune_full_time"] and not row["commune_key_post"] for row in commune)


@pytest.mark.parametrize(
    "reference_date", [REFERENCE_DATE, date(2017, 1, 24), date(2016, 3, 1), date(2024, 2, 29)]
)
def test_ages_and_appointment_dates(reference_date):
    result = data.officials(reference_date=reference_date, seed=5)
    generated = result[len(data._FIXED_OFFICIALS) :]
    for row in result:
        assert age_on(row["birth_date"], reference_date) >= 18
        if row["appointed_on"] is not None:
            assert row["appointed_on"] < reference_date
            assert row["appointed_on"] > row["birth_date"]
        if row["left_on"] is not None:
            assert row["left_on"] < reference_date
        if row["appointed_on"] is not None and row["left_on"] is not None:
            assert row["left_on"] > row["appointed_on"]
    for row in generated:
        assert 24 <= age_on(row["birth_date"], reference_date) <= 60


def test_a_few_appointments_ended_and_some_in_the_pool(rows):
    left = sum(row["left_on"] is not None for row in rows)
    pool = sum(row["in_succession_pool"] for row in rows)
    assert 3 <= left <= 30
    assert 15 <= pool <= 50


@pytest.mark.parametrize("seed", [327, 1, 2, 3])
def test_about_55_percent_women(seed):
    result = data.officials(seed=seed)
    women = sum(row["sex"] == "F" for row in result)
    assert 0.50 <= women / len(result) <= 0.60
    assert {row["sex"] for row in result} == SEXES


def test_names_are_vietnamese_and_match_sex(rows):
    for row in rows:
        middle = row["full_name"].split()[1:-1]
        if "Thị" in middle:
            assert row["sex"] == "F", row["full_name"]
        if "Văn" in middle:
            assert row["sex"] == "M", row["full_name"]
    assert len({row["full_name"] for row in rows}) == len(rows)


def test_emails_only_for_some(rows):
    with_email = [row for row in rows if row["email"] is not None]
    assert 0.1 <= len(with_email) / len(rows) <= 0.3
    for row in with_email:
        assert row["email"] == f"{row['code'].lower()}@bentre.example.vn"


def test_qualifications_give_a_mix_of_met_and_not_met(rows):
    """Women leaders of P: some criteria met by all, most not; medical degrees appear."""
    in_post = [row for row in rows if row["left_on"] is None]
    leaders = [
        r
        for r in in_post
        if r["plan_level"] in ("province", "district") and r["position_rank"] != "staff"
    ]
    women = [r for r in leaders if r["sex"] == "F"]
    assert len(women) >= 20

    def share(pred):
        return sum(pred(r) for r in women) / len(women)

    shares = [
        share(lambda r: r["political_theory"] in ("intermediate", "advanced", "bachelor")),
        share(lambda r: r["political_theory"] in ("advanced", "bachelor")),
        share(lambda r: r["it_skill"] != "none"),
        share(lambda r: r["state_management"] != "none"),
        share(lambda r: r["defense_security"] != "none"),
        share(lambda r: r["leadership_training"] != "none"),
        share(lambda r: r["international_integration"]),
    ]
    assert all(0 < value < 1 for value in shares)
    assert share(lambda r: r["political_theory"] in ("advanced", "bachelor")) >= 0.4
    assert share(lambda r: r["education"] != "none") == 1
    educations = Counter(row["education"] for row in rows)
    assert educations.most_common(1)[0][0] == "bachelor"
    assert educations["master"] + educations["doctorate"] > 0
    medical = [r for r in rows if r["education"] in ("specialist_1", "specialist_2")]
    assert medical
    assert all(r["organization"] in ORGS for r in medical)


# --- demo accounts ------------------------------------------------------------------------------


def test_one_account_per_role():
    roles = [role for account in data.DEMO_ACCOUNTS for role in account["roles"]]
    assert sorted(roles) == sorted(["admin", "province_hr", "unit_hr", "trainer", "official"])
    usernames = [account["username"] for account in data.DEMO_ACCOUNTS]
    assert len(usernames) == len(set(usernames))
    for account in data.DEMO_ACCOUNTS:
        assert set(account) == {
            "username",
            "password",
            "roles",
            "official_code",
            "organization",
            "email",
        }
        assert isinstance(account["roles"], tuple)
        assert len(account["password"]) >= 12
        assert "@" in account["email"]


def test_accounts_point_to_existing_officials_and_organizations(rows):
    by_code = {row["code"]: row for row in rows}
    for account in data.DEMO_ACCOUNTS:
        if account["organization"] is not None:
            assert account["organization"] in ORGS
        if account["official_code"] is not None:
            official = by_code[account["official_code"]]
            assert official["email"] == account["email"]
            assert official["organization"] == account["organization"]
    accounts = {account["username"]: account for account in data.DEMO_ACCOUNTS}
    assert accounts["sonoivu"]["organization"] == ROOT
    assert accounts["nhansu.batri"]["organization"] == "UBND huyện Ba Tri"
    trainer = by_code[accounts["giangvien"]["official_code"]]
    assert trainer["organization"] == "Trường Chính trị tỉnh Bến Tre"
    official = by_code[accounts["canbo"]["official_code"]]
    assert official["sex"] == "F"
    assert official["position_rank"] == "deputy_division_head"
    assert official["left_on"] is None


def test_linked_officials_do_not_depend_on_the_seed(rows):
    codes = [a["official_code"] for a in data.DEMO_ACCOUNTS if a["official_code"]]
    other = {row["code"]: row for row in data.officials(seed=99)}
    mine = {row["code"]: row for row in rows}
    for code in codes:
        assert other[code] == mine[code]


# --- Mục tiêu 1 and 2 (DOMAIN §9–10) ------------------------------------------------------------


def test_plan_flags_follow_the_posts(rows):
    leaders = {row["position_title"] for row in rows if row["key_leader"]}
    assert {"Chủ tịch UBND tỉnh", "Giám đốc Sở", "Phó Chủ tịch UBND xã"} <= leaders
    assert not any(title.startswith("Chủ tịch Hội Nông dân") for title in leaders)
    officers = [row for row in rows if row["gender_equality_role"]]
    assert officers and all(
        row["position_title"].startswith(("Công chức Văn hóa", "Chuyên viên Văn phòng HĐND"))
        for row in officers
    )
    trained = [row for row in officers if row["gender_equality_training"]]
    assert 0 < len(trained) < len(officers)  # M2.tap_huan has something to show, not met
    assert not any(
        row["gender_equality_training"] for row in rows if not row["gender_equality_role"]
    )


def test_the_seats_of_every_elected_body():
    assert {seat["body"] for seat in data.SEATS} == {
        "national_assembly",
        "council_province",
        "council_district",
        "council_commune",
    }
    assert all(0 <= seat["women"] <= seat["seats"] for seat in data.SEATS)
    # The 2021 elections too, the communes' figure corrected by a later entry of the same date.
    communes = [seat for seat in data.SEATS if seat["body"] == "council_commune"]
    assert [seat["entered_on"].year for seat in communes] == [2016, 2021, 2021]
    assert communes[1]["entered_on"] == communes[2]["entered_on"]


def test_collaborator_counts_cover_three_years_and_leave_some_to_enter():
    counts = data.collaborator_counts(2026)
    names = {org["name"] for org in data.ORGANIZATIONS}
    assert {count["organization"] for count in counts} <= names
    assert {count["year"] for count in counts} == {2024, 2025, 2026}
    by_year = Counter(count["year"] for count in counts)
    assert 0 < by_year[2026] < by_year[2025] == by_year[2024]
    assert all(count["collaborators"] >= 0 and count["volunteers"] >= 0 for count in counts)
    assert data.collaborator_counts(2026) == counts  # deterministic
