from openqms.core.access import has_permission
from openqms.training import access
from openqms.training.registry import MANAGE, RECORDS


def training_navigation(request):
    """Which training pages the signed-in person may open (the tab bar, training/tabs.html).

    The matrix flag is a callable: the template asks it only on training pages, so other
    pages pay no query for it (a manager with no permission reads their people's matrix)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "training_nav": {
            "matrix": lambda: access.sees_everyone(user) or access.manages_anyone(user),
            "configure": has_permission(user, MANAGE),
            "records": has_permission(user, RECORDS),
        }
    }
