"""Split between the two processes of the run: the first collects and runs this file."""

import pytest


@pytest.mark.verifies("VAL-017")
def test_a_sample_collected():
    pass
