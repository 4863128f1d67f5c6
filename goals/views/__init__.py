"""Views of the goals app, one module per part of the product.

`dashboard`: the pages SSU members browse (agreements, measures, areas).
"""

from .dashboard import (
    agreement_detail,
    area_detail,
    index,
    measure_data_csv,
    measure_data_xlsx,
    measure_detail,
)

__all__ = [
    "agreement_detail",
    "area_detail",
    "index",
    "measure_data_csv",
    "measure_data_xlsx",
    "measure_detail",
]
