"""The GNS3 appliance as GNS3 3.x's GUI uses it, against gns3-server 3.0.6 from PyPI.

The GUI reads the .gns3a itself and creates a template through the server's REST API from the
appliance's settings; a node made from that template in a project is named by the template's
`default_name_format`, and the server refuses Docker node names that are not RFC 1123 hostnames
(the appliance's display name made `HPProCurve8212zl(procurve-emu)-1`).

gns3-server drives Docker only through /var/run/docker.sock: it runs here in a mount namespace
of its own where that path is the test session's engine (tests/e2e/docker_engine.py), with the
project's image tagged as the appliance names it, so the node is a real container made from the
image. Where this stops: starting the node needs ubridge (which links GNS3's Docker nodes),
and no registry these machines reach carries it. The image runs as GNS3 starts it in
tests/e2e/test_container_entrypoint.py (every ethN a port, stdio the console).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import REPO, eventually, require
from tests.e2e.docker_engine import IMAGE, Engine

pytestmark = pytest.mark.e2e

SERVER = REPO / ".venv-gns3" / "bin" / "gns3server"
START_DEADLINE = 90.0
APPLIANCE = REPO / "lab_topologies" / "procurve-emu.gns3a"
GUI_CATEGORIES = {"multilayer_switch": "switch", "router": "router", "guest": "guest",
                  "firewall": "firewall", "switch": "switch"}
"""How the GUI maps an appliance's category onto a template's."""


def free_tcp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Gns3:
    url: str
    engine: Engine
    """The Docker engine the server's compute drives (its /var/run/docker.sock)."""
    token: str = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None
             ) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.url}/v3{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


def in_private_run(engine: Engine, tmp_path: Path, *argv: str) -> list[str]:
    """`argv` in a mount namespace of its own whose /run (where /var/run points) holds only
    docker.sock, the engine's socket: the host's /run and any system Docker are untouched."""
    mounted = tmp_path / "engine"
    script = ('mkdir -p "$1" && mount --bind "$2" "$1" && mount -t tmpfs procurve-run "$3" '
              '&& ln -s "$1/docker.sock" "$3/docker.sock" && shift 3 && exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            str(mounted), str(engine.run_dir), os.path.realpath("/var/run"), *argv]


@pytest.fixture
def gns3(engine: Engine, tmp_path: Path) -> Iterator[Gns3]:
    found = SERVER if SERVER.exists() else shutil.which("gns3server")
    require(None if found else "gns3-server is not installed (scripts/test.sh puts 3.0.6 "
            "in .venv-gns3)")
    appliance = json.loads(APPLIANCE.read_text())
    (setting,) = [s for s in appliance["settings"] if s["template_type"] == "docker"]
    engine.docker("tag", IMAGE, setting["template_properties"]["image"])
    port = free_tcp_port()
    config = tmp_path / "gns3_server.conf"
    paths = "\n".join(f"{kind}_path = {tmp_path / kind}"
                      for kind in ("images", "projects", "appliances", "symbols", "configs"))
    config.write_text(f"[Server]\nhost = 127.0.0.1\nport = {port}\nlocal = true\n"
                      f"report_errors = false\n{paths}\n")
    log = (tmp_path / "gns3.log").open("wb")
    process = subprocess.Popen(in_private_run(engine, tmp_path, str(found), "--config",
                                              str(config), "--local"),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "HOME": str(tmp_path)})
    log.close()
    server = Gns3(f"http://127.0.0.1:{port}", engine)
    try:

        def authenticate() -> tuple[int, Any]:
            assert process.poll() is None, (tmp_path / "gns3.log").read_text()
            return server.call("POST", "/access/users/authenticate",
                               {"username": "admin", "password": "admin"})

        status, answer = eventually(authenticate, START_DEADLINE, "gns3-server to start",
                                    poll=0.2, ignoring=(urllib.error.URLError, ConnectionError))
        assert status == 200, answer
        server.token = answer["access_token"]
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_template_from_the_appliance_yields_a_node_in_a_new_project(gns3: Gns3) -> None:
    appliance = json.loads(APPLIANCE.read_text())
    (setting,) = [s for s in appliance["settings"] if s["template_type"] == "docker"]
    status, template = gns3.call("POST", "/templates", {
        "name": appliance["name"], "template_type": "docker", "compute_id": "local",
        "category": GUI_CATEGORIES[appliance["category"]], **setting["template_properties"]})
    assert status == 201, template
    assert template["image"] == "procurve-emu:latest" and template["adapters"] == 8
    status, project = gns3.call("POST", "/projects", {"name": "procurve-emu-test"})
    assert status == 201, project
    status, node = gns3.call(
        "POST", f"/projects/{project['project_id']}/templates/{template['template_id']}",
        {"x": 0, "y": 0})
    assert status == 201, node
    assert node["name"] == "ProCurve8212zl-1" and node["node_type"] == "docker"
    assert node["status"] == "stopped" and node["properties"]["adapters"] == 8
    containers = gns3.engine.docker("ps", "-a", "--format", "{{.Image}} {{.Names}}").stdout
    assert f"{template['image']} " in containers, containers  # a container of the image
    status, _ = gns3.call("DELETE", f"/projects/{project['project_id']}")
    assert status == 204
    containers = gns3.engine.docker("ps", "-a", "--format", "{{.Image}}").stdout
    assert template["image"] not in containers.split(), containers  # the project took it
