"""Use cases of subjects' accounts: invite (the operator, the demo), sign in locally.

:class:`LocalAuthenticator` is the :class:`~xinyong.rights.accounts.Authenticator`
over the node's own accounts. Every attempt is audited against the subject
(``account.sign_in``, ``account.refused``), so a subject sees attempts on its
account in its own file; a login that names no account is refused with the
same answer and audited without a subject.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from xinyong.audit.service import append_event
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.registry.service import registered_code
from xinyong.rights import accounts as rules
from xinyong.rights.accounts import Account, Identity
from xinyong.rights.errors import AccountInputError, ProviderSignInError, SignInRefusedError
from xinyong.rights.session_service import SessionKind
from xinyong.store.engine import Store
from xinyong.store.queries import accounts as queries
from xinyong.store.queries.sessions import end_sessions_of
from xinyong.store.uow import UnitOfWork


def invite_account(
    store: Store,
    *,
    subject_code: str,
    login: str,
    password: str,
    agent: str | None = None,
    actor: str,
    now: datetime,
) -> Identity:
    """Open an account for the subject (a person, or a company's named agent)."""
    if not login.strip() or len(login) > 100:
        raise AccountInputError(reason=Phrase(_("a login has 1 to 100 characters")))
    try:
        password_hash = rules.hash_password(password)
    except rules.PasswordRuleError as err:
        raise AccountInputError(reason=err.args[0]) from None
    with UnitOfWork(store) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        if queries.account_by_login(conn, login.strip()) is not None:
            raise AccountInputError(
                reason=Phrase(_("the login {login} is taken"), login=login.strip())
            )
        account = Account(code, login.strip(), password_hash, now, agent=agent)
        values = {k: v for k, v in asdict(account).items() if k != "id"}
        queries.insert_account(conn, values)
        append_event(conn, actor=actor, action="account.invite", target=f"subject:{code}",
                     detail={"login": account.login, "agent": agent}, now=now)  # fmt: skip
        uow.commit()
    return Identity(code, account.login, agent)


class LocalAuthenticator:
    """Sign-in against the node's own accounts (Argon2id hashes, lock-out)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def authenticate(self, login: str, secret: str, now: datetime) -> Identity:
        with UnitOfWork(self.store) as uow:
            conn = uow.connection
            row = queries.account_by_login(conn, login.strip(), for_update=True)
            if row is None:
                append_event(conn, actor="anonymous", action="account.refused",
                             target="account:unknown", detail={"login": login[:100]}, now=now)  # fmt: skip
                uow.commit()
                raise SignInRefusedError()
            account_id = row.pop("id")
            account = Account(**row)
            after, ok = rules.attempt(account, secret, now)
            changed = {k: v for k, v in asdict(after).items() if asdict(account)[k] != v}
            if changed:
                queries.update_account(conn, account_id, changed)
            detail = {"login": account.login, "locked": rules.locked(after, now)}
            append_event(conn, actor=f"subject:{account.subject_code}" if ok else "anonymous",
                         action="account.sign_in" if ok else "account.refused",
                         target=f"subject:{account.subject_code}", detail=detail, now=now)  # fmt: skip
            uow.commit()
        if not ok:
            raise SignInRefusedError()
        return Identity(account.subject_code, account.login, account.agent)


def link_account(
    store: Store, login: str, *, issuer: str, subject: str, actor: str, now: datetime
) -> None:
    """Let the account sign in through an OpenID provider as its (issuer, ``sub``); audited.

    The operator links, having checked who the provider's ``sub`` is: a
    sign-in through the provider finds an account by this pair alone, never
    by a name or an e-mail the provider also sends.
    """
    issuer, subject = issuer.strip(), subject.strip()
    if not issuer or not subject or len(issuer) > 300 or len(subject) > 255:
        raise AccountInputError(
            reason=Phrase(_("a link needs the provider's issuer and the sub claim"))
        )
    with UnitOfWork(store) as uow:
        conn = uow.connection
        row = queries.account_by_login(conn, login)
        if row is None:
            raise AccountInputError(reason=Phrase(_("there is no account {login}"), login=login))
        taken = queries.link_of(conn, issuer, subject)
        if taken is not None and taken != row["id"]:
            raise AccountInputError(reason=Phrase(_("{sub} at {issuer} is linked to another account"),
                                                 sub=subject, issuer=issuer))  # fmt: skip
        if taken is None:
            queries.insert_link(conn, row["id"], issuer, subject, now)
        append_event(conn, actor=actor, action="account.link",
                     target=f"subject:{row['subject_code']}",
                     detail={"login": login, "issuer": issuer, "sub": subject}, now=now)  # fmt: skip
        uow.commit()


def provider_sign_in(store: Store, *, issuer: str, subject: str, now: datetime) -> Identity:
    """The account a verified ID token's (issuer, ``sub``) is linked to; audited either way."""
    with UnitOfWork(store) as uow:
        conn = uow.connection
        row = queries.account_by_link(conn, issuer, subject)
        if row is None:
            append_event(conn, actor="anonymous", action="account.refused",
                         target="account:unknown",
                         detail={"via": "oidc", "issuer": issuer, "sub": subject[:255],
                                 "reason": "not linked"}, now=now)  # fmt: skip
            uow.commit()
            raise ProviderSignInError()
        queries.update_account(conn, row["id"], {"last_sign_in_at": now})
        append_event(conn, actor=f"subject:{row['subject_code']}", action="account.sign_in",
                     target=f"subject:{row['subject_code']}",
                     detail={"login": row["login"], "via": "oidc", "issuer": issuer}, now=now)  # fmt: skip
        uow.commit()
    return Identity(row["subject_code"], row["login"], row["agent"])


def refuse_provider_answer(store: Store, *, issuer: str, reason: str, now: datetime) -> None:
    """Audit an answer from the provider that did not verify (state, signature, nonce …)."""
    with UnitOfWork(store) as uow:
        append_event(uow.connection, actor="anonymous", action="account.refused",
                     target="account:unknown",
                     detail={"via": "oidc", "issuer": issuer, "reason": reason[:300]}, now=now)  # fmt: skip
        uow.commit()


def identity_of(store: Store, login: str) -> Identity | None:
    """The identity a signed-in session's login stands for (None: the account is gone)."""
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.account_by_login(uow.connection, login)
    if row is None:
        return None
    return Identity(row["subject_code"], row["login"], row["agent"])


def reset_password(store: Store, login: str, password: str, *, actor: str, now: datetime) -> None:
    """Set a new password (the operator, the demo), lift any lock-out and end every session; audited."""
    try:
        password_hash = rules.hash_password(password)
    except rules.PasswordRuleError as err:
        raise AccountInputError(reason=err.args[0]) from None
    with UnitOfWork(store) as uow:
        row = queries.account_by_login(uow.connection, login, for_update=True)
        if row is None:
            raise AccountInputError(reason=Phrase(_("there is no account {login}"), login=login))
        queries.update_account(uow.connection, row["id"], {
            "password_hash": password_hash, "failures": 0, "locked_until": None})  # fmt: skip
        end_sessions_of(uow.connection, SessionKind.SUBJECT, login, now)
        append_event(uow.connection, actor=actor, action="account.reset",
                     target=f"subject:{row['subject_code']}", detail={"login": login}, now=now)  # fmt: skip
        uow.commit()
