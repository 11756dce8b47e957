# procurve-emu as a lab node: a containerlab `kind: linux` node and a GNS3 Docker appliance.
#
#   docker build -t procurve-emu .
#
# The chassis is PID 1 (`procurve-emu run`): SIGTERM stops every module and exits 0, and the
# flash survives SIGKILL because every write to it is atomic. The console is the container's
# stdin/stdout (GNS3's telnet console, `docker attach`). The ENV block below is also
# emulator/container.py's CONTAINER_ENV (a test holds the two equal).
FROM python:3.11-slim

# ethtool: veth offloads off on AF_PACKET ports; iproute2 and iputils-ping: in-band
# management's interfaces and the CLI's ping.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ethtool iproute2 iputils-ping \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /usr/src/procurve-emu
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY snmp ./snmp
COPY ssh_server ./ssh_server
RUN pip install --no-cache-dir . && cd / && rm -rf /usr/src/procurve-emu
WORKDIR /

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
