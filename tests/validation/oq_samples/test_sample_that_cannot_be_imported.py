"""A file that fails to import: its marked tests are reported as errors, with the
reason, and the other files still run."""

import a_library_nobody_installs  # noqa: F401
import pytest


@pytest.mark.verifies("VAL-017")
def test_a_sample_of_a_broken_file():
    pass
