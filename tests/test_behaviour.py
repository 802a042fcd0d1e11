"""Behaviour unchanged: fixed configs and seeds give the committed digests (tests/behaviour.py).

A failure here means the model's output changed. If that was the point of the change,
regenerate with ``python -m tests.behaviour --write`` and say why in the commit."""

from __future__ import annotations

import json

import pytest

from behaviour import CASES, FILE, digests

REFERENCE = json.loads(FILE.read_text())


def test_every_case_has_a_reference():
    assert sorted(REFERENCE) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_digests_unchanged(case):
    got = digests(CASES[case])
    changed = [k for k, v in REFERENCE[case].items() if got.get(k) != v]
    assert not changed, f"{case}: {', '.join(changed)} changed (see tests/behaviour.py)"
