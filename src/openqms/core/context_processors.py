from openqms.core.access import has_permission
from openqms.core.registry import AUDIT_READ, ROLE_MANAGE, USER_MANAGE


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "audit": has_permission(user, AUDIT_READ),
            "users": has_permission(user, USER_MANAGE),
            "roles": has_permission(user, ROLE_MANAGE),
        }
    }
