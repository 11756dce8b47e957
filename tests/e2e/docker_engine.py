"""A Docker engine of the test session's own, and the image built in it.

dockerd runs on its own socket, pid file and exec root (a system dockerd, if any, is left
alone), with no firewall, forwarding or masquerading changes and no default bridge: the tests
make the networks they need and remove them. Its data root persists under /var/lib so the base
image made from the Debian archive (Docker Hub is out of reach on these machines) is built
once per machine. `docker run --privileged`, which containerlab and GNS3 use, goes through
tests/e2e/docker/oci-runtime, which drops capabilities the machine itself lacks.

The client is Debian's docker.io (/usr/bin/docker) when present, the one a fresh machine gets
from scripts/test.sh.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from emulator.testing import REPO, eventually

RUNTIME: Final = Path(__file__).parent / "docker" / "oci-runtime"
DATA_ROOT: Final = Path("/var/lib/procurve-emu-test/docker")
BASE_IMAGE: Final = "procurve-emu-base:bookworm"
IMAGE: Final = "procurve-emu:test"
SUITE: Final = "bookworm"
BASE_PACKAGES: Final = "python3,python3-venv,python3-pip,ca-certificates"
HOST_CA_BUNDLE: Final = Path("/etc/ssl/certs/ca-certificates.crt")
"""Copied into the base image: HTTPS from a build may pass a proxy only this bundle trusts."""
START_DEADLINE: Final = 60.0
TRIMMED: Final = ("var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man",
                  "usr/share/locale", "usr/share/info")
"""What a slim base image leaves out too: apt's lists and cache, documentation, translations."""


class EngineMissing(RuntimeError):
    """A prerequisite (dockerd, runc, debootstrap, root) is not on this machine."""


def program(name: str) -> str:
    """Debian's binary first (/usr/bin, /usr/sbin), else whatever PATH finds."""
    found = shutil.which(name, path="/usr/bin:/usr/sbin") or shutil.which(name)
    if found is None:
        raise EngineMissing(f"{name} is not installed (scripts/test.sh installs docker.io "
                            "and debootstrap)")
    return found


def missing() -> str | None:
    """Why the engine cannot run here, or None."""
    if os.geteuid() != 0:
        return "the Docker engine needs root"
    try:
        for name in ("docker", "dockerd", "runc", "debootstrap", "ip"):
            program(name)
    except EngineMissing as exc:
        return str(exc)
    return None


def mounts_under(directory: Path) -> list[str]:
    """Mount points at or below `directory`, deepest first (/proc/self/mountinfo's fifth
    field; octal escapes as the kernel writes them are not expected in our paths)."""
    prefix = str(directory)
    points = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    return sorted((p for p in points if p == prefix or p.startswith(prefix + "/")),
                  key=len, reverse=True)


@dataclass
class Engine:
    """A running dockerd; `docker(...)` talks to it."""

    run_dir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"unix://{self.run_dir / 'docker.sock'}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        DATA_ROOT.mkdir(parents=True, exist_ok=True)
        log = (self.run_dir / "dockerd.log").open("wb")
        self.process = subprocess.Popen(
            [program("dockerd"), "--host", self.host,
             "--pidfile", str(self.run_dir / "dockerd.pid"),
             "--exec-root", str(self.run_dir / "exec"),
             "--data-root", str(DATA_ROOT),
             "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none",
             "--add-runtime", f"procurve-runc={RUNTIME}", "--default-runtime", "procurve-runc"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PROCURVE_RUNC": program("runc")})
        log.close()
        process = self.process

        def answers() -> bool:
            assert process.poll() is None, "dockerd exited"
            return self.docker("version", check=False).returncode == 0

        try:
            eventually(answers, START_DEADLINE, "dockerd to answer", poll=0.2)
        except (AssertionError, pytest.fail.Exception):
            tail = (self.run_dir / "dockerd.log").read_text(errors="replace")[-2000:]
            self.stop()  # removes run_dir, the log with it
            raise RuntimeError(f"dockerd did not start:\n{tail}") from None

    def stop(self) -> None:
        """dockerd stops its containers and its containerd with it."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for mount in mounts_under(self.run_dir):  # dockerd leaves exec/netns/default bound
            subprocess.run(["umount", "--lazy", mount], capture_output=True, check=False)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def docker(self, *args: str, check: bool = True,
               timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([program("docker"), *args], env=self.env(), capture_output=True,
                              text=True, timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)}: exit {done.returncode}: "
                               f"{done.stderr.strip()}")
        return done

    def has_image(self, name: str) -> bool:
        return self.docker("image", "inspect", name, check=False).returncode == 0

    def ensure_base(self) -> None:
        """The Debian base image, made with debootstrap when this machine has none yet."""
        if self.has_image(BASE_IMAGE):
            return
        with tempfile.TemporaryDirectory(dir="/var/tmp", prefix="procurve-base-") as work:
            root = Path(work) / "root"
            subprocess.run([program("debootstrap"), "--variant=minbase",
                            f"--include={BASE_PACKAGES}", SUITE, str(root)],
                           check=True, capture_output=True, timeout=900)
            for part in TRIMMED:
                shutil.rmtree(root / part, ignore_errors=True)
            (root / "var/lib/apt/lists/partial").mkdir(parents=True)
            (root / "var/cache/apt/archives/partial").mkdir(parents=True)
            if HOST_CA_BUNDLE.exists():
                shutil.copyfile(HOST_CA_BUNDLE, root / "etc/ssl/certs/ca-certificates.crt")
            tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
            subprocess.run([program("docker"), "import",
                            "--change", f"ENV PIP_CERT=/{HOST_CA_BUNDLE.relative_to('/')}",
                            "-", BASE_IMAGE], stdin=tar.stdout, env=self.env(), check=True,
                           capture_output=True, timeout=300)
            tar.wait()

    def build(self, tag: str = IMAGE, base: str = BASE_IMAGE) -> float:
        """The project's image from this worktree; the seconds the build took."""
        started = time.monotonic()
        self.docker("build", "--network", "host", "--build-arg", f"BASE={base}", "-t", tag,
                    str(REPO), timeout=900)
        return time.monotonic() - started


@contextlib.contextmanager
def running_engine() -> Iterator[Engine]:
    engine = Engine(Path(f"/run/procurve-emu-test-{os.getpid()}"))
    engine.start()
    try:
        yield engine
    finally:
        engine.stop()
