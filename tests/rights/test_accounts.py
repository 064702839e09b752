"""Subjects' accounts: Argon2id hashes only, one answer for every refusal, lock-out, all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.lists.helpers import COMPANY, Node, at, registration, send
from xinyong.audit.service import entries_for_target
from xinyong.rights.account_service import LocalAuthenticator, invite_account
from xinyong.rights.accounts import LOCK_MINUTES, MAX_FAILURES
from xinyong.rights.errors import AccountInputError, SignInRefusedError
from xinyong.store.queries import accounts as queries
from xinyong.store.uow import UnitOfWork

PASSWORD = "correct horse battery"
NOW = at(2026, 12, 1)


@pytest.fixture
def invited(node: Node) -> Node:
    send(node, [registration()], "samr", at(2026, 9, 1))
    _, store, _pack = node
    invite_account(store, subject_code=COMPANY, login="rongcheng-seafood", password=PASSWORD,
                   agent="王五", actor="operator", now=NOW)  # fmt: skip
    return node


def test_only_an_argon2id_hash_is_kept_and_the_right_password_signs_in(invited: Node) -> None:
    _, store, _pack = invited
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.account_by_login(uow.connection, "rongcheng-seafood")
    assert row is not None
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    identity = LocalAuthenticator(store).authenticate("rongcheng-seafood", PASSWORD, NOW)
    assert (identity.subject_code, identity.agent, identity.actor) == (
        COMPANY, "王五", f"subject:{COMPANY}"
    )  # fmt: skip


def test_every_refusal_is_the_same_answer_and_repeated_failures_lock(invited: Node) -> None:
    _, store, _pack = invited
    auth = LocalAuthenticator(store)
    with pytest.raises(SignInRefusedError) as unknown:
        auth.authenticate("nobody", PASSWORD, NOW)
    for n in range(MAX_FAILURES):
        with pytest.raises(SignInRefusedError) as wrong:
            auth.authenticate("rongcheng-seafood", f"wrong {n}", NOW + timedelta(seconds=n))
    assert wrong.value.render("en") == unknown.value.render("en")  # nothing told apart
    with pytest.raises(SignInRefusedError):  # locked: even the right password is refused
        auth.authenticate("rongcheng-seafood", PASSWORD, NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=LOCK_MINUTES, seconds=MAX_FAILURES)
    assert auth.authenticate("rongcheng-seafood", PASSWORD, later).subject_code == COMPANY
    with UnitOfWork(store, read_only=True) as uow:
        actions = [e.action for e in entries_for_target(uow.connection, f"subject:{COMPANY}")]
    assert actions.count("account.refused") == MAX_FAILURES + 1
    assert actions[-1] == "account.sign_in"


def test_weak_passwords_and_taken_logins_are_refused(invited: Node) -> None:
    _, store, _pack = invited
    with pytest.raises(AccountInputError, match="at least 10 characters"):
        invite_account(store, subject_code=COMPANY, login="other", password="short",
                       actor="operator", now=NOW)  # fmt: skip
    with pytest.raises(AccountInputError, match="taken"):
        invite_account(store, subject_code=COMPANY, login="rongcheng-seafood",
                       password=PASSWORD, actor="operator", now=NOW)  # fmt: skip
