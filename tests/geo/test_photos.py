import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geo.photos import MAX_SIDE, photo_prepare
from tests.geo.factories import image_bytes


def upload(data: bytes, name="foto.jpg", ctype="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=ctype)


def test_exif_and_gps_are_stripped():
    original = image_bytes(exif_gps=True)
    with Image.open(io.BytesIO(original)) as img:
        assert img.getexif().get_ifd(0x8825)  # the test image really carries GPS
    cleaned = photo_prepare(upload(original))
    data = cleaned.read()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        exif = img.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif
        assert "exif" not in img.info
    assert b"CameraMaker" not in data


def test_large_photo_is_resized():
    cleaned = photo_prepare(upload(image_bytes(size=(4000, 1000))))
    with Image.open(io.BytesIO(cleaned.read())) as img:
        assert max(img.size) == MAX_SIDE
    assert (cleaned.width, cleaned.height) == (1600, 400)


def test_png_with_transparency_becomes_webp_and_png_by_content():
    cleaned = photo_prepare(upload(image_bytes(fmt="PNG", mode="RGBA"), name="foto.jpg"))
    assert cleaned.name.endswith(".webp")
    cleaned = photo_prepare(upload(image_bytes(fmt="WEBP"), name="foto.png"))
    assert cleaned.name.endswith(".jpg")


@pytest.mark.parametrize("data, name", [
    (b"%PDF-1.4 not an image", "foto.jpg"),
    (image_bytes(fmt="GIF"), "foto.gif"),
    (image_bytes(fmt="BMP"), "foto.jpg"),
    (image_bytes()[:200], "kapot.jpg"),
])
def test_other_files_are_refused_with_dutch_message(data, name):
    with pytest.raises(ValidationError) as exc:
        photo_prepare(upload(data, name=name))
    assert "JPEG-, PNG- of WebP-foto" in exc.value.messages[0]


def test_too_big_is_refused():
    big = upload(b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        photo_prepare(big)
    assert "10 MB" in exc.value.messages[0]


def test_decompression_bomb_is_refused():
    bomb = image_bytes(fmt="PNG", size=(9000, 9000))
    with pytest.raises(ValidationError) as exc:
        photo_prepare(upload(bomb, name="bom.png"))
    assert "te veel pixels" in exc.value.messages[0]
