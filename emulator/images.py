"""The software image files the emulator boots: what `copy tftp flash`, `scp ... /os/primary`
and `show flash` handle in place of HP's .swi files.

An image is a text header and any payload after it:

    PROCURVE-EMU-IMAGE
    Version: K.15.17.0008
    Date: 03/12/15

The first line names the format, `Version` is the K-family version the module reports once
it boots the image (`show version`, `show flash`), `Date` (mm/dd/yy) the build date `show
flash` lists; a blank line ends the header. The file's size is what `show flash` lists as the
image's size. A module's flash holds an image file only once one was copied in; until then
its images are the built-in K.15.16 ones (`builtin`), as images.json names them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Final

from emulator import hardware

MAGIC: Final = "PROCURVE-EMU-IMAGE"
VERSION_RE: Final = re.compile(r"^K\.\d{2}\.\d{2}\.\d{4}$")
"""The 8212zl runs the K family; an image of another family (a 2920's WB...) is refused."""
DATE_FORMAT: Final = "%m/%d/%y"
MAX_SIZE: Final = 2 * 1024 * 1024
"""The largest image a module stores: the flash sync sends a file as one IPC frame
(emulator/ipc/wire.py's 4 MiB, base64 inside), so real 20 MB .swi files are out of reach."""
HEADER_LIMIT: Final = 512
"""Octets the header may take; an image whose header does not end by then is refused."""


class ImageError(ValueError):
    """Not an image this switch can boot."""


@dataclass(frozen=True)
class Image:
    version: str
    date: str
    size: int


def builtin_date() -> str:
    """The build date of the image the emulator ships (hardware.IMAGE_STAMP)."""
    return time.strftime(DATE_FORMAT, time.strptime(hardware.IMAGE_STAMP[1],
                                                    "%b %d %Y %H:%M:%S"))


def build(version: str, date: str, payload: bytes = b"") -> bytes:
    return f"{MAGIC}\nVersion: {version}\nDate: {date}\n\n".encode() + payload


def builtin(version: str = hardware.SOFTWARE_REVISION) -> bytes:
    """The file of a built-in image (what scp fetches from a flash never copied to)."""
    return build(version, builtin_date())


def parse(data: bytes) -> Image:
    """The image `data` holds; ImageError when it is none the switch boots."""
    head, blank, _ = data[:HEADER_LIMIT].partition(b"\n\n")
    if not blank:
        raise ImageError("no image header")
    lines = head.decode("ascii", "replace").split("\n")
    if lines[0] != MAGIC:
        raise ImageError("not an image")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    version, date = fields.get("Version", ""), fields.get("Date", "")
    if not VERSION_RE.match(version):
        raise ImageError(f"not a K-family version: {version!r}")
    try:
        time.strptime(date, DATE_FORMAT)
    except ValueError:
        raise ImageError(f"bad date: {date!r}") from None
    if len(data) > MAX_SIZE:
        raise ImageError("image too large")
    return Image(version, date, len(data))
