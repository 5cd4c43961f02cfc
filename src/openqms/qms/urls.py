"""The QMS frame's pages, one list per area (views/<area>.py)."""

from openqms.qms.views import certificates, clauses, common, families, organisation, scope
from openqms.qms.views import processes as process_views

app_name = "qms"

urlpatterns = [
    *common.urlpatterns,  # the QMS dashboard
    # organisation, scope (views/organisation.py, views/scope.py)
    *organisation.urlpatterns,
    *scope.urlpatterns,
    # processes and the map (views/processes.py)
    *process_views.urlpatterns,
    # certificates, clause coverage and the gap report (views/certificates.py, views/clauses.py)
    *certificates.urlpatterns,
    *clauses.urlpatterns,
    # device families (views/families.py)
    *families.urlpatterns,
]
