"""The chassis process (`procurve-emu run`): `start` runs it, `backplane` holds the slots,
sockets and redundancy (election, grants, fencing), `child` supervises one slot's process,
`console` relays the serial console, `control` answers `procurve-emu status` and `fault`."""
