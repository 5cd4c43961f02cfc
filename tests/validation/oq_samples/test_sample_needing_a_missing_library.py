"""A file that skips itself as a whole when an optional library is missing (as the S3
tests do without boto3): its marked tests are reported skipped, with the reason."""

import pytest

pytest.importorskip("a_library_nobody_installs", reason="the library is not installed")


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_sample_of_a_skipped_file():
    pass
