from openqms.core.models import ApiToken
from openqms.testing import PASSWORD, last_event


def test_password_change_page_keeps_the_session(signed_in, cast):
    client = signed_in(cast.author)
    response = client.post(
        "/profile/", {"old_password": PASSWORD, "new_password": "another good passphrase"}
    )
    assert response["Location"] == "/profile/"
    assert client.get("/").status_code == 200
    assert last_event().action == "core.user.password_changed"


def test_weak_new_password_is_explained(signed_in, cast):
    client = signed_in(cast.author)
    response = client.post("/profile/", {"old_password": PASSWORD, "new_password": "abc"})
    assert "too short" in response.content.decode()


def test_token_page_shows_a_new_token_once(signed_in, cast):
    client = signed_in(cast.author)
    page = client.post("/profile/tokens/", {"name": "CI pipeline"}).content.decode()
    token = ApiToken.objects.get(user=cast.author)
    assert f'data-testid="new-token">{token.prefix}' in page
    assert 'data-testid="new-token"' not in client.get("/profile/tokens/").content.decode()


def test_token_revoke_from_the_page(signed_in, cast):
    client = signed_in(cast.author)
    client.post("/profile/tokens/", {"name": "laptop"})
    token = ApiToken.objects.get(user=cast.author)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert last_event().action == "core.token.revoked"


def test_someone_elses_token_cannot_be_revoked(signed_in, cast):
    signed_in(cast.reviewer).post("/profile/tokens/", {"name": "mine"})
    token = ApiToken.objects.get(user=cast.reviewer)
    response = signed_in(cast.author).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
