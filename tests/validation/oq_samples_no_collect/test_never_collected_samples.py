"""Split between the two processes of the run: the second never collects its file."""

import pytest


@pytest.mark.verifies("VAL-017")
def test_a_sample_never_collected():
    pass
