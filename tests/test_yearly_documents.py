"""The two files of a yearly report (DOMAIN §11, app.plan.yearly.documents): the .docx opened with
python-docx, the .xlsx with openpyxl, from content dicts of the report's contract written out
here by hand (a unit's report and the province's)."""

import copy
import io

import docx
import openpyxl
import pytest

from app.plan.yearly.documents import date_line, report_docx, report_xlsx


def _indicator(key, objective, group, numerator, denominator, threshold, status, shortfall,
               previous, change, operator=">=", implied=False):  # fmt: skip
    value = numerator / denominator if denominator else None
    return {
        "id": key,
        "objective": objective,
        "group": group,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "operator": operator,
        "threshold": threshold,
        "status": status,
        "shortfall": shortfall,
        "implied": implied,
        "previous": previous,
        "change": change,
    }


def _previous(numerator, denominator, status):
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator / denominator if denominator else None,
        "status": status,
    }


def unit_content():
    return {
        "kind": "unit",
        "unit": {
            "id": 12,
            "name": "Ủy ban nhân dân huyện Ba Tri",
            "parent_name": "UBND tỉnh Bến Tre",
        },
        "year": 2026,
        "period": {"start": "2025-12-01", "end": "2026-11-30"},
        "as_of": "2026-11-29",
        "previous_as_of": "2025-11-29",
        "target_set": "KH-327-2017",
        "version": 2,
        "status": "submitted",
        "submitted_on": "2026-11-29",
        "number": "125/BC-UBND",
        "place": "Ba Tri",
        "dated": "2026-11-29",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Thị Thu Hà",
        "recipients": ["UBND tỉnh (báo cáo)", "Sở Nội vụ"],
        "indicators": [
            # 7/20 = 35,0% (met ≥ 35), a year before 6/20 = 30,0%: +5,0 points.
            _indicator(
                "M1.phong_huyen", "M1", "all", 7, 20, 30, "met", 0, _previous(6, 20, "met"), 5.0
            ),  # fmt: skip
            # 3/16 = 18,8%: two more women needed for 25%.
            _indicator(
                "M1.chuyen_trach_xa",
                "M1",
                "all",
                3,
                16,
                25,
                "not_met",
                1,
                _previous(4, 16, "met"),
                -6.25,
            ),  # fmt: skip
            _indicator(
                "M1.chu_chot_30",
                "M1",
                "all",
                4,
                6,
                100,
                "not_met",
                2,
                _previous(4, 5, "not_met"),
                -13.333333,
            ),  # fmt: skip
            # Nobody at province level in a district's subtree: not applicable.
            _indicator(
                "M1.lanh_dao_so",
                "M1",
                "all",
                0,
                0,
                25,
                "not_applicable",
                None,
                _previous(0, 0, "not_applicable"),
                None,
            ),  # fmt: skip
            _indicator(
                "M2.bo_tri",
                "M2",
                "all",
                9,
                10,
                100,
                "not_met",
                1,
                _previous(7, 10, "not_met"),
                20.0,
            ),  # fmt: skip
            _indicator(
                "M2.tap_huan",
                "M2",
                "all",
                8,
                12,
                100,
                "not_met",
                4,
                _previous(5, 11, "not_met"),
                21.212121,
            ),  # fmt: skip
            _indicator(
                "M3.D.pol_cc", "M3", "women", 5, 8, 60, "met", 0, _previous(4, 8, "not_met"), 12.5
            ),  # fmt: skip
            _indicator(
                "M3.D.pol_cc", "M3", "men", 9, 12, 60, "met", 0, _previous(9, 11, "met"), -6.818181
            ),  # fmt: skip
            _indicator(
                "M3.D.it",
                "M3",
                "women",
                6,
                8,
                100,
                "not_met",
                2,
                _previous(6, 8, "not_met"),
                0.0,
                implied=True,
            ),  # fmt: skip
            _indicator(
                "M3.D.it",
                "M3",
                "men",
                12,
                12,
                100,
                "met",
                0,
                _previous(10, 11, "not_met"),
                9.090909,
                implied=True,
            ),  # fmt: skip
            _indicator(
                "M3.C.edu_dh",
                "M3",
                "women",
                11,
                21,
                50,
                "met",
                0,
                _previous(1234, 2000, "met"),
                -9.32,
                operator=">",
            ),  # fmt: skip
            _indicator(
                "M3.C.edu_dh",
                "M3",
                "men",
                20,
                40,
                50,
                "not_met",
                1,
                _previous(19, 40, "not_met"),
                2.5,
                operator=">",
            ),  # fmt: skip
        ],
        "organizations": [
            {"name": "Phòng Tài chính - Kế hoạch huyện Ba Tri", "missing": ["chu_chot_30"]},
            {"name": '=HYPERLINK("http://x")', "missing": ["chu_chot_30", "bo_tri"]},
        ],
        "untrained_gender_officers": 4,
        "collaborators": {"collaborators": 23, "volunteers": 41, "year": 2026},
        "training": {
            "courses_finished": 5,
            "by_award": [
                {
                    "ladder": "political_theory",
                    "level": "advanced",
                    "courses": 1,
                    "enrolled_women": 14,
                    "enrolled_men": 16,
                    "completed_women": 13,
                    "completed_men": 15,
                },  # fmt: skip
                {
                    "ladder": "it_skill",
                    "level": "basic",
                    "courses": 2,
                    "enrolled_women": 30,
                    "enrolled_men": 22,
                    "completed_women": 29,
                    "completed_men": 20,
                },  # fmt: skip
                {
                    "ladder": None,
                    "level": None,
                    "courses": 1,
                    "enrolled_women": 40,
                    "enrolled_men": 35,
                    "completed_women": 38,
                    "completed_men": 31,
                },  # fmt: skip
            ],
            "gender_equality": {"courses": 1, "completed_women": 17, "completed_men": 6},
        },
        "childcare": {
            "requests": 6,
            "approved": 5,
            "paid": 4,
            "by_kind": [
                {"kind": "allowance", "approved_amount": 3_000_000, "paid_amount": 2_400_000},
                {"kind": "nursery", "approved_amount": 1_500_000, "paid_amount": 1_500_000},
            ],
            "paid_total": 3_900_000,
        },
        "gaps": [
            {"population": "D", "item": "pol_cc", "count": 3},
            {"population": "D", "item": "it", "count": 2},
            {"population": "C", "item": "edu_dh", "count": 10},
        ],
        "text": {
            "results": "Đã cử 13 nữ cán bộ học cao cấp lý luận chính trị.\n\n"
            "Tỷ lệ nữ lãnh đạo cấp phòng tăng so với năm trước.",
            "difficulties": "Nguồn cán bộ nữ ở cấp xã còn mỏng.",
            "proposals": "Đề nghị tỉnh mở thêm lớp tin học cho cán bộ cấp xã.",
        },
    }


def province_content():
    content = unit_content()
    content.update(
        kind="province",
        unit={"id": 1, "name": "Sở Nội vụ", "parent_name": "UBND tỉnh Bến Tre"},
        number=None,
        place="Bến Tre",
        signer_title=None,
        signer_name=None,
        recipients=[],
        status="draft",
        version=None,
        submitted_on=None,
        units=[
            {
                "name": "UBND huyện Ba Tri",
                "status": "on_time",
                "submitted_on": "2026-11-20",
                "version": 2,
            },  # fmt: skip
            {
                "name": "UBND huyện Giồng Trôm",
                "status": "late",
                "submitted_on": "2026-12-03",
                "version": 1,
            },  # fmt: skip
            {"name": "Sở Y tế", "status": "draft", "submitted_on": None, "version": None},
            {
                "name": "UBND xã Phú Lễ",
                "status": "not_started",
                "submitted_on": None,
                "version": None,
            },  # fmt: skip
        ],
        late_units=["UBND huyện Giồng Trôm"],
    )
    return content


def empty_content():
    """A unit with nothing yet: no indicator rows, no training, no childcare, no gaps."""
    content = unit_content()
    content.update(
        indicators=[],
        organizations=[],
        untrained_gender_officers=0,
        collaborators={"collaborators": 0, "volunteers": 0, "year": 2026},
        training={
            "courses_finished": 0,
            "by_award": [],
            "gender_equality": {"courses": 0, "completed_women": 0, "completed_men": 0},
        },
        childcare={"requests": 0, "approved": 0, "paid": 0, "by_kind": [], "paid_total": 0},
        gaps=[],
        text={"results": "", "difficulties": "", "proposals": ""},
        number=None,
        signer_name=None,
        recipients=[],
        unit={"id": 3, "name": "UBND xã An Thủy", "parent_name": None},
    )
    return content


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs of the body and of every table cell (nested tables flattened) and each
    table's rows of cell texts."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables.append(rows)
        paragraphs += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return paragraphs, tables


def row_with(tables, first_words: str) -> list[str]:
    for table in tables:
        for row in table:
            if any(cell.startswith(first_words) for cell in row[:2]):
                return row
    raise AssertionError(f"no row for {first_words!r}")


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def test_docx_has_the_administrative_layout(context):
    data = report_docx(unit_content())
    document = docx.Document(io.BytesIO(data))
    paragraphs, tables = docx_text(data)
    text = "\n".join(paragraphs)

    # The heading block: governing body, unit, number; Quốc hiệu, tiêu ngữ, place and date.
    heading = tables[0][0]
    assert heading[0].splitlines()[:2] == ["UBND TỈNH BẾN TRE", "ỦY BAN NHÂN DÂN HUYỆN BA TRI"]
    assert "Số: 125/BC-UBND" in heading[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1]
    assert "Độc lập - Tự do - Hạnh phúc" in heading[1]
    assert "Ba Tri, ngày 29 tháng 11 năm 2026" in heading[1]
    assert "BÁO CÁO" in paragraphs
    assert "Kế hoạch số 327/KH-UBND" in text and "năm 2026" in text
    assert "Kỳ báo cáo: từ 01/12/2025 đến 30/11/2026" in paragraphs
    assert "DỰ THẢO" not in paragraphs  # submitted

    # A4, NĐ 30 margins, Times New Roman 13.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)

    # Signature and recipients: Sở Nội vụ once, the archive last.
    signature = tables[-1][0]
    assert signature[0].splitlines() == [
        "Nơi nhận:", "- Sở Nội vụ;", "- UBND tỉnh (báo cáo);", "- Lưu: VT.",
    ]  # fmt: skip
    assert signature[1].splitlines()[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature[1].splitlines()[-1] == "Nguyễn Thị Thu Hà"


def test_docx_holds_every_indicator_row_with_its_figures(context):
    paragraphs, tables = docx_text(report_docx(unit_content()))
    text = "\n".join(paragraphs)

    # Every indicator row: its label and its figures (last year, this year, change, result).
    assert row_with(tables, "Nữ lãnh đạo cấp phòng cấp huyện")[2:] == [
        "≥ 30%", "30,0% (6/20)", "35,0% (7/20)", "+5,0", "Đạt",
    ]  # fmt: skip
    assert row_with(tables, "Nữ cán bộ chuyên trách cấp xã")[3:] == [
        "25,0% (4/16)", "18,8% (3/16)", "-6,3", "Chưa đạt (cần thêm 1)",
    ]  # fmt: skip
    assert row_with(tables, "Cơ quan có từ 30% nữ có nữ lãnh đạo chủ chốt")[4:] == [
        "66,7% (4/6)", "-13,3", "Chưa đạt (cần thêm 2)",
    ]  # fmt: skip
    assert row_with(tables, "Nữ lãnh đạo sở, ban, ngành tỉnh")[3:] == [
        "—", "—", "—", "Không áp dụng",
    ]  # fmt: skip
    assert row_with(tables, "Cơ quan có người làm công tác bình đẳng giới")[4:] == [
        "90,0% (9/10)", "+20,0", "Chưa đạt (cần thêm 1)",
    ]  # fmt: skip
    assert row_with(tables, "Người làm công tác bình đẳng giới được tập huấn")[4] == "66,7% (8/12)"
    # Mục tiêu 3: women and men side by side, under the level's row.
    assert row_with(tables, "Cao cấp lý luận chính trị") == [
        "Cao cấp lý luận chính trị", "≥ 60%",
        "50,0%\n4/8", "62,5%\n5/8", "+12,5", "Đạt",
        "81,8%\n9/11", "75,0%\n9/12", "-6,8", "Đạt",
    ]  # fmt: skip
    assert row_with(tables, "Tin học (*)")[2:6] == [
        "75,0%\n6/8", "75,0%\n6/8", "0,0", "Chưa đạt (cần thêm 2)",
    ]  # fmt: skip
    assert row_with(tables, "Đại học")[1:4] == ["> 50%", "61,7%\n1.234/2.000", "52,4%\n11/21"]
    assert row_with(tables, "Lãnh đạo cấp huyện")[0] == "Lãnh đạo cấp huyện"
    assert row_with(tables, "Cán bộ cấp xã")[0] == "Cán bộ cấp xã"
    # The organizations lacking a woman key leader / a gender officer, under their objective.
    assert "- Phòng Tài chính - Kế hoạch huyện Ba Tri;" in paragraphs
    assert paragraphs.index("- Phòng Tài chính - Kế hoạch huyện Ba Tri;") < next(
        i for i, p in enumerate(paragraphs) if p.startswith("II. ")
    )
    assert "Chưa bố trí người làm công tác bình đẳng giới (1 cơ quan, đơn vị):" in paragraphs
    assert (
        "Cộng tác viên, tình nguyện viên (năm 2026): 23 cộng tác viên, 41 tình nguyện viên." in text
    )
    assert "chưa được tập huấn: 4 người" in text


def test_docx_holds_training_childcare_gaps_and_the_text(context):
    paragraphs, tables = docx_text(report_docx(unit_content()))
    text = "\n".join(paragraphs)

    # Training, childcare and the gaps summary.
    assert row_with(tables, "Lý luận chính trị: Cao cấp")[2:] == ["1", "14", "16", "13", "15"]
    assert row_with(tables, "Tin học: Cơ bản")[2:] == ["2", "30", "22", "29", "20"]
    assert row_with(tables, "Không cấp trình độ")[2:] == ["1", "40", "35", "38", "31"]
    assert row_with(tables, "Tổng cộng")[2:] == ["4", "84", "73", "80", "66"]
    assert "Tập huấn về bình đẳng giới: 1 khóa; hoàn thành 17 nữ, 6 nam." in text
    assert row_with(tables, "Tiền hỗ trợ")[2:] == ["3.000.000", "2.400.000"]
    assert row_with(tables, "Nơi gửi trẻ")[2:] == ["1.500.000", "1.500.000"]
    assert "Số đề nghị hỗ trợ: 6; được duyệt: 5; đã chi trả: 4." in text
    assert row_with(tables, "Lãnh đạo cấp huyện")  # the level row of Mục tiêu 3
    gaps = [row for row in tables[-2] if row[0].isdigit()]
    assert gaps == [
        ["1", "Lãnh đạo cấp huyện", "Cao cấp lý luận chính trị", "3"],
        ["2", "Lãnh đạo cấp huyện", "Tin học", "2"],
        ["3", "Cán bộ cấp xã", "Đại học", "10"],
    ]

    # The sections in order, the free text split into paragraphs.
    headings = [p for p in paragraphs if p[:3] in {"I. ", "II.", "III", "IV.", "V. ", "VI.", "VII"}]
    assert [h.split(". ", 1)[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert "Đã cử 13 nữ cán bộ học cao cấp lý luận chính trị." in paragraphs
    assert "Tỷ lệ nữ lãnh đạo cấp phòng tăng so với năm trước." in paragraphs
    assert "Nguồn cán bộ nữ ở cấp xã còn mỏng." in paragraphs
    assert "Đề nghị tỉnh mở thêm lớp tin học cho cán bộ cấp xã." in paragraphs


def test_date_line_follows_the_decree():
    assert date_line("Bến Tre", "2026-11-29") == "Bến Tre, ngày 29 tháng 11 năm 2026"
    assert date_line("Bến Tre", "2026-02-05") == "Bến Tre, ngày 05 tháng 02 năm 2026"
    assert date_line("Bến Tre", "2026-03-09") == "Bến Tre, ngày 09 tháng 3 năm 2026"


def test_xlsx_annex_has_every_table_with_typed_cells(context):
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(unit_content())))
    assert workbook.sheetnames == [
        "Mục tiêu 1", "Mục tiêu 2", "Mục tiêu 3", "Đào tạo", "Hỗ trợ con nhỏ", "Nhu cầu đào tạo",
    ]  # fmt: skip

    def rows(name):
        return [list(r) for r in workbook[name].iter_rows()]

    def row_of(name, first):
        return next(r for r in rows(name) if r[0].value == first)

    m1 = rows("Mục tiêu 1")
    assert m1[0][0].value.startswith("Mục tiêu 1") and m1[0][0].font.b
    assert m1[1][0].value == "Ủy ban nhân dân huyện Ba Tri"
    header = next(r for r in m1 if r[0].value == "Mã chỉ tiêu")
    assert all(c.font.b for c in header if c.value)
    phong = row_of("Mục tiêu 1", "M1.phong_huyen")
    values = [c.value for c in phong]
    assert values[:3] == ["M1.phong_huyen", "Nữ lãnh đạo cấp phòng cấp huyện", ">="]
    assert values[3] == pytest.approx(0.30) and "%" in phong[3].number_format
    assert values[4:7] == [6, 20, pytest.approx(0.30)]
    assert values[7:10] == [7, 20, pytest.approx(0.35)]
    assert phong[7].data_type == "n" and phong[9].number_format == "0.0%"
    assert values[10] == pytest.approx(5.0) and values[11:] == ["Đạt", 0]
    assert row_of("Mục tiêu 1", "M1.lanh_dao_so")[9].value is None  # no share, no number
    # The organization named like a formula stays text.
    hostile = next(c for r in m1 for c in r if isinstance(c.value, str) and c.value.startswith("="))
    assert hostile.data_type == "s" and hostile.value == '=HYPERLINK("http://x")'
    assert [c.value for c in row_of("Mục tiêu 2", "M2.tap_huan")[7:9]] == [8, 12]
    assert row_of("Mục tiêu 2", "Cộng tác viên (năm 2026)")[4].value == 23
    assert row_of("Mục tiêu 2", "Tình nguyện viên (năm 2026)")[4].value == 41

    m3 = rows("Mục tiêu 3")
    assert [c.value for c in m3[3] if c.value] == ["Nữ", "Nam"]
    women_men = [c.value for c in row_of("Mục tiêu 3", "M3.D.pol_cc")]
    assert women_men[:5] == [
        "M3.D.pol_cc",
        "Lãnh đạo cấp huyện",
        "Cao cấp lý luận chính trị",
        ">=",
        0.6,
    ]
    assert women_men[8:11] == [5, 8, pytest.approx(0.625)]  # women this year
    assert women_men[17:20] == [9, 12, pytest.approx(0.75)]  # men this year

    assert [c.value for c in row_of("Đào tạo", "Tin học: Cơ bản")] == [
        "Tin học: Cơ bản", "it_skill", "basic", 2, 30, 22, 29, 20,
    ]  # fmt: skip
    assert row_of("Đào tạo", "Số khóa đã kết thúc")[1].value == 5
    allowance = row_of("Hỗ trợ con nhỏ", "Tiền hỗ trợ")
    assert [c.value for c in allowance] == ["Tiền hỗ trợ", "allowance", 3_000_000, 2_400_000]
    assert allowance[2].number_format == "#,##0"
    assert [c.value for c in row_of("Hỗ trợ con nhỏ", "Tổng cộng")][2:] == [4_500_000, 3_900_000]
    assert [c.value for c in row_of("Nhu cầu đào tạo", "Cán bộ cấp xã")] == [
        "Cán bộ cấp xã", "C", "Đại học", "edu_dh", 10,
    ]  # fmt: skip


def test_province_report_lists_the_units_and_the_late_ones(context):
    content = province_content()
    paragraphs, tables = docx_text(report_docx(content))
    text = "\n".join(paragraphs)
    assert tables[0][0][0].splitlines()[:2] == ["UBND TỈNH BẾN TRE", "SỞ NỘI VỤ"]
    assert "Số: ……/BC-……" in tables[0][0][0]  # no number yet: blanks to fill
    assert "DỰ THẢO" in paragraphs
    assert "(tổng hợp báo cáo của các đơn vị)" in text
    units = next(t for t in tables if t[0][:3] == ["STT", "Đơn vị", "Tình trạng"])
    assert units[1:] == [
        ["1", "UBND huyện Ba Tri", "Đã gửi đúng hạn", "20/11/2026", "2"],
        ["2", "UBND huyện Giồng Trôm", "Gửi muộn", "03/12/2026", "1"],
        ["3", "Sở Y tế", "Đang soạn, chưa gửi", "—", "—"],
        ["4", "UBND xã Phú Lễ", "Chưa lập báo cáo", "—", "—"],
    ]
    assert "Đơn vị gửi báo cáo muộn (1): UBND huyện Giồng Trôm." in paragraphs
    assert "Tổng số đơn vị báo cáo: 4 (" in text
    headings = [p for p in paragraphs if p.startswith(("VII.", "VIII."))]
    assert headings == [
        "VII. Tình hình gửi báo cáo của các đơn vị",
        "VIII. Kết quả, khó khăn, đề xuất",
    ]
    signature = tables[-1][0]
    assert signature[0].splitlines() == ["Nơi nhận:", "- Ủy ban nhân dân tỉnh;", "- Lưu: VT."]
    assert signature[1].splitlines()[0] == "THỦ TRƯỞNG ĐƠN VỊ"

    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(content)))
    assert workbook.sheetnames[-1] == "Đơn vị"
    sheet = [[c.value for c in r] for r in workbook["Đơn vị"].iter_rows()]
    header = sheet.index(
        ["Đơn vị", "Mã tình trạng", "Tình trạng", "Ngày gửi", "Lần gửi", "Gửi muộn"]
    )
    late = sheet[header + 2]
    assert late[:3] == ["UBND huyện Giồng Trôm", "late", "Gửi muộn"]
    assert late[3].strftime("%d/%m/%Y") == "03/12/2026" and late[4:] == [1, "Có"]
    assert sheet[header + 3][3:] == [None, None, "Không"]
    date_cell = list(workbook["Đơn vị"].iter_rows())[header + 2][3]
    assert date_cell.is_date and date_cell.number_format == "DD/MM/YYYY"
    # A unit's report has no sheet of units.
    assert (
        "Đơn vị" not in openpyxl.load_workbook(io.BytesIO(report_xlsx(unit_content()))).sheetnames
    )


def test_an_english_reader_still_gets_a_vietnamese_document(app):
    from app.progress.labels import RESULT_STATUS_LABELS

    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert str(RESULT_STATUS_LABELS["met"]) == "Met"  # the request is in English
        paragraphs, tables = docx_text(report_docx(unit_content()))
        workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(unit_content())))
        assert str(RESULT_STATUS_LABELS["met"]) == "Met"  # and stays so afterwards
    cells = [c for t in tables for r in t for c in r]
    assert "Cao cấp lý luận chính trị" in cells and "Advanced political theory" not in cells
    assert "Tiền hỗ trợ" in cells and "Allowance" not in cells
    assert "Lý luận chính trị: Cao cấp" in cells
    assert "Đạt" in cells and "Met" not in cells
    values = [c.value for s in workbook for r in s.iter_rows() for c in r]
    assert "Nữ" in values and "Women" not in values
    assert "Tiền hỗ trợ" in values and "Allowance" not in values


def test_empty_lists_and_zero_figures_render(context):
    content = empty_content()
    paragraphs, tables = docx_text(report_docx(content))
    assert tables[0][0][0].splitlines()[0] == "UBND XÃ AN THỦY"  # no governing body given
    assert paragraphs.count("Không có chỉ tiêu nào được tính trong kỳ.") == 3
    assert "Không có cán bộ nào còn thiếu tiêu chuẩn về trình độ." in paragraphs
    assert "Không có." in paragraphs
    assert tables[-1][0][0].splitlines() == ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."]
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(content)))
    assert len(workbook.sheetnames) == 6
    total = next(r for r in workbook["Hỗ trợ con nhỏ"].iter_rows() if r[0].value == "Tổng cộng")
    assert [c.value for c in total][2:] == [0, 0]
    # A province with no units yet.
    province = copy.deepcopy(content)
    province.update(kind="province", units=[], late_units=[])
    paragraphs, _tables = docx_text(report_docx(province))
    assert "Không có đơn vị gửi báo cáo muộn." in paragraphs
    assert "Đơn vị" in openpyxl.load_workbook(io.BytesIO(report_xlsx(province))).sheetnames
