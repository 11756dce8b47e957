#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (including a Docker engine
# and debootstrap for the image's tests, and gns3-server for the appliance's), then runs ruff,
# mypy and the whole pytest suite, as CI does. Safe to run again: it installs only what is
# missing. The test toolchain's versions are pinned by constraints-test.txt.
#
#   ./scripts/test.sh [PYTEST ARGS...]         everything (what .ci/run runs)
#   ./scripts/test.sh --fast [PYTEST ARGS...]  ruff, mypy and the unit tests (-m "not e2e"):
#                                              no chassis processes, namespaces or containers
set -euo pipefail
cd "$(dirname "$0")/.."

select=()
fast=false
if [ "${1:-}" = "--fast" ]; then
  shift
  fast=true
  select=(-m "not e2e")
fi

need_debs=()
for pair in ssh:openssh-client sshpass:sshpass telnet:telnet snmpget:snmp snmptrapd:snmptrapd \
            iperf3:iperf3 ip:iproute2 ping:iputils-ping ethtool:ethtool sysctl:procps \
            nsenter:util-linux dockerd:docker.io debootstrap:debootstrap hrancid:rancid \
            ovs-vswitchd:openvswitch-switch /usr/lib/frr/ospfd:frr dhcpd:isc-dhcp-server \
            dhclient:isc-dhcp-client dhcrelay:isc-dhcp-relay busybox:busybox rsyslogd:rsyslog \
            chronyd:chrony freeradius:freeradius radtest:freeradius-utils in.tftpd:tftpd-hpa \
            tftp:tftp-hpa; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_debs+=("${pair#*:}")
done
if [ "${#need_debs[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # The protocol peers (Open vSwitch, FRR, chrony, rsyslog, FreeRADIUS, tftpd, ISC DHCP) are
  # daemons the tests start on their own sockets: their packages must not start host services
  # (chrony would set the host's clock), so invoke-rc.d is told no while they install.
  policy=/usr/sbin/policy-rc.d
  keep_policy=false; [ -e "$policy" ] && keep_policy=true
  $keep_policy || { printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null; $sudo chmod +x "$policy"; }
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_debs[@]}" >/dev/null
  $keep_policy || $sudo rm -f "$policy"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints-test.txt -e '.[test]'
# GNS3's server (tests/e2e/test_gns3.py) and its GUI's own appliance check (the registry
# schema v8 a .gns3a is validated with; tests/lab_topologies), in a venv of their own: their
# pinned dependencies must not move the test venv's. The GUI needs no Qt for that check.
$fast || .venv-gns3/bin/python -c 'import gns3server, gns3.registry.appliance' 2>/dev/null || {
  python3 -m venv .venv-gns3
  .venv-gns3/bin/python -m pip install -q 'gns3-server==3.0.6' 'gns3-gui==3.0.6'
}

.venv/bin/ruff check emulator snmp ssh_server tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q "${select[@]}" "$@"
