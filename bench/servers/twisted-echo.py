#!/usr/bin/env python3
"""Reference echo server on Twisted (Debian python3-twisted), for bench/echo.ts; used only when
`import twisted` works. Writes are buffered by Twisted (no producer); the C client's bounded window
keeps that buffer bounded. Prints 'listening on 127.0.0.1:<port>'; SIGTERM/SIGINT stop the reactor (Twisted's default).
Usage: python3 twisted-echo.py [port]
"""
import sys

from twisted.internet import protocol, reactor


class Echo(protocol.Protocol):
    def connectionMade(self):
        self.transport.setTcpNoDelay(True)

    def dataReceived(self, data):
        self.transport.write(data)


class Factory(protocol.Factory):
    protocol = Echo


port = reactor.listenTCP(int(sys.argv[1]) if len(sys.argv) > 1 else 0, Factory(), backlog=511, interface='127.0.0.1')
print(f'listening on 127.0.0.1:{port.getHost().port}', flush=True)
reactor.run()
