"""Errors the transactional store raises on purpose.

Owns the translation of driver failures that a person can act on (a server
that is down, a schema that is missing or old, a duplicate document number)
into :class:`~xinyong.errors.XinyongError` subclasses. It must not catch
anything it cannot name: other driver errors are bugs and travel up as they are.
"""

from __future__ import annotations

from xinyong.errors import NotFoundError, XinyongError
from xinyong.i18n import gettext_noop as _


class StoreError(XinyongError):
    """Base of the store's errors."""

    code = "store-error"
    status = 500
    message = _("store error")


class StoreUrlError(StoreError):
    """The configured URL cannot name a usable store."""

    code = "store-url-invalid"
    status = 500
    message = _(
        "store URL {url} is not usable: use sqlite:///path/to/file.db or "
        "postgresql+psycopg://user@host/db (XINYONG_DATABASE_URL)"
    )


class InMemoryStoreError(StoreUrlError):
    """An in-memory SQLite database would be a different empty database per connection."""

    code = "store-in-memory"
    message = _(
        "store URL {url} names an in-memory SQLite database, which is lost with each "
        "connection; give a file path such as sqlite:///xinyong-data/xinyong.db"
    )


class StoreUnreachableError(StoreError):
    """The database server is down or refuses us, or the file is not a database."""

    code = "store-unreachable"
    status = 503
    message = _(
        "cannot open the store at {url}: {reason}; check XINYONG_DATABASE_URL and that "
        "the database server is running"
    )


class StoreNotInitialisedError(StoreError):
    """The store has no schema yet, or one older than this version of Xinyong needs."""

    code = "store-not-initialised"
    status = 503
    message = _(
        "the store at {url} has no schema or an old one (revision {current}, "
        "this version needs {head}); run `xinyong init` to create or upgrade it"
    )


class StoreRevisionUnknownError(StoreError):
    """The database was migrated by a newer Xinyong than the one running."""

    code = "store-revision-unknown"
    status = 503
    message = _(
        "the store at {url} is at schema revision {current}, which this version of "
        "xinyong does not know; upgrade xinyong before using this store"
    )


class RecordNotFoundError(NotFoundError):
    """No record has this id (to correct, revoke or change the status of)."""

    code = "record-not-found"
    message = _("record {key} was not found")

    def __init__(self, record_id: str) -> None:
        super().__init__(what="record", key=record_id)


class DuplicateRecordError(StoreError):
    """A current record with the same department and document number exists.

    Document numbers (文号) identify a decision within the department that made it.
    """

    code = "record-duplicate"
    status = 409
    message = _(
        "department {department} of {jurisdiction} already has a current record with "
        "document number {document_number} ({record_id})"
    )


class UnknownSubjectError(StoreError):
    """A record names a subject that the registry does not hold."""

    code = "record-subject-unknown"
    status = 422
    message = _("no subject with code {code} is registered; register the subject first")


class BatchNotPendingError(StoreError):
    """A batch is finished exactly once: as applied or as failed."""

    code = "batch-not-pending"
    status = 409
    message = _("batch {batch_id} is already {status}; only a pending batch can be finished")
