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

    @property
    def store_url(self) -> str:
        """The database URL in effect: the configured one, or the SQLite default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xinyong.db').resolve()}"
