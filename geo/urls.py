from django.urls import path

from . import api, reaction_views, views

app_name = "geo"

urlpatterns = [
    path("initiatief/kaart/", views.municipality_map, name="map"),
    path("initiatief/nieuw/", views.initiative_create, name="initiative_create"),
    path("initiatief/project/<int:project_id>/", views.project_map, name="project_map"),
    path("initiatief/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiatief/<int:pk>/steunen/", views.support, name="support"),
    path("initiatief/<int:pk>/steun-intrekken/", views.unsupport, name="unsupport"),
    path("initiatief/<int:pk>/melden/", views.report, name="report"),
    path("initiatief/<int:pk>/reageren/", reaction_views.react, name="react"),
    path("initiatief/<int:pk>/reacties/<int:reaction_id>/melden/", reaction_views.reaction_report, name="reaction_report"),
    path("initiatief/berichten/stoppen/<str:token>/", reaction_views.updates_stop, name="updates_stop"),
    path("api/geo/initiatives/", api.initiatives_layer, name="api_initiatives"),
    path("api/geo/areas/", api.areas_layer, name="api_areas"),
    path("api/geo/adres/", api.address_suggest, name="api_address"),
    path("api/geo/adres/punt/", api.address_lookup, name="api_address_lookup"),
    path("api/geo/initiatives.geojson", api.open_data_geojson, name="open_data_geojson"),
    path("api/geo/initiatives.csv", api.open_data_csv, name="open_data_csv"),
]
