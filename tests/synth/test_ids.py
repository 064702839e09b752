"""Identifier arithmetic, checked against stdnum and against the standards' formulas."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from tests.synth.reading import org_code_valid, ric_problem
from xinyong.synth.ids import USCC_ALPHABET, Permutation, make_ric, make_uscc
from xinyong.synth.regions import load_region

ORG_BODY = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)


@given(st.integers(1, 3000), st.integers(0, 2**64))
def test_permutation_is_a_bijection(size: int, key: int) -> None:
    permutation = Permutation(size, key)
    assert sorted(permutation(i) for i in range(size)) == list(range(size))


@given(st.sampled_from(["91", "92", "93", "12", "11", "51", "52", "53", "31"]), ORG_BODY)
def test_made_usccs_pass_stdnum_and_the_organisation_code_check(kind: str, body: str) -> None:
    code = make_uscc(kind, "371082", body)
    assert uscc.is_valid(code)
    assert org_code_valid(code)


def test_the_gb11714_check_of_a_published_code() -> None:
    # 91110000600037341L is stdnum's own example; its organisation code is 60003734-1.
    assert make_uscc("91", "110000", "60003734") == "91110000600037341L"


@settings(deadline=None)  # the first example loads stdnum's division table
@given(st.integers(0, (date(2006, 12, 31) - date(1940, 1, 1)).days), st.integers(0, 999))
def test_ids_from_the_city_birth_codes_pass_stdnum(day: int, sequence: int) -> None:
    region = load_region("3710", 2026)
    born = date(1940, 1, 1) + timedelta(days=day)
    for codes in (region.home_codes[born.year], region.elsewhere_codes[born.year][:50]):
        for division in codes:
            assert ric_problem(make_ric(division, f"{born:%Y%m%d}", sequence)) is None
