"""The first test ends the process early with exit code 0; the second never runs."""

import os

import pytest


@pytest.mark.verifies("VAL-017")
def test_a_sample_that_ends_its_process():
    os._exit(0)


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_sample_that_never_runs():
    pass
