"""The device register's only writers: `verb_noun(*, actor, ...)`, each audited in its
own transaction (register.py: devices, markets, UDIs, lifecycle, registration;
files.py: the medical device files)."""

from openqms.devices.actions.files import (
    add_file_document,
    mark_applicable,
    mark_not_applicable,
    remove_file_document,
)
from openqms.devices.actions.register import (
    LIFECYCLE,
    add_market,
    add_udi,
    create_device,
    edit_device,
    edit_recognition,
    record_registration,
    remove_market,
    remove_udi,
    take_step,
)

__all__ = [
    "LIFECYCLE",
    "add_file_document",
    "add_market",
    "add_udi",
    "create_device",
    "edit_device",
    "edit_recognition",
    "mark_applicable",
    "mark_not_applicable",
    "record_registration",
    "remove_file_document",
    "remove_market",
    "remove_udi",
    "take_step",
]
