"""The transactional store: the only package that speaks SQL to it.

``engine`` opens a store (SQLite or PostgreSQL), ``tables`` is the schema,
``migrate`` runs the Alembic migrations in ``migrations/``, ``uow`` is the unit
of work, and ``queries`` holds one module of query functions per aggregate.
Nothing here commits except :class:`~xinyong.store.uow.UnitOfWork` and
:func:`~xinyong.store.migrate.upgrade`; nothing runs at import time.
"""
