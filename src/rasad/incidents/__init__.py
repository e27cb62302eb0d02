"""From reports to incidents: one real-world event, counted once, across outlets.

Stored event records (contract event dicts with their document's id, `published` and `source`)
become `Report`s (`make_report`); `resolve(reports)` groups them into `Incident`s by blocking, a
scored comparison and order-independent clustering, with the reason each member joined.  The
weights, windows and threshold are data: `rasad/data/incidents.yaml`.
"""

from rasad.incidents.compare import Comparison, Report, Rules, compare, compatible, make_report
from rasad.incidents.resolve import Incident, Member, resolve

__all__ = ["Comparison", "Incident", "Member", "Report", "Rules", "compare", "compatible",
           "make_report", "resolve"]
