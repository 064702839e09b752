"""Unit of work: one connection, one transaction, rolled back unless committed.

A service opens one unit of work per use case, calls query functions with its
``connection`` and calls :meth:`UnitOfWork.commit` once all of it succeeded.
Leaving the ``with`` block without committing — by returning early or by an
exception — rolls everything back, which is what makes "a batch applies whole
or not at all" true by construction. Query functions never commit; only this
class does.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection

from xinyong.store.engine import Store

# Services name the connection type through here, so that only the store imports SQLAlchemy.
__all__ = ["Connection", "UnitOfWork"]


class UnitOfWork:
    """The transaction of one use case over ``store``.

    ``read_only`` units of work cannot write (PostgreSQL refuses; on SQLite they
    do not take the write lock, so they run beside a writer). After
    :meth:`commit` the unit of work stays usable: later work is a new
    transaction, again rolled back unless committed.
    """

    def __init__(self, store: Store, *, read_only: bool = False) -> None:
        self.store = store
        self.read_only = read_only
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already open")
        connection = self.store.connect(read_only=self.read_only)
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return self

    @property
    def connection(self) -> Connection:
        """The connection the query functions use, inside this unit's transaction."""
        if self._connection is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self._connection

    def commit(self) -> None:
        """Make everything done so far permanent.

        Work after a commit begins a new transaction when it first touches the
        database (SQLAlchemy's autobegin), rolled back unless committed again.
        """
        self.connection.commit()

    def rollback(self) -> None:
        """Undo everything since the last commit."""
        self.connection.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()
