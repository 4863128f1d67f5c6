"""Writes for indicators, one module per part:

- `catalogue`: loading the data sources and indicators from fixtures/indicators.yaml;
- `sample_data`: generating the sample observations ("eksempeldata");
- `uploads`: an upload's life, from the received file through validation and loading to a rollback.

The public services are also reachable here: `from indicators import services; services.upload_create(...)`.
Code that needs an upload module's internals (the Celery tasks, tests) imports the module:
`from indicators.services import uploads`.
"""

from .catalogue import catalogue_load
from .sample_data import SampleDataExistsError, sample_data_generate
from .uploads import (
    upload_attempt_begin,
    upload_confirm,
    upload_create,
    upload_discard,
    upload_fail,
    upload_load,
    upload_resume,
    upload_rollback,
    upload_validate,
    uploads_discard_stale,
    uploads_watch,
)

__all__ = [
    "SampleDataExistsError",
    "catalogue_load",
    "sample_data_generate",
    "upload_attempt_begin",
    "upload_confirm",
    "upload_create",
    "upload_discard",
    "upload_fail",
    "upload_load",
    "upload_resume",
    "upload_rollback",
    "upload_validate",
    "uploads_discard_stale",
    "uploads_watch",
]
