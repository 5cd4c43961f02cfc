from django.urls import path

from openqms.core.views import (
    admin,
    audit,
    audit_reviews,
    auth,
    integrity,
    profile,
    retention,
    tasks,
)

app_name = "core"

urlpatterns = [
    path("", tasks.my_tasks, name="tasks"),
    path("accounts/sign-in/", auth.sign_in, name="sign-in"),
    path("accounts/sign-in/code/", auth.sign_in_code, name="sign-in-code"),
    path("accounts/sign-out/", auth.sign_out, name="sign-out"),
    path("accounts/password/", auth.password_change, name="password-change"),
    path("audit/", audit.audit_trail, name="audit"),
    path("audit/export.<str:fmt>", audit.audit_export, name="audit-export"),
    path("audit/reviews/", audit_reviews.review_list, name="audit-reviews"),
    path("audit/reviews/new/", audit_reviews.review_create, name="audit-review-new"),
    path("audit/reviews/<int:pk>/", audit_reviews.review_detail, name="audit-review"),
    path("integrity/", integrity.integrity_page, name="integrity"),
    path("admin/users/", admin.user_list, name="users"),
    path("admin/users/new/", admin.user_create, name="user-create"),
    path("admin/users/<str:username>/", admin.user_detail, name="user-detail"),
    path("admin/users/<str:username>/<slug:verb>/", admin.user_action, name="user-action"),
    path("admin/roles/", admin.role_list, name="roles"),
    path("admin/roles/<slug:code>/", admin.role_detail, name="role-detail"),
    path("profile/", profile.profile, name="profile"),
    path("profile/second-factor/", profile.second_factor, name="second-factor"),
    path(
        "profile/second-factor/remove/", profile.second_factor_remove, name="second-factor-remove"
    ),
    path("profile/tokens/", profile.tokens, name="tokens"),
    path("profile/tokens/<int:token_id>/revoke/", profile.token_revoke, name="token-revoke"),
    # Retention and legal holds (ISO 13485 4.2.5)
    path("retention/", retention.retention_page, name="retention"),
    path("retention/holds/<int:pk>/release/", retention.hold_release, name="retention-release"),
    path("retention/<str:code>/", retention.rule_edit, name="retention-rule"),
    path("retention/<str:code>/<str:object_id>/", retention.record_page, name="retention-record"),
    path(
        "retention/<str:code>/<str:object_id>/dispose/",
        retention.record_dispose,
        name="retention-dispose",
    ),
]
