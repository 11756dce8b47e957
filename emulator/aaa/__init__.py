"""The switch's AAA clients: RADIUS (RFC 2865/2866), TACACS+ (RFC 8907), and the login chain
that asks them as `aaa authentication` says, with the fallback to local passwords."""
