from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("people/<int:pk>/budget/", views.budget_explained, name="explained"),
]
