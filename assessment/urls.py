from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("assessments/<int:pk>/", views.overview, name="overview"),
    path("assessments/<int:pk>/questions/<slug:code>/", views.question, name="question"),
    path("assessments/<int:pk>/check/", views.check, name="check"),
    path("assessments/<int:pk>/declaration/", views.declaration, name="declaration"),
    path("assessments/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("assessments/<int:pk>/budget/", views.budget, name="budget"),
    path("assessments/<int:pk>/decision/", views.decision, name="decision"),
    path("assessments/<int:pk>/history/", views.history, name="history"),
    path("assessments/<int:pk>/review/", views.review, name="review"),
    path("assessments/<int:pk>/answers/<slug:code>/", views.change_answer, name="change-answer"),
    path("assessments/<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path(
        "people/<int:person_pk>/assessments/", views.person_assessments, name="person-assessments"
    ),
    path("people/<int:person_pk>/capacity/", views.capacity, name="capacity"),
    path("my-record/assessments/start/", views.start_self, name="start-self"),
]
