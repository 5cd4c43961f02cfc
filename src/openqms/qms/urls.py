"""The QMS frame's pages, one list per area (views/<area>.py)."""

from openqms.qms.views import common, families

app_name = "qms"

urlpatterns = [
    *common.urlpatterns,  # the QMS dashboard
    # organisation, scope (views/organisation.py, views/scope.py)
    # processes and the map (views/processes.py)
    # certificates, clause coverage and the gap report (views/certificates.py, views/clauses.py)
    # device families (views/families.py)
    *families.urlpatterns,
]
