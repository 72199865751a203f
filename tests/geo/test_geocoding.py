import pytest

from geo import geocoding


def test_suggest_then_lookup(geocoder):
    suggestions = geocoding.suggest("Plein Houten")
    assert suggestions[0].label == "Plein 1, 3991 AA Houten"
    location = geocoding.lookup(suggestions[0].id)
    assert (location.lat, location.lon) == (52.02912, 5.16832)  # WKT is lon lat


def test_results_are_cached(geocoder):
    geocoding.geocode("Plein Houten")
    count = len(geocoder.requests)
    geocoding.geocode("Plein Houten")
    assert len(geocoder.requests) == count


def test_not_found(geocoder):
    with pytest.raises(geocoding.AddressNotFound):
        geocoding.geocode("Nergensstraat")
    with pytest.raises(geocoding.AddressNotFound):
        geocoding.lookup("bestaat-niet")


@pytest.mark.parametrize("mode", ["garbage", "error"])
def test_garbage_and_server_errors_are_unavailable(geocoder, mode):
    geocoder.mode = mode
    with pytest.raises(geocoding.GeocoderUnavailable) as exc:
        geocoding.suggest("Plein Houten")
    assert "Probeer het later opnieuw" in str(exc.value)


def test_timeout(geocoder):
    geocoder.mode = "slow"
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.suggest("Plein Houten")


def test_bad_wkt_is_garbage(geocoder):
    geocoder.docs["adr-1"]["centroide_ll"] = "POLYGON((1 2, 3 4))"
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.lookup("adr-1")


def test_nothing_listens(settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEOCODER_URL": "http://127.0.0.1:9/none"}
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.suggest("Plein Houten")
