"""Identifier arithmetic for the generator: check digits and collision-free numbering.

Owns building VALID codes (GB 32100 USCC with its embedded GB 11714
organisation code, GB 11643 resident ID) and the keyed permutations that make
them unique without remembering which were issued. Check digits of the USCC
and the resident ID come from python-stdnum; the organisation-code check is
computed here because stdnum does not expose it. This module must not validate
user input (that is ``xinyong.codes``) nor draw from a shared random stream.
"""

from __future__ import annotations

import random
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from stdnum.cn import ric, uscc

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

_T = TypeVar("_T")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PLACEHOLDER_CODE = "0" * 17 + "X"
"""Standard placeholder for an individual business without a code; fails the checksum by design."""

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_MASK64 = (1 << 64) - 1


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body.

    Weights 3 7 9 10 5 8 4 2, digits count as themselves and letters A–Z as
    10–35; the check is 11 − (Σ mod 11), written X for 10 and 0 for 11.
    """
    total = sum(_ORG_VALUES[ch] * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def make_uscc(authority_type: str, division: str, org_body: str) -> str:
    """A valid USCC: authority and type, division, organisation code with its check, check."""
    base = authority_type + division + org_body + org_code_check(org_body)
    return base + str(uscc.calc_check_digit(base))


def make_ric(division: str, birth: str, sequence: int) -> str:
    """A valid resident ID: division, birth date YYYYMMDD, 3-digit sequence (odd = male), check."""
    base = f"{division}{birth}{sequence:03d}"
    return base + str(ric.calc_check_digit(base + "0"))


def corrupt_check(code: str, alphabet: str, rng: random.Random) -> str:
    """The same code with a different, wrong final character taken from ``alphabet``."""
    wrong = [ch for ch in alphabet if ch != code[-1]]
    return code[:-1] + rng.choice(wrong)


def mix64(value: int) -> int:
    """SplitMix64 finaliser: a fixed, well-spread hash of a 64-bit integer."""
    z = (value + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


class FastRandom(random.Random):
    """``random.Random`` with ``choice`` and ``randint`` from one ``random()`` call each.

    The standard ones go through ``getrandbits`` rejection sampling, which is
    exact but about four times slower; the bias of ``int(random() * n)`` is
    below 2**-40 for the small ranges drawn here. Profiling showed these two
    methods among the top costs of a generation.
    """

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def subject_rng(seed: int, index: int) -> FastRandom:
    """The random stream of subject ``index``: the same (seed, index) gives the same subject."""
    return FastRandom(_seed_key(seed) | index)


@cache
def _seed_key(seed: int) -> int:
    return mix64(seed & _MASK64) << 64


class Permutation:
    """A keyed bijection of ``range(size)``: a 4-round Feistel network with cycle walking.

    The network permutes ``bits``-bit numbers (halves of unequal width when
    ``bits`` is odd, so the domain is less than twice ``size`` and walking is
    short). Numbering subjects through it gives unique, random-looking codes
    from the subject index alone, so no set of issued codes is held in memory.
    """

    def __init__(self, size: int, key: int) -> None:
        bits = max(2, (size - 1).bit_length())
        self._right_bits = bits // 2
        self._left_bits = bits - self._right_bits
        self._size = size
        self._keys = tuple(mix64(key * 4 + r) for r in range(4))

    def __call__(self, value: int) -> int:
        if not 0 <= value < self._size:
            raise ValueError(f"{value} is outside 0..{self._size - 1}")
        while True:
            value = self._encrypt(value)
            if value < self._size:
                return value

    def _encrypt(self, value: int) -> int:
        left_bits, right_bits = self._left_bits, self._right_bits
        left, right = value >> right_bits, value & ((1 << right_bits) - 1)
        for key in self._keys:
            mixed = ((right ^ key) * 0x9E3779B97F4A7C15) & _MASK64
            left, right = right, left ^ ((mixed ^ (mixed >> 29)) & ((1 << left_bits) - 1))
            left_bits, right_bits = right_bits, left_bits
        return (left << right_bits) | right


def to_base(value: int, alphabet: str, width: int) -> str:
    """``value`` written in ``width`` digits of ``alphabet`` (most significant first)."""
    base = len(alphabet)
    out = []
    for _ in range(width):
        value, digit = divmod(value, base)
        out.append(alphabet[digit])
    return "".join(reversed(out))
