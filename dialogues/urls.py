from django.urls import path

from . import views

app_name = "dialogues"

urlpatterns = [
    path("dialoog/sessie/<int:session_id>/aanmelden/", views.session_register, name="register"),
    path("dialoog/sessie/<int:session_id>/agenda.ics", views.session_calendar, name="session_ics"),
    path("dialoog/aanmelding/<str:token>/", views.registration_detail, name="registration"),
    path("dialoog/afmelden/<str:token>/", views.registration_detail, name="cancel"),
    path("dialoog/bevestigen/<str:token>/", views.registration_confirm, name="confirm"),
    path("dialoog/evaluatie/<str:token>/", views.evaluate, name="evaluate"),
    path("dialoog/mijn/<int:registration_id>/afmelden/", views.my_registration_cancel, name="my_cancel"),
]
