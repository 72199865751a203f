"""A host urls.py with Wagtail's catch-all before the apps (the mistake E010 names)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("", include(wagtail_urls)),
    path("", include("projects.urls")),
]
