"""`{% status_explanation row as parts %}`: a stored status explained in the page's language."""

from django import template

from .. import status_store
from ..progress.explain import Explanation, explanation_of_row

register = template.Library()


@register.simple_tag
def status_explanation(row) -> Explanation | None:
    """The plain sentences and the details of a MeasureStatus, re-worded in the active language from the
    numbers the row stores (the stored text is Danish, for the JSON contracts). Needs the row's measure with
    its target, indicator source and agreement loaded, as the status selectors do."""
    if row is None:
        return None
    return explanation_of_row(
        row,
        arguments=status_store.evaluation_arguments(row.measure),
        evaluation_year=getattr(row, "evaluation_year", None),
    )
