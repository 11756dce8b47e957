"""Liveness benchmark: the heaviest requests a user can send, timed against a `--timing lab`
chassis, with the module pids checked after each (a switchover would change them).

    python benchmarks/bench_liveness.py [--out benchmarks/results/liveness.md]

The chassis is the largest this product builds: 12 slots of 24 ports and a startup config of
256 VLANs, each tagged on every port with an address (2,400 lines), every port named, and a
neighbour on A1 (a UDP tunnel port) that floods frames from `--macs` source addresses, so the
address table holds that many entries (the bridge learns at most 65,536). The SNMP requests
are crafted with the agent's own BER codec (what no net-snmp tool sends: 1,500 var-binds in
one GETNEXT); the CLI commands go over SSH (netmiko), as an operator types them.
Not a test: figures go to a results file with the machine, date and command.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from emulator.hardware import SLOTS  # noqa: E402
from emulator.testing import ChassisFactory, RunningChassis  # noqa: E402
from snmp import ber  # noqa: E402

IF_HC_IN_OCTETS = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
FLOOD_PORT = "A1"
CLI_COMMANDS = ("walkmib 1", "show running-config", "show config", "show vlans",
                "show interfaces", "show interfaces brief", "show mac-address",
                "show lldp info remote-device", "show log", "show ip")
ANSWER_TIMEOUT = 10.0


def big_config() -> str:
    """Every port named, 256 VLANs (the switch's maximum) tagged on every port."""
    ports = ",".join(f"{slot}1-{slot}24" for slot in SLOTS)
    lines = ['hostname "BIG"', *(f"module {slot} type j8702a" for slot in SLOTS),
             'snmp-server community "public" unrestricted']
    for slot in SLOTS:
        for number in range(1, 25):
            lines += [f"interface {slot}{number}",
                      f'   name "{slot}{number}-uplink-to-the-distribution-layer"', "   exit"]
    lines += ["vlan 1", '   name "DEFAULT_VLAN"', f"   untagged {ports}",
              "   ip address dhcp-bootp", "   exit"]
    for vid in range(2, 257):
        lines += [f"vlan {vid}", f'   name "vlan-{vid}"', f"   tagged {ports}",
                  f"   ip address 10.{vid // 256}.{vid % 256}.1 255.255.255.0", "   exit"]
    return "\n".join(lines) + "\n"


def flood(sock: socket.socket, count: int) -> None:
    """One broadcast frame from each of `count` source MACs (locally administered)."""
    for number in range(count):
        source = (0x020000000000 + number).to_bytes(6, "big")
        sock.send(b"\xff" * 6 + source + b"\x08\x00" + bytes(46))
        if number % 32 == 31:
            time.sleep(0.001)  # the fabric's socket buffer, not a race


def mac_count(chassis: RunningChassis) -> int:
    conn = chassis.netmiko()
    try:
        return sum(1 for line in str(conn.send_command("show mac-address", read_timeout=60))
                   .splitlines() if line.strip().startswith("02"))
    finally:
        conn.disconnect()


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ask(port: int, version: int, pdu: ber.Pdu) -> tuple[float, str]:
    """Seconds to the answer, and what it was (var-binds, or the error)."""
    request = ber.encode_message(ber.Message(version, b"public", pdu))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(ANSWER_TIMEOUT)
        start = time.perf_counter()
        sock.sendto(request, ("127.0.0.1", port))
        try:
            reply = ber.decode_message(sock.recv(65535)).pdu
        except TimeoutError:
            return time.perf_counter() - start, "no answer"
        took = time.perf_counter() - start
    what = "tooBig" if reply.error_status == ber.TOO_BIG else \
        f"{len(reply.varbinds)} var-binds, error-status {reply.error_status}"
    return took, f"{what}; request {len(request)} octets"


def snmp_cases(port: int) -> dict[str, Callable[[], tuple[float, str]]]:
    null = ber.Value(ber.NULL)
    hc = [(IF_HC_IN_OCTETS, null)] * 1500
    columns = [((*IF_ENTRY, 1 + n % 22), null) for n in range(50)]
    largest = [(IF_HC_IN_OCTETS, null)] * 4000
    return {
        "v1 GETNEXT, 1,500 x ifHCInOctets (Counter64)": lambda: ask(
            port, ber.V1, ber.Pdu(ber.GETNEXT, 1, 0, 0, hc)),
        "v1 GETNEXT, 4,000 x ifHCInOctets (64 KB datagram)": lambda: ask(
            port, ber.V1, ber.Pdu(ber.GETNEXT, 2, 0, 0, largest)),
        "v2c GETNEXT, 1,500 x ifHCInOctets": lambda: ask(
            port, ber.V2C, ber.Pdu(ber.GETNEXT, 3, 0, 0, hc)),
        "v2c GET, 4,000 x ifHCInOctets": lambda: ask(
            port, ber.V2C, ber.Pdu(ber.GET, 4, 0, 0, largest)),
        "v2c GETBULK, 50 var-binds x max-repetitions 10,000": lambda: ask(
            port, ber.V2C, ber.Pdu(ber.GETBULK, 5, 0, 10_000, columns)),
    }


def cli_case(chassis: RunningChassis, conn: object, command: str) -> tuple[float, str]:
    start = time.perf_counter()
    output = str(conn.send_command(command, read_timeout=60))  # type: ignore[attr-defined]
    return time.perf_counter() - start, f"{len(output.splitlines())} lines"


def pids(chassis: RunningChassis) -> dict[str, int]:
    return {m["slot"]: m["pid"] for m in chassis.status()["modules"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--macs", type=int, default=65536)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-liveness-") as tmp:
        data = Path(tmp) / "chassis"
        data.mkdir()
        (data / "chassis.json").write_text(
            '{{"modules": {{{}}}}}'.format(", ".join(f'"{s}": "J8702A"' for s in SLOTS)))
        config = Path(tmp) / "big.cfg"
        config.write_text(big_config())
        factory = ChassisFactory(Path(tmp))
        neighbour = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        neighbour.bind(("127.0.0.1", 0))
        fabric_port = free_udp_port()
        neighbour.connect(("127.0.0.1", fabric_port))
        try:
            chassis = factory.start(
                "--timing", "lab", "--startup-config", str(config), "--port",
                f"{FLOOD_PORT}=udp:{fabric_port}:127.0.0.1:{neighbour.getsockname()[1]}",
                data_dir=data)
            chassis.wait_roles({"MM1": "active", "MM2": "standby"}, 60)
            before = pids(chassis)
            started = time.perf_counter()
            flood(neighbour, args.macs)
            learned = mac_count(chassis)
            print(f"flooded {args.macs} MACs, {learned} learned, "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            cases = snmp_cases(chassis.snmp_port)
            conn = chassis.netmiko()
            for command in CLI_COMMANDS:
                cases[f"CLI `{command}` (SSH)"] = \
                    lambda command=command: cli_case(chassis, conn, command)  # type: ignore[misc]
            for name, run in cases.items():
                times, what = [], ""
                for _ in range(args.repeat):
                    took, what = run()
                    times.append(took)
                same = pids(chassis) == before
                rows.append(f"| {name} | {max(times):.3f} | {min(times):.3f} | {what} | "
                            f"{'yes' if same else 'NO'} |")
                print(rows[-1], flush=True)
            conn.disconnect()  # type: ignore[attr-defined]
        finally:
            failures = factory.stop_all()
            neighbour.close()
    for failure in failures:
        print(failure, file=sys.stderr)
    header = [
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"Command: python {shlex.join(sys.argv)}",
        "",
        f"Chassis: --timing lab, 12 slots x 24 ports, 256 VLANs tagged on every port, "
        f"{learned} MACs learned from a flood of {args.macs}; "
        f"each case {args.repeat} times in a row.",
        "",
        "| request | worst s | best s | answer | module pids unchanged |",
        "|---|---|---|---|---|",
    ]
    text = "\n".join([*header, *rows]) + "\n"
    if args.out is not None:
        args.out.write_text(text)
    print(text)
    return 1 if failures or any(row.endswith("NO |") for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
