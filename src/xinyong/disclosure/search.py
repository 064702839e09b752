"""The portal's search: legal persons by part of the name, anyone by exact code.

A natural person cannot be found by name (they are not in the name index).
By exact code a person is found only when they have a record the public may
see (public scope, published, inside its period) — a code alone does not
confirm that someone is on file — and is shown masked, as on every public
page. A legal person is found by name or code whatever its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinyong.codes import CodeError
from xinyong.codes.dispatch import parse_code
from xinyong.disclosure.model import disclose_subject, record_filter
from xinyong.errors import UserInputError
from xinyong.i18n import gettext_noop as _
from xinyong.keys.model import Role
from xinyong.registry.errors import SubjectNotFoundError
from xinyong.registry.service import subject_view
from xinyong.store.engine import Store
from xinyong.store.queries import search as queries
from xinyong.store.queries.search import COUNT_CAP
from xinyong.store.uow import UnitOfWork

MIN_CHARACTERS = 2
MAX_CHARACTERS = 64


class SearchTooShortError(UserInputError):
    code = "search-too-short"
    message = _("type at least {min} characters of a name, or a whole code")


@dataclass(frozen=True)
class SearchHit:
    code: str  # as shown: masked for a natural person
    link: str  # the code the subject page is reached by
    name: str
    kind: str
    region_code: str
    status: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    by: str  # "code" or "name"
    hits: tuple[SearchHit, ...]
    total: int
    capped: bool  # more than COUNT_CAP matched


def search(store: Store, query: str, *, today: date, limit: int, offset: int = 0) -> SearchResult:
    """What the public finds for ``query`` (see the module docstring)."""
    text = " ".join(query.split())[:MAX_CHARACTERS]
    compact = text.replace(" ", "")
    if len(compact) in (15, 18) and compact.isalnum() and compact.isascii():
        return _by_code(store, compact, today)
    if len(text) < MIN_CHARACTERS:
        raise SearchTooShortError(min=MIN_CHARACTERS)
    with UnitOfWork(store, read_only=True) as uow:
        hits, total = queries.legal_by_name(uow.connection, text, limit=limit, offset=offset)
    found = tuple(SearchHit(h.code, h.code, h.name, "legal", h.region_code, h.status) for h in hits)
    return SearchResult(text, "name", found, min(total, COUNT_CAP), total > COUNT_CAP)


def _by_code(store: Store, raw: str, today: date) -> SearchResult:
    nothing = SearchResult(raw, "code", (), 0, False)
    try:
        value = parse_code(raw).value
        view = subject_view(store, value, records=record_filter(Role.PUBLIC, today))
    except (CodeError, SubjectNotFoundError):
        return nothing
    subject = view.subject
    if subject.subject_kind == "natural" and not sum(c.count for c in view.record_counts):
        return nothing
    shown, _masks = disclose_subject(subject, Role.PUBLIC)
    hit = SearchHit(shown.code, subject.code, shown.name, subject.subject_kind,
                    subject.region_code, subject.status)  # fmt: skip
    return SearchResult(raw, "code", (hit,), 1, False)
