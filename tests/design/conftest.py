"""Shared fixtures of design controls' tests: a project and a signer's credentials."""

import pytest

from openqms.core.signatures import Credentials
from openqms.design.actions import items as design
from openqms.testing import PASSWORD

SIGN = Credentials(PASSWORD)


@pytest.fixture
def project(cast):
    return design.create_project(actor=cast.author, name="RhythmCheck", title="RhythmCheck 2")


def item(cast, project, uid, item_type, text="", **extra):
    return design.create_item(
        actor=cast.author,
        project=project,
        uid=uid,
        item_type=item_type,
        title=extra.pop("title", uid),
        text_=text or f"The text of {uid}.",
        **extra,
    )
