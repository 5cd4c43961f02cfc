"""Permission codes and audit event types of the device register (UK MDR 2002, ISO 13485
4.2.3, 7.5.8). Every signed-in person reads the register; changing it needs MANAGE."""

from openqms.core.registry import event_types, permissions

MANAGE = permissions.register(
    "devices.device:manage",
    "Keep the device register and the medical device files",
)

for _code, _label in [
    ("devices.device.created", "Device added to the register"),
    ("devices.device.edited", "Device details changed"),
    ("devices.device.placed", "Device placed on the market"),
    ("devices.device.discontinued", "Device discontinued (no longer placed on the market)"),
    ("devices.device.support_ended", "Support for the device ended"),
    ("devices.device.registered", "MHRA registration recorded"),
    ("devices.market.added", "Device market and conformity route added"),
    ("devices.market.removed", "Device market removed"),
    ("devices.udi.added", "UDI added to a device"),
    ("devices.udi.removed", "UDI removed from a device"),
    ("devices.recognition.edited", "CE recognition date in GB changed"),
    ("devices.file.document_added", "Document added to a medical device file"),
    ("devices.file.document_removed", "Document removed from a medical device file"),
    ("devices.file.section_marked", "Medical device file section marked not applicable"),
    ("devices.file.section_unmarked", "Medical device file section applies again"),
]:
    event_types.register(_code, _label)
