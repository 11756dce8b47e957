"""getMIB / walkMIB / setMIB answer from the agent's MIB view in the switch's output form,
and napalm-procurve reads them."""

from __future__ import annotations

from emulator.commands import mib
from emulator.device import Device, LldpNeighbor
from snmp import ber


def test_values_in_the_switch_form() -> None:
    def shown(name: str, tag: int, data: object) -> str:
        oid = mib.resolve(name)
        assert oid is not None
        return mib.render(oid, tag, data)

    assert shown("ifSpeed.1", ber.GAUGE32, 1_000_000_000) == "1,000,000,000"
    assert shown("ifInOctets.1", ber.COUNTER32, 185_379_183) == "185,379,183"
    assert shown("ifMtu.1", ber.INTEGER, 1500) == "1500"  # napalm-procurve: int(ifMtu)
    assert shown("hpLocalMemAllocBytes.1", ber.INTEGER, 10_420_528) == "10,420,528"
    assert shown("ifLastChange.1", ber.TIMETICKS, 65 * 86_400 * 100 + 5) == "65 days"
    assert shown("ifLastChange.1", ber.TIMETICKS, 82 * 60 * 100) == "82 mins"
    assert shown("ifLastChange.1", ber.TIMETICKS, 5500) == "55 secs"
    assert shown("ifPhysAddress.1", ber.OCTET_STRING, bytes.fromhex("001708c8213f")) == \
        "00 17 08 c8 21 3f"
    assert shown("hpicfSensorObjectId.1", ber.OBJECT_ID,
                 (1, 3, 6, 1, 4, 1, 11, 2, 3, 7, 8, 3, 2)) == "icfFanSensor"


def test_resolve_names_and_numbers() -> None:
    assert mib.resolve("ifName.1") == (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 1)
    assert mib.resolve("IFNAME") == (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1)
    assert mib.resolve("1.3.6.1.2.1.1.5.0") == (1, 3, 6, 1, 2, 1, 1, 5, 0)
    assert mib.resolve("bogus.x") is None
    assert mib.label((1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 25)) == "ifDescr.25"


def test_lldp_description_for_napalm(device: Device) -> None:
    device.lldp_neighbors = [LldpNeighbor("A13", "001122334455", "7", "eth0", "peer",
                                          "A long system description")]
    oid = mib.resolve("lldpRemSysDesc.0.13.1")
    assert oid is not None
    assert mib.get_value(device, oid) == "A long system description"
