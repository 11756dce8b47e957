"""Real configurations from the corpus (tests/data/configs) on a real chassis: booted from
`--startup-config`, each refused line reported by its number, the accepted statements in
`show running-config`, and the same config after `write memory`, a restart and a switchover."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any, Final

import pytest

from emulator.config.render import render_config
from tests.emulator.replaying import replay_text
from tests.emulator.test_real_configs import CORPUS, PASSWORD, inventory, statements

pytestmark = pytest.mark.e2e

CONFIGS: Final = ("forum-5406zl-k1508", "hpeimc-3500yl-k1601", "config2tftp-2620-ra1601",
                  "openflow-2920-wb1514", "hpeimc-5400r-sflow-kb1601")
"""A K.15 5406zl chassis config, a K.16 3500yl one and an RA.16 2620 one adapted to the
8212zl: between them modules, routing, DHCP relay, OSPF, credentials and system settings the
switch does not take yet, and VLANs, names and SNMP it does; then the nested OpenFlow block
and `no lldp run` (2920), sFlow and v2 zl modules (5400R). (The 2920 DHCP-snooping config
is left out: its `ip authorized-managers` lines admit no manager from the test's address.)"""

REFUSED_LINE: Final = re.compile(r"startup-config line (\d+): ")
HARNESS_PASSWORD: Final = ('password manager user-name "manager" '
                           f'sha1 "{hashlib.sha1(b"manager").hexdigest()}"')
"""A config with include-credentials brings its own accounts (those on flash are erased), so
the published line's anonymised hash becomes the test's manager/manager for netmiko."""


def _config(chassis: Any, command: str) -> Counter[str]:
    """The statements of `show running-config` or `show config` (their title line dropped)."""
    text = chassis.show(command)
    return statements(text[text.index(";"):])


@pytest.mark.parametrize("name", CONFIGS)
def test_real_config_survives_write_memory_restart_and_switchover(chassis_factory: Any,
                                                                 name: str,
                                                                 tmp_path: Path) -> None:
    text = (CORPUS / f"{name}.cfg").read_text().replace(PASSWORD, HARNESS_PASSWORD)
    replayed = replay_text(text, inventory(text))
    startup = tmp_path / f"{name}.cfg"
    startup.write_text(text)
    chassis = chassis_factory.start("--startup-config", str(startup))
    reported = {int(number) for number in REFUSED_LINE.findall(chassis.stderr())}
    assert reported == {error.lineno for error in replayed.errors}

    running = _config(chassis, "show running-config")
    # the passwords the test chassis is given so that netmiko logs in
    harness = Counter({"password manager": 1, "password operator": 1})
    assert running - harness == statements(render_config(replayed.config)) - harness
    conn = chassis.netmiko()
    try:
        conn.save_config()
    finally:
        conn.disconnect()
    assert _config(chassis, "show config") == running

    chassis = chassis_factory.restart(chassis)
    assert _config(chassis, "show running-config") == running
    chassis.switchover()
    assert _config(chassis, "show running-config") == running
