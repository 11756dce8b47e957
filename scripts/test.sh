#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine, then runs ruff, mypy
# and the whole pytest suite. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_debs=()
for pair in ssh:openssh-client sshpass:sshpass telnet:telnet snmpget:snmp snmptrapd:snmptrapd \
            iperf3:iperf3 ip:iproute2 ping:iputils-ping ethtool:ethtool sysctl:procps \
            nsenter:util-linux; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_debs+=("${pair#*:}")
done
if [ "${#need_debs[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check emulator snmp ssh_server tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
