from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.due, name="due"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("reviews/<int:pk>/start/", views.start, name="start"),
    path("reviews/<int:pk>/cancel/", views.cancel, name="cancel"),
    path(
        "reviews/<int:pk>/<str:what>/",
        views.follow_up,
        name="follow-up",
    ),
    path("people/<int:person_pk>/reviews/", views.person_reviews, name="person"),
    path("people/<int:person_pk>/reviews/new/", views.unplanned, name="unplanned"),
    path("people/<int:person_pk>/reablement/new/", views.start_reablement, name="start-reablement"),
    path("reablement/<int:pk>/", views.reablement, name="reablement"),
    path("people/<int:person_pk>/carers-budget/", views.carers_budget, name="carers-budget"),
]
