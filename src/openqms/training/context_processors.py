from openqms.core.access import has_permission
from openqms.training.registry import MANAGE, RECORDS


def training_navigation(request):
    """Which training configuration pages the signed-in person may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "training_nav": {
            "configure": has_permission(user, MANAGE),
            "records": has_permission(user, RECORDS),
        }
    }
