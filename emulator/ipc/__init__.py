"""The backplane's wires between the chassis, the fabric and the management modules:
`messages` declares every message the processes exchange, `wire` carries them (framing, fd
passing, encode/decode, dispatch by type). Standard library only, so that the chassis and
`procurve-emu status` stay cheap to start."""
