"""The site's URLs plus one view that fails, to see the 500 page as a resident would."""

from django.urls import path

from participatie.urls import handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("geheime details: wachtwoord=hunter2 in /srv/app/settings.py")


urlpatterns = [path("test-fout/", broken), *site_urlpatterns]
