"""The MIB modules the agent serves, one module per MIB; `view()` indexes them all once per
process (the tables are data; their rows are read from the live switch per request)."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Final

from snmp.mib import MibView, Table

MODULES: Final = ("snmpv2", "if_mib", "entity", "bridge", "lldp", "hp_chassis", "hp_ha",
                   "snmpv3",
                   "bridge_stp",  # spanning tree
                   "hp_bridge",  # HP-ICF-BRIDGE: spanning-tree version, loop protection
                   "lag",  # IEEE8023-LAG-MIB: LACP trunks and ports
                   "ip_forward",  # IP routing
                   "ospf")  # OSPF


@cache
def view() -> MibView:
    tables: list[Table] = []
    for name in MODULES:
        tables.extend(import_module(f"{__name__}.{name}").TABLES)
    return MibView(tables)
