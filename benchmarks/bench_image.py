"""The image as a lab node costs it: build time, size, `docker run` to healthy, and the memory
(PSS, shared pages split among their users) of each running switch container.

Runs in the test suite's own Docker engine (tests/e2e/docker_engine.py: own dockerd, the
debootstrap base image where Docker Hub is out of reach). Run as root from the repository:

    .venv/bin/python -m benchmarks.bench_image [--nodes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from tests.e2e.docker_engine import BASE_IMAGE, IMAGE, Engine, running_engine

HEALTHY_DEADLINE = 120.0


def pss_kib(pid: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def container_pss(engine: Engine, name: str) -> int:
    """KiB of PSS over every process of the container (chassis, fabric, both modules)."""
    pids = engine.docker("top", name, "-eo", "pid").stdout.split()[1:]
    return sum(pss_kib(pid) for pid in pids)


def run_to_healthy(engine: Engine, name: str) -> float:
    started = time.monotonic()
    engine.docker("run", "-d", "--privileged", "--name", name, "-e", "PROCURVE_AUTO_PORTS=0",
                  IMAGE)
    while True:
        state = engine.docker("inspect", "-f", "{{.State.Health.Status}}", name).stdout.strip()
        if state == "healthy":
            return time.monotonic() - started
        if time.monotonic() - started > HEALTHY_DEADLINE:
            raise RuntimeError(f"{name} not healthy after {HEALTHY_DEADLINE} s: {state}")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=2)
    args = parser.parse_args()
    with running_engine() as engine:
        engine.ensure_base()
        engine.docker("rmi", "-f", IMAGE, check=False)
        build = engine.build()
        size = int(engine.docker("image", "inspect", "-f", "{{.Size}}", IMAGE).stdout)
        base = int(engine.docker("image", "inspect", "-f", "{{.Size}}", BASE_IMAGE).stdout)
        names = [f"bench-{os.getpid()}-{n}" for n in range(args.nodes)]
        try:
            healthy = [run_to_healthy(engine, name) for name in names]
            time.sleep(5)  # past the first LLDP and health-check rounds
            pss = [container_pss(engine, name) for name in names]
        finally:
            for name in names:
                engine.docker("rm", "-f", name, check=False)
    print(json.dumps({
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
        "build_s": round(build, 1), "image_mb": round(size / 1e6), "base_mb": round(base / 1e6),
        "run_to_healthy_s": [round(h, 1) for h in healthy],
        "pss_mib_per_container": [round(p / 1024, 1) for p in pss],
    }, indent=2))


if __name__ == "__main__":
    main()
