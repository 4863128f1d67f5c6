"""Cells a spreadsheet must not run: every CSV the application writes passes its text through
`spreadsheet_safe`, every XLSX sheet through `xlsx_text_cells`.

A text starting with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice as a formula
(OWASP, "CSV Injection"): `=HYPERLINK(...)` in an uploaded label would become a live link, or worse, in
whoever opens the download. Such a text gets a leading apostrophe, which makes it plain text in every
spreadsheet. In an XLSX the cell is typed as a string instead, which no spreadsheet evaluates, and the
text stays as it was. Numbers are written by the callers as numbers and never pass through here, so "-1,5" stays a
number; a text that only looks like a number ("-") is neutralised like any other.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """`text` as a cell that cannot run; anything that is not a str (a number, None) is returned as it is."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def xlsx_text_cells(sheet) -> None:
    """Make every text cell of an openpyxl sheet a string cell: openpyxl turns a str starting with "=" into a
    formula when it is assigned. Call after the rows are appended."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
