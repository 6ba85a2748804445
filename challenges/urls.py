from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("plans/<int:pk>/letter/", views.letter_page, name="letter"),
    path("plans/<int:pk>/letter.pdf", views.letter_pdf, name="letter-pdf"),
    path("plans/<int:pk>/letter/sent/", views.issue_letter, name="issue-letter"),
    path("my-record/people/<int:person_pk>/challenge/", views.start, name="start"),
    path("my-record/challenges/<int:pk>/", views.detail, name="detail"),
    path("my-record/challenges/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("challenges/", views.open_list, name="open"),
    path("challenges/<int:pk>/", views.staff_detail, name="staff-detail"),
]
