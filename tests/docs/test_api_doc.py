"""docs/api.md stays true: its examples and endpoints match the API."""

from __future__ import annotations

import json
import re
from pathlib import Path

from xinyong.api.app import create_app
from xinyong.api.problems import ProblemDetails, problem_type
from xinyong.config import Settings
from xinyong.errors import error_classes
from xinyong.keys.model import Role

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def test_the_error_example_is_a_valid_problem_of_a_real_code() -> None:
    [example] = re.findall(r"```json\n(.*?)```", DOC, flags=re.S)
    body = ProblemDetails.model_validate(json.loads(example))
    assert body.code in {cls.code for cls in error_classes()}
    assert body.type == problem_type(body.code)


def test_every_endpoint_in_the_doc_exists(tmp_path: Path) -> None:
    paths = set(create_app(Settings(data_dir=tmp_path)).openapi()["paths"])
    # The rows of the endpoints table.
    listed = set(re.findall(r"^\| `(?:GET|POST|PUT|DELETE) (/api/v1/[^`?]*)", DOC, flags=re.M))
    assert listed
    assert listed <= paths
    assert {p for p in paths if p.startswith("/api/v1/")} <= listed


def test_every_role_is_in_the_roles_table() -> None:
    for role in Role:
        assert f"| `{role.value}` |" in DOC
