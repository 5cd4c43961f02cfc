"""The router, and how the register's records are shown."""

from __future__ import annotations

from typing import Any

from ninja import Router

from openqms.core.api import MEMBERS
from openqms.core.errors import InvalidInput
from openqms.devices.contents import FileView
from openqms.devices.models import Device, DeviceMarket, DeviceUdi

# Everyone holding a role reads the register; someone with none meets a 404.
router = Router(tags=["devices"], auth=MEMBERS)


def device_out(device: Device) -> dict[str, Any]:
    markets: list[DeviceMarket] = [m for m in device.markets.all() if m.removed_at is None]
    udis: list[DeviceUdi] = [u for u in device.udis.all() if u.removed_at is None]
    return {
        "id": device.pk,
        "family": device.family.code,
        "name": device.name,
        "model": device.model,
        "intended_purpose": device.intended_purpose,
        "device_class": device.device_class.code,
        "obligation": device.device_class.obligation(),
        "classification_rule": device.classification_rule,
        "classification_justification": device.classification_justification,
        "gmdn_code": device.gmdn_code,
        "responsible_person": str(device.responsible_person) if device.responsible_person else None,
        "mhra_reference": device.mhra_reference,
        "mhra_registered_on": device.mhra_registered_on,
        "registration_to_update": device.registration_to_update,
        "state": device.state,
        "first_placed_on": device.first_placed_on,
        "last_placed_on": device.last_placed_on,
        "support_ended_on": device.support_ended_on,
        "lifetime_years": device.lifetime_years,
        "markets": [
            {
                "id": m.pk,
                "market": m.market,
                "route": m.route,
                "body": str(m.body) if m.body else None,
                "certificate": str(m.certificate) if m.certificate else None,
                "recognised_until": m.recognition.until if m.recognition else None,
            }
            for m in markets
        ],
        "udis": [
            {
                "id": u.pk,
                "kind": u.kind,
                "agency": u.agency,
                "code": u.code,
                "description": u.description,
            }
            for u in udis
        ],
    }


def file_out(view: FileView) -> dict[str, Any]:
    return {
        "family": view.family.code,
        "name": view.family.name,
        "complete_sections": view.done,
        "sections": [
            {
                "code": s.section.code,
                "title": s.section.title,
                "clause": s.section.clause,
                "complete": s.complete,
                "not_applicable": s.mark.justification if s.mark else None,
                "documents": [
                    {
                        "id": f.entry.pk,
                        "document": f.number,
                        "title": f.title,
                        "revision_in_force": f.revision.label if f.revision else None,
                    }
                    for f in s.filed
                ],
            }
            for s in view.sections
        ],
    }


def one(queryset: Any, field: str, **lookup: Any) -> Any:
    """The row named in the body, or a 422 naming the field."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise InvalidInput(
            f"There is no such {field.replace('_', ' ')}.", fields={field: "Unknown."}
        )
    return found
