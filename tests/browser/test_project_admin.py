"""The project edit screen in the Wagtail admin, in a real browser: tabs and the area map."""

import json
import pytest

from projects.models import ProjectPage
from tests.browser.conftest import admin_login
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)




def test_draw_project_area_and_save_geojson(admin_page, tmp_path):
    page = admin_page
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    project = ProjectPageFactory(title="Groen Schoneveld")
    admin_login(page, admin)
    page.goto(f"/admin/pages/{project.pk}/edit/")
    tabs = page.get_by_role("tab")
    assert [t.strip() for t in tabs.all_inner_texts()][:3] == ["Inhoud", "Participatie", "Vindbaarheid"]

    page.get_by_role("tab", name="Participatie").click()
    map_el = page.locator("#id_area-map")
    map_el.scroll_into_view_if_needed()
    assert map_el.is_visible()
    page.wait_for_function("document.querySelector('#id_area-map').classList.contains('leaflet-container')")
    box = map_el.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert page.locator("#id_area-map .leaflet-draw-draw-polygon").is_visible()
    # Leaflet.draw and the zoom buttons speak Dutch (django-leaflet has no Dutch of its own).
    assert page.locator("#id_area-map .leaflet-draw-draw-polygon").get_attribute("title") == "Teken een vlak"
    assert page.locator("#id_area-map .leaflet-control-zoom-in").get_attribute("title") == "Inzoomen"
    page.screenshot(path=str(tmp_path / "project_admin_map.png"))

    # Draw a polygon with Leaflet.draw (the map was created while its tab was hidden;
    # projects/admin_map.js makes it re-measure itself when the tab opens): start the tool, click three corners, close it.
    page.locator(".leaflet-draw-draw-polygon").click()
    map_el.scroll_into_view_if_needed()
    box = map_el.bounding_box()
    x, y = box["x"], box["y"]
    points = [(x + 300, y + 60), (x + 500, y + 60), (x + 500, y + 200), (x + 300, y + 200)]
    for px, py in points:
        page.mouse.click(px, py)
        page.wait_for_timeout(150)
    page.mouse.click(*points[0])  # close the ring
    page.wait_for_function("document.querySelector('#id_area').value.includes('Polygon')")
    stored = json.loads(page.locator("#id_area").input_value())
    assert stored["type"] == "Polygon" and len(stored["coordinates"][0]) == 5

    # Save a draft; the GeoJSON ends up in the latest revision.
    page.get_by_role("button", name="Bewaar concept").click()
    page.wait_for_load_state("networkidle")
    saved = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object().area
    assert saved["type"] == "Polygon"
    assert saved["coordinates"][0][0] == saved["coordinates"][0][-1]
