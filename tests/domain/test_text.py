"""Diacritic folding and Vietnamese name order."""

import pytest

from app.domain.text import fold, vietnamese_name_key


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("  Thuỷ ", "thuy"),
        ("Thủy", "thuy"),
        ("thuy", "thuy"),
        ("NỮ", "nu"),
        ("Nữ", "nu"),
        ("nu", "nu"),
        ("Đặng  Văn\tĐức", "dang van duc"),
        ("đ", "d"),
        ("Quốc phòng - an ninh", "quoc phong - an ninh"),
        ("Bồi dưỡng lãnh đạo, quản lý", "boi duong lanh dao, quan ly"),
        ("Ư Ơ Ă Â Ê Ô", "u o a a e o"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_accepts_decomposed_input():
    decomposed = "Thu\u031b\u0309"  # "Thử" typed as base letter + combining marks
    assert fold(decomposed) == "thu"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("An", "Ân"),
        ("An", "Ăn"),
        ("Ăn", "Ân"),
        ("Ân", "Bình"),
        ("Dũng", "Đức"),
        ("Đức", "Em"),
        ("Em", "Ênh"),
        ("Oanh", "Ông"),
        ("Ông", "Ơn"),
        ("Uyên", "Ưng"),
        ("Ưng", "Vân"),
        ("Xuân", "Yến"),
        # tones break ties only: none < huyền < hỏi < ngã < sắc < nặng
        ("Anh", "Ành"),
        ("Ành", "Ảnh"),
        ("Ảnh", "Ãnh"),
        ("Ãnh", "Ánh"),
        ("Ánh", "Ạnh"),
        ("Ạnh", "Ăn"),
        ("Án", "Anh"),
        # letter case is ignored
        ("an", "Ân"),
        ("AN", "ân"),
        # given name first, then middle, then family name
        ("Trần Văn An", "Nguyễn Thị Bình"),
        ("Vũ An", "Nguyễn Bá An"),
        ("Nguyễn Bá An", "Lê Văn An"),
        ("Lê Văn An", "Trần Văn An"),
        ("An", "Trần An"),
        ("Nguyễn Thị Anh", "Nguyễn Văn Anh"),
        ("Phạm Thị Thu Hà", "Phạm Thị Thúy Hà"),
    ],
)
def test_name_order(before, after):
    assert vietnamese_name_key(before) < vietnamese_name_key(after)


def test_sorting_a_list():
    names = ["Bình", "Trần Văn An", "Ân", "Lê Thị Ánh", "Nguyễn Văn Đức", "Hồ Thị Dung"]
    assert sorted(names, key=vietnamese_name_key) == [
        "Trần Văn An",
        "Lê Thị Ánh",
        "Ân",
        "Bình",
        "Hồ Thị Dung",
        "Nguyễn Văn Đức",
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Nguyễn Thị Ánh", "nguyễn thị ánh"),
        ("  Lê   An ", "Lê An"),
        ("Thủy", "Thu\u0309y"),
        ("Thủy", "Thuỷ"),
        ("Hòa", "Hoà"),
    ],
)
def test_equal_keys(left, right):
    assert vietnamese_name_key(left) == vietnamese_name_key(right)


def test_foreign_letters_and_empty_names_do_not_fail():
    names = ["", "Zoe", "Jean", "Walter", "An", "K'Sor H'Bia", "2 An"]
    assert sorted(names, key=vietnamese_name_key)[0] == ""


# --- pick_by_name: the one rule for finding an organization by the name a person typed ------

ORGS = [("Sở Nội vụ", 1), ("Sở Nội Vụ", 2), ("UBND xã Tân Phú", 3), ("Phòng Tư pháp", 4)]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Sở Nội vụ", (1, ())),  # exact beats the folded twin
        ("  Sở Nội Vụ ", (2, ())),
        ("so noi vu", (None, ("Sở Nội Vụ", "Sở Nội vụ"))),  # ambiguous: both names
        ("ubnd xa tan phu", (3, ())),  # the only folded match
        ("Phòng Tài chính", (None, ())),
    ],
)
def test_pick_by_name(name, found):
    from app.domain.text import pick_by_name

    assert pick_by_name(name, ORGS) == found


# --- has_hidden_characters: what no typed text may hold, on pages and in the API -----------


@pytest.mark.parametrize(
    ("text", "allowed", "hidden"),
    [
        ("Nguyễn Thị Lan", frozenset(), False),
        ("a\x00b", frozenset(), True),  # NUL: PostgreSQL cannot store it
        ("bảng\u202eexe", frozenset(), True),  # a right-to-left override
        ("tên\u200b", frozenset(), True),  # zero-width space
        ("\ud800", frozenset(), True),  # a lone surrogate
        ("dòng 1\ndòng 2", frozenset(), True),  # single-line fields (the API's)
        ("dòng 1\r\ndòng 2\tcột", "LINE_BREAKS", False),  # notes typed on a page
        ("x\x1by", "LINE_BREAKS", True),
    ],
)
def test_hidden_characters(text, allowed, hidden):
    from app.domain.text import LINE_BREAKS, has_hidden_characters

    allowed = LINE_BREAKS if allowed == "LINE_BREAKS" else allowed
    assert has_hidden_characters(text, allowed) is hidden
