"""A lab node for the lab zygote's tests: reports on stdout (the node's log) what it was
given, as one JSON line, then exits with the status its argument names, or with `stay` stays
until killed."""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    report = {
        "pid": os.getpid(), "sid": os.getsid(0), "argv": sys.argv,
        "netns": os.stat("/proc/self/ns/net").st_ino,
        "interfaces": sorted(os.listdir("/sys/class/net")),
        "env": os.environ.get("LAB_ZYGOTE_TEST"),
        "preloaded": [name for name in ("emulator.device", "emulator.commands.vlan",
                                         "ssh_server.ssh", "snmp.agent")
                      if name in sys.modules],
        "pytest": "pytest" in sys.modules,
        "table_built": "emulator.commands" in sys.modules
        and sys.modules["emulator.commands"].command_table.cache_info().currsize == 1,
    }
    print(json.dumps(report), flush=True)
    if argv[0] == "stay":
        time.sleep(600)
    return int(argv[0])
