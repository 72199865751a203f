from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("wat-houdt-u-bezig/", views.submit, name="submit"),
    path("wat-houdt-u-bezig/bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("wat-houdt-u-bezig/uitkomst/", views.results, name="results"),
    path("wat-houdt-u-bezig/uitkomst/<str:code>/", views.results_area, name="results_area"),
]
