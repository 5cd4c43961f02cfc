"""The QMS frame's pages, one list per area (views/<area>.py)."""

from openqms.qms.views import certificates, clauses, common  # certificates and clauses

app_name = "qms"

urlpatterns = [
    *common.urlpatterns,  # the QMS dashboard
    # organisation, scope (views/organisation.py, views/scope.py)
    # processes and the map (views/processes.py)
    # certificates, clause coverage and the gap report (views/certificates.py, views/clauses.py)
    *certificates.urlpatterns,
    *clauses.urlpatterns,
    # device families (views/families.py)
]
