"""The projects URLs plus a stand-in for the search page (``projects:search``, owned by the
memory), so links into it can be tested on their own."""

from django.http import HttpResponse
from django.urls import include, path

from projects import urls as project_urls

urlpatterns = [
    path("", include(([*project_urls.urlpatterns, path("zoeken/", lambda request: HttpResponse(), name="search")], "projects"))),
]
