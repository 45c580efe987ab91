"""The reviewer report: evidence crops written by the workers, and a static HTML site over a batch's output.

`save_evidence` stores a crop per piece of evidence next to the record's JSON; `write_report` and
`build_site` write `OUT/report/index.html` (every submission, sortable and filterable) and one page per
submission (its flags with their crops first, then what was extracted). The site needs no server:
it is opened from disk, and links to the crops with relative paths.
"""

from pipeline.outputs import load_records
from pipeline.report.evidence import save_evidence
from pipeline.report.site import SITE_DIR, build_site, load_batch_checks, write_report

__all__ = ["SITE_DIR", "build_site", "load_batch_checks", "load_records", "save_evidence", "write_report"]
