"""Writes of the import/export app: creating and running import jobs, saved mappings, exports."""

from kefu.transfer.services.exports import export_archive, export_job_create, export_run, export_start
from kefu.transfer.services.imports import (
    import_job_create,
    import_mapping_set,
    import_run,
    import_start,
    mapping_save,
    save_upload,
)

__all__ = [
    "export_archive",
    "export_job_create",
    "export_run",
    "export_start",
    "import_job_create",
    "import_mapping_set",
    "import_run",
    "import_start",
    "mapping_save",
    "save_upload",
]
