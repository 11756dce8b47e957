"""`ip ssh filetransfer`: the switch's files over SFTP and SCP, as a K.15 switch offers them to
a manager (`scp manager@switch:/cfg/startup-config .`, `sftp manager@switch`).

The tree is the real switch's: `/cfg/running-config` and `/cfg/startup-config`, `/os/primary`
and `/os/secondary`; nothing of the host's file system is reachable. A fetch reads the file as
it is when it is opened. An upload is gathered in memory, bounded by what the file may hold,
and stored only when the client closes it, checked whole (a config must be text, an image one
the switch boots: emulator/images.py) and then written atomically and synced to the standby
(emulator/commands/file_transfer.py): a transfer never leaves a torn file on flash. A new
startup config is what the next boot runs; the running config cannot be replaced.
"""

from __future__ import annotations

import posixpath
import stat
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, cast

import asyncssh
from asyncssh.channel import SSHChannel
from asyncssh.constants import FILEXFER_TYPE_DIRECTORY, FILEXFER_TYPE_REGULAR

from emulator import images
from emulator.commands import file_transfer

if TYPE_CHECKING:
    from emulator.device import Device

DIRECTORIES: Final = {
    "/": tuple(dict.fromkeys(posixpath.dirname(name)[1:] for name in file_transfer.FILES)),
    **{folder: tuple(posixpath.basename(name) for name in file_transfer.FILES
                     if posixpath.dirname(name) == folder)
       for folder in ("/cfg", "/os")},
}
"""The tree the switch's files make: `/cfg` and `/os`, and their files."""
WRITABLE: Final = {file_transfer.STARTUP: file_transfer.MAX_CONFIG,
                   **{name: images.MAX_SIZE for name in file_transfer.OS_FILES}}
"""The files an upload may replace, and the octets each may hold."""
FILE_MODE: Final = stat.S_IFREG | 0o644
DIR_MODE: Final = stat.S_IFDIR | 0o755
REFUSED: Final = "not permitted on the switch's files"


@dataclass
class Reading:
    data: bytes


@dataclass
class Writing:
    name: str
    limit: int
    data: bytearray = field(default_factory=bytearray)


def _name(path: bytes) -> str:
    """The absolute, normalised name of `path` (relative names start at `/`)."""
    text = path.decode("utf-8", "replace") or "/"
    return posixpath.normpath(posixpath.join("/", text))


class SwitchFiles(asyncssh.SFTPServer):
    """One SFTP (or SCP) session on the switch's files."""

    def __init__(self, chan: asyncssh.SSHServerChannel[bytes], device: Device) -> None:
        super().__init__(chan)
        self.device = device

    def _attrs(self, name: str) -> asyncssh.SFTPAttrs:
        now = int(time.time())
        if name in DIRECTORIES:
            return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_DIRECTORY, permissions=DIR_MODE, size=0,
                                      mtime=now, atime=now)
        try:
            size = len(file_transfer.read_file(self.device, name))
        except KeyError:
            raise asyncssh.SFTPNoSuchFile(f"{name}: no such file") from None
        return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_REGULAR, permissions=FILE_MODE, size=size,
                                  mtime=now, atime=now)

    def realpath(self, path: bytes) -> bytes:
        return _name(path).encode()

    def stat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(_name(path))

    def lstat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(_name(path))

    def fstat(self, file_obj: object) -> asyncssh.SFTPAttrs:
        assert isinstance(file_obj, Reading | Writing)
        return asyncssh.SFTPAttrs(type=FILEXFER_TYPE_REGULAR, permissions=FILE_MODE,
                                  size=len(file_obj.data))

    async def scandir(self, path: bytes) -> AsyncIterator[asyncssh.SFTPName]:
        name = _name(path)
        if name not in DIRECTORIES:
            raise asyncssh.SFTPNoSuchFile(f"{name}: no such directory")
        for entry in (".", "..", *DIRECTORIES[name]):
            full = posixpath.normpath(posixpath.join(name, entry))
            yield asyncssh.SFTPName(entry.encode(), attrs=self._attrs(full))

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
        name = _name(path)
        if pflags & asyncssh.FXF_WRITE:
            if name not in WRITABLE:
                raise asyncssh.SFTPPermissionDenied(f"{name}: cannot be replaced")
            return Writing(name, WRITABLE[name])
        try:
            return Reading(file_transfer.read_file(self.device, name))
        except KeyError:
            raise asyncssh.SFTPNoSuchFile(f"{name}: no such file") from None

    def read(self, file_obj: object, offset: int, size: int) -> bytes:
        assert isinstance(file_obj, Reading)
        return file_obj.data[offset:offset + size]

    def write(self, file_obj: object, offset: int, data: bytes) -> int:
        if not isinstance(file_obj, Writing):
            raise asyncssh.SFTPPermissionDenied("file opened for reading")
        end = offset + len(data)
        if end > file_obj.limit:
            raise asyncssh.SFTPFailure("file too large")
        if len(file_obj.data) < end:
            file_obj.data.extend(bytes(end - len(file_obj.data)))
        file_obj.data[offset:end] = data
        return len(data)

    async def close(self, file_obj: object) -> None:
        """An upload is checked and stored now, whole, or refused with the reason."""
        if not isinstance(file_obj, Writing):
            return
        try:
            await file_transfer.write_file(self.device, file_obj.name, bytes(file_obj.data))
        except file_transfer.FileRefused as exc:
            raise asyncssh.SFTPFailure(str(exc)) from None

    def setstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        """Times and modes a client sets (`scp -p`) are not kept."""

    def fsetstat(self, file_obj: object, attrs: asyncssh.SFTPAttrs) -> None:
        """As setstat."""

    def lsetstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        """As setstat."""

    def fsync(self, file_obj: object) -> None:
        """Stored files are durable when close answers."""

    def remove(self, path: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def rmdir(self, path: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def rename(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def posix_rename(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def symlink(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def link(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied(REFUSED)

    def exit(self) -> None:
        """The session ends with exit status 0, as sshd ends one whose sftp-server exited
        cleanly (OpenSSH's scp fails a transfer whose session reports none)."""
        self.channel.exit(0)

    def readlink(self, path: bytes) -> bytes:
        raise asyncssh.SFTPNoSuchFile("no links on the switch")

    def statvfs(self, path: bytes) -> asyncssh.SFTPVFSAttrs:
        raise asyncssh.SFTPOpUnsupported("statvfs not supported")

    fstatvfs = statvfs  # type: ignore[assignment]


SftpFactory = Callable[["SSHChannel[bytes]"], asyncssh.SFTPServer]


def gate(device: Device) -> Callable[[str | None], SftpFactory | None]:
    """What ssh.py asks for each session: the SFTP/SCP server for a user at `level`, while
    `ip ssh filetransfer` is on and the user is a manager (as on the switch); else None."""
    def for_level(level: str | None) -> SftpFactory | None:
        if level != "manager" or not device.running.ssh_filetransfer:
            return None
        return lambda chan: SwitchFiles(cast("asyncssh.SSHServerChannel[bytes]", chan), device)

    return for_level
