"""Importing indicator values from analysts' files (rules: docs/data-format.md; interface: CONTRACT.md).

read.py      bytes -> RawTable: encoding, separator, quotes, XLSX; every cell text, with its Excel line.
validate.py  RawTable + Lookup -> Validation: every rule checked (problems block, warnings inform), and
             when nothing is wrong one typed row per value. Pure pandas: no database writes.
names.py     how names, codes, years, breakdowns and Danish numbers are read (one cell text at a time).
problems.py  Problem (line, column, value, Danish message) and the capped list they are collected in.
stage.py / load.py  staging, preview, load and rollback of a validated frame.
"""
