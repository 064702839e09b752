"""Settings, read from the environment (prefix ``XINYONG_``) in one place.

Settings are built once at the edge (the CLI callback, ``create_app``) and
passed down; nothing else reads the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Node settings. Every field is documented in docs/settings.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="XINYONG_", extra="ignore")

    data_dir: Path = Field(
        Path("xinyong-data"),
        description="Directory for the embedded SQLite store, quarantine files and exports.",
    )
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the transactional store, e.g. "
            "postgresql+psycopg://user@host/db. Default: SQLite file xinyong.db in data_dir."
        ),
    )
    pack_dirs: list[Path] = Field(
        default_factory=list,
        description="Extra directories holding policy packs, searched before the shipped packs.",
    )
    jurisdiction: str = Field(
        "national", description="Policy pack (jurisdiction) this node runs, e.g. rongcheng."
    )
    locale: str = Field("en", description="Language of CLI messages: en or zh-CN.")
    api_rate_per_second: float = Field(
        10.0,
        gt=0,
        description=(
            "Requests per second each API key may make on average (token bucket; per process, "
            "so N API replicas allow N times this). Over it the API answers 429 with Retry-After."
        ),
    )
    api_rate_burst: int = Field(
        20,
        ge=1,
        description="Requests an API key may make at once before api_rate_per_second applies.",
    )
    portal_search_per_second: float = Field(
        1.0,
        gt=0,
        description=(
            "Portal searches per second one client address may make on average (token bucket, "
            "per process): enough for a person, not for a scraper. Over it: 429 with Retry-After."
        ),
    )
    portal_search_burst: int = Field(
        30, ge=1, description="Portal searches a client address may make at once."
    )
    portal_session_minutes: int = Field(
        30, ge=1, le=24 * 60, description="How long a subject's sign-in on the portal lasts."
    )
    portal_secure_cookies: bool = Field(
        True,
        description=(
            "Mark the portal's session cookies Secure (sent over HTTPS only). Switch off only "
            "to try the portal over plain HTTP on 127.0.0.1."
        ),
    )
    portal_secret: str | None = Field(
        None,
        description=(
            "Key that signs the portal's session cookies. Default: a random key generated "
            "once into data_dir/portal-secret (mode 0600). Set it when several processes serve."
        ),
    )
    oidc_issuer: str | None = Field(
        None,
        description=(
            "Issuer URL of an OpenID Connect provider subjects may sign in with (its discovery "
            "document is read from <issuer>/.well-known/openid-configuration). Unset: local "
            "accounts only."
        ),
    )
    oidc_client_id: str | None = Field(
        None, description="This node's client id at the OpenID Connect provider."
    )
    oidc_client_secret: str | None = Field(
        None, description="This node's client secret at the OpenID Connect provider."
    )
    oidc_label: str = Field(
        "identity provider",
        description="What the sign-in page calls the OpenID Connect provider, e.g. its name.",
    )
    oidc_redirect_uri: str | None = Field(
        None,
        description=(
            "The portal's callback as registered at the provider, e.g. "
            "https://credit.example.gov.cn/signin/oidc/callback. Default: from the request."
        ),
    )
    open_data_licence: str = Field(
        "CC BY 4.0: reuse with attribution to this node",
        description="The licence the portal's open data are published under (shown with them).",
    )
    open_data_licence_url: str = Field(
        "https://creativecommons.org/licenses/by/4.0/",
        description="Where the open-data licence is written out (the `Link: rel=license` header).",
    )
    ingest_max_file_bytes: int = Field(
        1024 * 1024 * 1024,
        ge=1,
        description=(
            "Largest file `xinyong ingest` reads, in bytes (default 1 GiB): a file is held "
            "in memory while its batch is applied, at about ten times its size."
        ),
    )
    api_max_upload_bytes: int = Field(
        50 * 1024 * 1024,
        ge=1,
        description=(
            "Largest request body the API accepts, in bytes (default 50 MiB); checked from "
            "Content-Length before routing and again while the body streams in. Over it: 413."
        ),
    )
    attachment_max_bytes: int = Field(
        5 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest evidence file (PDF, JPEG, PNG) a subject may attach to an objection or "
            "a repair application, in bytes (default 5 MiB); at most five files each."
        ),
    )
    api_max_records_per_call: int = Field(
        10_000,
        ge=1,
        description="Most records one POST /api/v1/records call may carry; send more as a batch.",
    )

    check_refresh_seconds: float = Field(
        1.0,
        gt=0,
        le=3600,
        description=(
            "How often the API's check index takes in list changes, in seconds: a removal "
            "from a list stops restricting checks within this interval (and check logs "
            "are written at least this often)."
        ),
    )
    api_max_checks_per_call: int = Field(
        10_000,
        ge=1,
        description="Most subjects one POST /api/v1/checks:batch call may carry.",
    )

    @property
    def store_url(self) -> str:
        """The database URL in effect: the configured one, or the SQLite default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xinyong.db').resolve()}"
