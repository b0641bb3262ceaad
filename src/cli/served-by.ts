// The demo HTTP server under `serve --workers`: X-Served-By on `GET /` names the worker and the
// client it served (the address behind a PROXY header), so a person (and the HAProxy recipe test)
// can see the spread over workers and hosts, and whose address the server saw.
import type { Factory } from '../contract/index.js';
import { demoRouter, httpFactory } from '../protocols/apps/http-app.js';
import type { HttpServerOptions } from '../protocols/http/http-server.js';
import { addressText } from '../transports/address.js';

/**
 * `serve http`'s factory: outside a worker, the demo router once; in a worker, one per connection
 * with `X-Served-By: worker <id> (pid <pid>) for <client>`.
 */
export function demoHttpFactory(options: HttpServerOptions): Factory {
  const id = process.env['SWITCHBOARD_WORKER_ID'];
  if (id === undefined) return httpFactory(options);
  const label = `worker ${id} (pid ${process.pid})`;
  const refusal = httpFactory(options, demoRouter(label)).refusal;
  return {
    buildProtocol: (peer) => httpFactory(options, demoRouter(`${label} for ${addressText(peer)}`)).buildProtocol(peer),
    ...(refusal === undefined ? {} : { refusal }),
  };
}
