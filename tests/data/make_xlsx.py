"""Writes good-long.xlsx, the workbook test: run `python tests/data/make_xlsx.py` after changing it.

Excel stores numbers as floats, so the sheet holds what Excel would: 16.3 as a number, a respondent
count as a whole number, a share formatted as a percentage (0.098 shown as 9,8 %), a municipality
code typed as text ("0461"), a blank row, and a second sheet that must be ignored.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

workbook = Workbook()
sheet = workbook.active
sheet.title = "Data"
sheet.append(
    [
        "indikator",
        "område",
        "år",
        "køn",
        "alder",
        "uddannelse",
        "andel",
        "nedre",
        "øvre",
        "antal svarpersoner",
    ]
)
sheet.append(["dagligrygning", "0461", 2021, "Alle", "16+", "Alle", 16.3, 15.1, 17.6, 4812])
sheet.append(
    [
        "Svær overvægt",
        "Region Syddanmark",
        "2019-2021",
        "Kvinder",
        "16-24",
        "Videregående uddannelse",
        0.16299999999999998 * 100,
        14.2,
        18.5,
        1020.0,
    ]
)
sheet.append([])
sheet.append(["dagligrygning", "Ærø", 2021, "Mænd", "75+", "Alle", 0.098, 0.079, 0.12, 311])
for cell in sheet[5][6:9]:
    cell.number_format = "0.0%"
sheet.append(["dagligrygning", "Sundhedsklynge Fyn", 2021, "Alle", "16+", "Alle", "-", None, None, None])
other = workbook.create_sheet("Noter")
other.append(["Denne fane skal ikke indlæses"])
workbook.save(HERE / "good-long.xlsx")

# good-literal-percent.xlsx: three ways a Danish analyst shows 16,3 %. A real percent format (0.163 shown
# as 16,3 %) and two formats that only print a percent sign after the stored number: a quoted " %" and an
# escaped \%. Only the first is multiplied by 100 in Excel, and so by the importer.
workbook = Workbook()
sheet = workbook.active
sheet.append(["indikator", "område", "år", "køn", "alder", "uddannelse", "andel"])
for area, value, number_format in (
    ("Odense", 0.163, "0.0%"),
    ("Vejle", 16.3, '0.0" %"'),
    ("Kolding", 16.3, "0.0\\%"),
):
    sheet.append(["dagligrygning", area, 2021, "Alle", "16+", "Alle", value])
    sheet.cell(row=sheet.max_row, column=7).number_format = number_format
workbook.save(HERE / "good-literal-percent.xlsx")
