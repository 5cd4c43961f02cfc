from django.urls import path

from openqms.suppliers.views import evaluations, outsourced, records, suppliers

app_name = "suppliers"
urlpatterns = [
    path("", suppliers.supplier_list, name="list"),
    path("new/", suppliers.supplier_create, name="create"),
    path("<int:pk>/", suppliers.supplier_detail, name="detail"),
    path("<int:pk>/edit/", suppliers.supplier_edit, name="edit"),
    path("<int:pk>/retire/", suppliers.supplier_retire, name="retire"),
    path("<int:pk>/reschedule/", suppliers.supplier_reschedule, name="reschedule"),
    path("<int:pk>/evaluate/", evaluations.evaluation_create, name="evaluate"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/decide/", evaluations.evaluation_decide, name="evaluation-decide"),
    path(
        "evaluations/<int:pk>/withdraw/",
        evaluations.evaluation_withdraw,
        name="evaluation-withdraw",
    ),
    path("<int:pk>/certificates/", records.certificate_add, name="certificate-add"),
    path("certificates/<int:pk>/file/", records.certificate_file, name="certificate-file"),
    path("certificates/<int:pk>/retire/", records.certificate_retire, name="certificate-retire"),
    path("<int:pk>/performance/", records.performance_add, name="performance-add"),
    path(
        "performance/<int:pk>/withdraw/",
        records.performance_withdraw,
        name="performance-withdraw",
    ),
    path("outsourced/", outsourced.outsourced_list, name="outsourced-list"),
    path("outsourced/new/", outsourced.outsourced_create, name="outsourced-create"),
    path("outsourced/<int:pk>/", outsourced.outsourced_detail, name="outsourced"),
    path("outsourced/<int:pk>/edit/", outsourced.outsourced_edit, name="outsourced-edit"),
    path("outsourced/<int:pk>/retire/", outsourced.outsourced_retire, name="outsourced-retire"),
    path("outsourced/<int:pk>/activities/", outsourced.activity_add, name="activity-add"),
    path("outsourced/<int:pk>/duties/", outsourced.duty_add, name="duty-add"),
    path(
        "outsourced/<int:pk>/<slug:kind>/<int:row>/remove/",
        outsourced.row_remove,
        name="row-remove",
    ),
]
