"""Is this mention the event told again?  The rule that lets a retelling join its event.

`EventExtractor.merge` joins a later mention to an event of its type only when their actors
share a name, whenever both name actors: ignoring actors merged distinct clashes on dev.  But
two tellings of one incident often read different actors (one names the perpetrator, the other
the victims' side or the announcing force; one reads «الجماعة» as another group), and each
becomes an event of its own: a "duplicate" false alarm.  `retells(members, days, places, c,
same_place)` says whether candidate `c` tells the event of `members` again: an act, not only a
toll («إضافة إلى مصرع 12 جنديا» after a town's capture may be the clash the capture came with),
on the very day (not only a compatible one) and at the very place (not one inside the other),
read in another sentence than the event's, and — checked by the caller — not opening a new
report of its paragraph (`reports.opens_report`).  Such a mention may join the event although
the actors differ.

Counted on the events the development gold articles give (docs/merge_model.md): of the pairs
of one type, one place and one day in different sentences with conflicting actors and no report
connector, all were one gold incident.  Setting `merge_retold` (on by default since
its check-set score: see the README's settings table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasad.extract.events import Candidate


def retells(members: Sequence[Candidate], days: Collection[dt.date | None],
            places: Iterable[Candidate], c: Candidate,
            same_place: Callable[[Candidate, Candidate], bool]) -> bool:
    """Whether `c` tells again the event whose latest mentions are `members`, whose dates are
    `days` and whose distinct places are held by `places`."""
    if c.date is None or c.place is None or c.date not in days or c.form.spec.result:
        return False  # no day or place to tell by, another day, or only a toll
    if any(m.sentence == c.sentence for m in members):
        return False  # one sentence's two reports, or its own list of places
    return any(same_place(m, c) for m in places)
