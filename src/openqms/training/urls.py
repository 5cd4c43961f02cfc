from django.urls import path

from openqms.training import views

app_name = "training"

urlpatterns = [
    # A person's own training, and completing it (views/assignments.py)
    path("my/", views.my_training, name="my"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/sign/", views.assignment_sign, name="assignment-sign"),
    path("assignments/<int:pk>/quiz/", views.assignment_quiz, name="assignment-quiz"),
    path("assignments/<int:pk>/evaluate/", views.assignment_evaluate, name="assignment-evaluate"),
    # Classroom sessions (views/sessions.py)
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/sign/", views.session_sign, name="session-sign"),
    path("sessions/<int:pk>/material/", views.session_material, name="session-material"),
    # Competence records and job-role evaluations (views/records.py)
    path("people/<str:username>/competence/new/", views.record_create, name="record-create"),
    path("people/<str:username>/evaluate/", views.role_evaluate, name="role-evaluate"),
    path("competence/<int:pk>/file/", views.record_file, name="record-file"),
    path("competence/<int:pk>/withdraw/", views.record_withdraw, name="record-withdraw"),
    # The matrix and individual records (views/matrix.py, views/people.py)
    path("matrix/", views.matrix_page, name="matrix"),
    path("matrix/documents/", views.matrix_documents, name="matrix-documents"),
    path("matrix/export.<str:fmt>", views.matrix_export, name="matrix-export"),
    path("people/", views.people_list, name="people"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("people/<str:username>/record.pdf", views.person_pdf, name="person-pdf"),
    # Configuration (views/admin.py)
    path("job-roles/", views.job_role_list, name="job-roles"),
    path("job-roles/<int:pk>/", views.job_role_detail, name="job-role"),
    path("job-roles/<int:pk>/requirements/", views.requirement_add, name="requirement-add"),
    path("job-roles/<int:pk>/holders/", views.holding_add, name="holding-add"),
    path("job-roles/<int:pk>/retire/", views.job_role_retire, name="job-role-retire"),
    path("requirements/<int:pk>/remove/", views.requirement_remove, name="requirement-remove"),
    path("holdings/<int:pk>/end/", views.holding_end, name="holding-end"),
    path("people/<str:username>/employee/", views.employee_edit, name="employee-edit"),
    path("competencies/", views.competency_list, name="competencies"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<slug:code>/", views.rule_edit, name="rule-edit"),
    path("quizzes/", views.quiz_list, name="quizzes"),
    path("quizzes/<str:number>/", views.quiz_edit, name="quiz-edit"),
    path("assign/", views.assign_create, name="assign"),
]
