"""The vocabulary every pack section shares: codes, bilingual names, subject kinds, severities.

Split from :mod:`xinyong.policy.model` so that the department mappings
(:mod:`xinyong.policy.mapping`), which the pack embeds, can use them without
an import cycle. Plain pydantic.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Names(_Strict):
    """A label in both interface languages."""

    zh: str = Field(min_length=1, description="Chinese (zh-CN) name.")
    en: str = Field(min_length=1, description="English name.")


class SubjectKind(StrEnum):
    LEGAL = "legal"
    NATURAL = "natural"


class Severity(StrEnum):
    """Order 36 / 国办发〔2025〕22号 classes of negative information."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"
