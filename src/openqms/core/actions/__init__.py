"""The only writers of core records. Each action is the outermost transaction and writes
its audit event(s) inside it; views, API endpoints and commands all call these."""

from openqms.core.actions.auth import (
    authenticate,
    authenticate_password_for_signing,
    confirm_second_factor,
    has_second_factor,
    password_change_due,
    record_sign_in,
    record_sign_out,
    remove_second_factor,
    start_second_factor,
    verify_second_factor,
)
from openqms.core.actions.reviews import sign_audit_review
from openqms.core.actions.tokens import (
    create_api_token,
    revoke_api_token,
    token_for_plaintext,
    user_for_token,
)
from openqms.core.actions.users import (
    change_own_password,
    create_user,
    deactivate_user,
    grant_role,
    reactivate_user,
    revoke_role,
    set_password,
    unlock_user,
    update_role,
    update_user,
)

__all__ = [
    "authenticate",
    "authenticate_password_for_signing",
    "change_own_password",
    "confirm_second_factor",
    "create_api_token",
    "create_user",
    "deactivate_user",
    "grant_role",
    "has_second_factor",
    "password_change_due",
    "reactivate_user",
    "record_sign_in",
    "record_sign_out",
    "remove_second_factor",
    "revoke_api_token",
    "revoke_role",
    "set_password",
    "sign_audit_review",
    "start_second_factor",
    "token_for_plaintext",
    "unlock_user",
    "update_role",
    "update_user",
    "user_for_token",
    "verify_second_factor",
]
