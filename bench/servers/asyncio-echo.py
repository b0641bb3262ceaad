#!/usr/bin/env python3
"""Reference echo server on Python's asyncio (standard library only), for bench/echo.ts.

An asyncio.Protocol (the fastest standard-library path, no streams layer): data_received writes the
bytes back; when the transport's write buffer passes its high-water mark, reading pauses until it
drains. asyncio sets TCP_NODELAY on TCP transports. Prints 'listening on 127.0.0.1:<port>' once it
accepts connections; exits 0 on SIGTERM/SIGINT.  Usage: python3 asyncio-echo.py [port]
"""
import asyncio
import signal
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)

    def eof_received(self):
        if self.transport.can_write_eof():
            self.transport.write_eof()
        return True

    def pause_writing(self):
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()


async def main(port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    server = await loop.create_server(Echo, '127.0.0.1', port, backlog=511)
    print(f'listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}', flush=True)
    await stop
    server.close()


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
