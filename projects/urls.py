from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projecten/<int:project_id>/volgen/", views.follow, name="follow"),
    path("projecten/<int:project_id>/ontvolgen/", views.unfollow, name="unfollow"),
    path("projecten/volgen/stoppen/<str:token>/", views.unfollow_token, name="unfollow_token"),
    path("mijn/", views.my_data, name="my_data"),
    path("mijn/download/", views.my_data_download, name="my_data_download"),
    path("mijn/account-verwijderen/", views.account_delete, name="account_delete"),
]
