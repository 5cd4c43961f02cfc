"""The retention API: rules listed, read and changed; holds placed and released;
dispositions signed and listed; 404 for who may not manage retention."""

import datetime as dt
import json

from openqms.core import actions
from openqms.core.models import RecordDisposition, RecordHold, RetentionRule
from openqms.testing import PASSWORD, api_post, event_count
from tests.core.retention_sample import CODE, sample_class, specimen


def _token(user):
    return actions.create_api_token(actor=user, user=user, name="t")[1]


def _get(client, path, token):
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


def test_rules_are_listed_read_and_changed(client, cast):
    token = _token(cast.qa_lead)
    with sample_class(years=5):
        listed = _get(client, "/retention/rules", token).json()
        assert {"record_class": CODE, "years": 5, "stored": False}.items() <= next(
            r for r in listed if r["record_class"] == CODE
        ).items()
        body = {"years": 12, "counted_from": "closed", "reason": "Longer"}
        changed = client.put(
            f"/api/v1/retention/rules/{CODE}",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert changed.status_code == 200 and changed.json()["years"] == 12
        before = event_count()
        low = client.put(
            f"/api/v1/retention/rules/{CODE}",
            json.dumps(body | {"years": 1}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert low.status_code == 422 and low.json()["fields"] == {
            "years": "At least 2 years (or 0: kept for ever)."
        }
        assert event_count() == before and RetentionRule.objects.get().years == 12


def test_holds_and_a_signed_disposition_through_the_api(client, cast):
    token = _token(cast.qa_lead)
    with sample_class(years=5) as sample:
        record = specimen(cast, dt.date(2010, 1, 1), sample)
        key = {"record_class": CODE, "object_id": str(record.pk)}
        placed = api_post(client, "/retention/holds", key | {"reason": "Case"}, token)
        assert placed.status_code == 201
        hold_id = placed.json()["id"]
        assert [h["id"] for h in _get(client, "/retention/holds", token).json()] == [hold_id]
        seen = _get(client, f"/retention/records/{CODE}/{record.pk}", token).json()
        assert "legal hold" in seen["disposal_refused"]
        released = api_post(
            client, f"/retention/holds/{hold_id}/release", {"reason": "Done"}, token
        )
        assert released.status_code == 200 and released.json()["released_by"] == "Quinn Avery"
        seen = _get(client, f"/retention/records/{CODE}/{record.pk}", token).json()
        assert seen["disposal_refused"] == "" and seen["retention_ends"] == "2015-01-01"
        body = key | {"reason": "Over", "password": PASSWORD, "content_hash": seen["content_hash"]}
        disposed = api_post(client, "/retention/dispositions", body, token)
        assert disposed.status_code == 201
        assert disposed.json()["signatures"][0]["meaning"] == "disposed"
        assert len(_get(client, "/retention/dispositions", token).json()) == 1


def test_who_may_not_manage_retention_gets_404(client, cast):
    token = _token(cast.author)
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        body = {"record_class": CODE, "object_id": str(record.pk), "reason": "Case"}
        assert api_post(client, "/retention/holds", body, token).status_code == 404
        assert _get(client, "/retention/rules", token).status_code == 404
    assert not RecordHold.objects.exists() and not RecordDisposition.objects.exists()
