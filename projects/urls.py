from django.urls import path

from . import views, views_accountability, views_results, views_search, views_what_lives

app_name = "projects"

urlpatterns = [
    path("projecten/<int:project_id>/volgen/", views.follow, name="follow"),
    path("projecten/<int:project_id>/ontvolgen/", views.unfollow, name="unfollow"),
    path("projecten/volgen/stoppen/<str:token>/", views.unfollow_token, name="unfollow_token"),
    path("projecten/<int:project_id>/resultaten/", views_results.results, name="results"),
    path("projecten/<int:project_id>/verslag/", views_results.report_page, name="report"),
    path("projecten/<int:project_id>/verslag.pdf", views_results.report_pdf, name="report_pdf"),
    path("projecten/<int:project_id>/verslag/versie-<int:version>/", views_results.report_version, name="report_version"),
    path("projecten/<int:project_id>/verslag/versie-<int:version>.pdf", views_results.report_version_pdf, name="report_version_pdf"),
    path("projecten/<int:project_id>/cijfers.json", views_results.figures_json, name="figures_json"),
    path("projecten/<int:project_id>/cijfers.csv", views_results.figures_csv, name="figures_csv"),
    path("projecten/<int:project_id>/verantwoording/", views_accountability.commitments_project, name="commitments_project"),
    path("verantwoording/", views_accountability.commitments_public, name="commitments"),
    path("wat-leeft-er/", views_what_lives.what_lives_page, name="what_lives"),
    path("wat-leeft-er/<str:code>/", views_what_lives.what_lives_area, name="what_lives_area"),
    path("zoeken/", views_search.search, name="search"),
    path("raad/", views_results.council, name="council"),
    path("mijn/", views.my_data, name="my_data"),
    path("mijn/download/", views.my_data_download, name="my_data_download"),
    path("mijn/account-verwijderen/", views.account_delete, name="account_delete"),
]
