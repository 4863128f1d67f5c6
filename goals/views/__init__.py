"""Views of the goals app, one module per part of the product.

`dashboard`: the pages SSU members browse (agreements, measures, areas).
`glance`: the at-a-glance pages (area search, matrix of follow-ups by areas, two areas compared).
`indicator`: the indicator page (definition, measures, every stored value, replaced values).
`reports`: the clusters' activity reports (rounds, writing, review) and the audit trail.
"""

from .dashboard import (
    agreement_detail,
    area_detail,
    index,
    measure_data_csv,
    measure_data_xlsx,
    measure_detail,
    municipality_map,
)
from .glance import agreement_matrix, area_compare, area_search
from .indicator import indicator_detail, indicator_values_csv
from .reports import (
    agreement_history,
    report_autosave,
    report_detail,
    report_edit,
    report_review,
    reporting_home,
    round_create,
    round_detail,
)

__all__ = [
    "agreement_matrix",
    "area_compare",
    "area_search",
    "agreement_history",
    "report_autosave",
    "report_detail",
    "report_edit",
    "report_review",
    "reporting_home",
    "round_create",
    "round_detail",
    "agreement_detail",
    "area_detail",
    "index",
    "measure_data_csv",
    "measure_data_xlsx",
    "measure_detail",
    "municipality_map",
    "indicator_detail",
    "indicator_values_csv",
]
