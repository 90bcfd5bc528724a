from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("dossier-notes", views.DossierNoteViewSet, basename="dossiernote")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("contact-relations", views.ContactRelationViewSet, basename="contactrelation")
