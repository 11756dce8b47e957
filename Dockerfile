# procurve-emu as a lab node: a containerlab `kind: linux` node and a GNS3 Docker appliance.
#
#   docker build -t procurve-emu .
#
# The chassis is PID 1 (`procurve-emu run`): SIGTERM stops every module and exits 0, and the
# flash survives SIGKILL because every write to it is atomic. The console is the container's
# stdin/stdout (GNS3's telnet console, `docker attach`). The ENV block below is also
# emulator/container.py's CONTAINER_ENV (a test holds the two equal).
#
# BASE: any Debian-family image with python3 (>= 3.11) and its venv module; the tests build on
# one made with debootstrap where Docker Hub is out of reach (tests/e2e/docker_engine.py).
ARG BASE=python:3.11-slim
FROM ${BASE}

# ethtool: GRO off, segmentation offloads on, on AF_PACKET ports' veths; iproute2 and iputils-ping: in-band
# management's interfaces and the CLI's ping; procps (sysctl): `ip routing`; frr: the OSPF
# engine (zebra, ospfd, vtysh). Nothing of apt's lists or cache stays behind.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ethtool iproute2 iputils-ping procps frr \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin

# A venv: Debian's own python refuses a bare `pip install` (PEP 668).
COPY pyproject.toml README.md /usr/src/procurve-emu/
COPY emulator /usr/src/procurve-emu/emulator
COPY snmp /usr/src/procurve-emu/snmp
COPY ssh_server /usr/src/procurve-emu/ssh_server
RUN python3 -m venv /opt/procurve-emu \
    && /opt/procurve-emu/bin/pip install --no-cache-dir /usr/src/procurve-emu \
    && /opt/procurve-emu/bin/pip uninstall -y -q pip \
    && ln -s /opt/procurve-emu/bin/procurve-emu /usr/local/bin/procurve-emu \
    && rm -rf /usr/src/procurve-emu

# containerlab: eth0 is management (SSH 22, telnet 23, SNMP 161), eth1..N become A1, A2, ...
# once CLAB_INTFS of them exist. GNS3: set PROCURVE_MGMT_INTERFACE=none, every ethN is a port.
ENV PROCURVE_DATA_DIR=/flash \
    PROCURVE_LISTEN=0.0.0.0 \
    PROCURVE_SSH_PORT=22 \
    PROCURVE_TELNET_PORT=23 \
    PROCURVE_SNMP_PORT=161 \
    PROCURVE_AUTO_PORTS=1 \
    PROCURVE_MGMT_INTERFACE=eth0 \
    PROCURVE_MGMT_NETNS=self

VOLUME ["/flash"]
EXPOSE 22/tcp 23/tcp 161/udp
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=6s --start-period=10s --retries=3 \
    CMD ["procurve-emu", "health"]
ENTRYPOINT ["procurve-emu", "run"]
