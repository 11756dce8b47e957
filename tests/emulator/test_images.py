"""The image file format: a built image parses back to its version, date and size; files
that are not K-family images of this format are refused."""

from __future__ import annotations

import pytest

from emulator import hardware, images


def test_a_built_image_parses_back() -> None:
    data = images.build("K.15.17.0008", "03/12/15", b"payload")
    assert images.parse(data) == images.Image("K.15.17.0008", "03/12/15", len(data))


def test_the_builtin_image_is_the_shipped_version() -> None:
    assert images.parse(images.builtin()).version == hardware.SOFTWARE_REVISION


@pytest.mark.parametrize("data", [
    b"",
    b"MZ\x90\0\n\nbinary",
    images.build("WB.16.10.0009", "03/12/15"),
    images.build("K.15.17.0008", "13/45/15"),
    b"PROCURVE-EMU-IMAGE\nVersion: K.15.17.0008\nDate: 03/12/15\n" + b"x" * 600,
    images.build("K.15.17.0008", "03/12/15", b"\0" * images.MAX_SIZE),
])
def test_other_files_are_refused(data: bytes) -> None:
    with pytest.raises(images.ImageError):
        images.parse(data)
