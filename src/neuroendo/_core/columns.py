"""Column names of neuroendo's tidy tables (as PEtab's ``C.py``).

The tidy long table has one row per measured value::

    subject | time | analyte | value | unit | loinc | sample | condition

BioPsyKit's saliva layout (index ``subject``, ``sample``; a value column named after the
biomarker, e.g. ``cortisol``; optional ``time``) is accepted by the cortisol measures.
"""

SUBJECT = "subject"
SAMPLE = "sample"
TIME = "time"
ANALYTE = "analyte"
VALUE = "value"
UNIT = "unit"
LOINC = "loinc"
CONDITION = "condition"
DAY = "day"
STATUS = "status"
MESSAGE = "message"

#: Columns of the tidy long table, in order.
TIDY_COLUMNS = (SUBJECT, TIME, ANALYTE, VALUE, UNIT, LOINC)
