"""The management transports of the emulated switch: SSH, telnet and the serial console.

Each one turns its wire protocol into an `emulator.cli.channel.Channel` and hands it to the
CLI's session handler, so the CLI never deals with sockets, SSH channels or IAC bytes. The
chassis process binds the listening sockets itself and passes them in, which lets the active
management module change without the ports ever closing.
"""
