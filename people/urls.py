from django.urls import path

from . import portal, relationships, views

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
    path("people/<int:pk>/caring/new/", relationships.caring_add, name="caring-add"),
    path("people/<int:pk>/caring/<int:link_pk>/end/", relationships.caring_end, name="caring-end"),
    path("people/representatives/", relationships.representatives, name="representatives"),
    path("my-record/", portal.portal, name="portal"),
    path("my-record/people/<int:pk>/", portal.portal_person, name="portal-person"),
]
