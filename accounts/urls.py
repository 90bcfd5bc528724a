from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("create/", views.account_create, name="create"),
    path("pick/", views.pick_accounts, name="pick"),
    path("contacts/pick/", views.pick_contacts, name="pick_contacts"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/delete/", views.account_delete, name="delete"),
    path("<int:pk>/financials/", views.financials_edit, name="financials_edit"),
    path("<int:pk>/notes/create/", views.note_create, name="note_create"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("<int:pk>/contacts/create/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/relations/create/", views.relation_create, name="relation_create"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation_delete"),
]
