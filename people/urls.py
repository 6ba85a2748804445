from django.urls import path

from . import portal, views

app_name = "people"

urlpatterns = [
    path("people/", views.caseload, name="caseload"),
    path("people/new/", views.person_create, name="create"),
    path("people/find/", views.find_person, name="find"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="edit"),
    path("people/<int:pk>/history/", views.person_history, name="history"),
    path("people/<int:pk>/access-log/", views.person_access_log, name="access-log"),
    path("people/<int:pk>/open/", views.person_break_glass, name="break-glass"),
    path("my-record/", portal.portal, name="portal"),
    path("my-record/people/<int:pk>/", portal.portal_person, name="portal-person"),
]
