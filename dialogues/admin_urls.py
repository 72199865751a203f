from django.urls import path

from . import admin_views as views

app_name = "dialogues_admin"

urlpatterns = [
    path("sessie/<int:session_id>/", views.registrations, name="registrations"),
    path("sessie/<int:session_id>/export.csv", views.export_csv, name="export_csv"),
    path("sessie/<int:session_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("sessie/<int:session_id>/presentielijst/", views.attendance_list, name="attendance_list"),
    path("sessie/<int:session_id>/aanmelding/<int:registration_id>/inchecken/", views.check_in, name="check_in"),
    path("sessie/<int:session_id>/binnenloper/", views.walk_in, name="walk_in"),
    path("sessie/<int:session_id>/bericht/", views.message, name="message"),
    path("sessie/<int:session_id>/afgelasten/", views.cancel_session, name="cancel"),
    path("sessie/<int:session_id>/gehouden/", views.mark_held, name="mark_held"),
    path("sessie/<int:session_id>/uitkomst/", views.outcome_edit, name="outcome_edit"),
    path("sessie/<int:session_id>/uitkomst/publiceren/", views.outcome_publish, name="outcome_publish"),
    path("sessie/<int:session_id>/aanmelding/<int:registration_id>/afzeggen/", views.registration_cancel, name="registration_cancel"),
    path("sessie/<int:session_id>/aanmelding/<int:registration_id>/naar-plaats/", views.waitlist_promote, name="waitlist_promote"),
    path("sessie/<int:session_id>/aanmelden/", views.register_on_behalf, name="register_on_behalf"),
    path("sessie/<int:session_id>/evaluatie/", views.evaluation_send_now, name="evaluation_send_now"),
]
