// A small routing API for HTTP handlers: exact paths or patterns with named parameters
// (`/bytes/:n`), per method; another method on a known path is 405 with Allow, anything else 404.
import type { Protocol } from '../../transports/protocol.js';
import type { HttpRequest } from './request-parser.js';
import type { HttpResponse } from './response.js';
import { offersUpgrade } from './upgrade.js';

export type RouteHandler = (request: HttpRequest, response: HttpResponse, params: Readonly<Record<string, string>>) => void;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: RouteHandler;
}

export class Router {
  #routes: Route[] = [];

  /** Adds a route; `path` may hold `:name` segments. HEAD is served by GET routes without a body. */
  route(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  get(path: string, handler: RouteHandler): this {
    return this.route('GET', path, handler);
  }

  post(path: string, handler: RouteHandler): this {
    return this.route('POST', path, handler);
  }

  /**
   * A GET route that switches protocols (HTTP Upgrade, RFC 9110 7.8): a request offering `name`
   * (`Connection: Upgrade`, `Upgrade: name`) is answered 101 and its connection handed to
   * `build(request, params)`, bytes after the request first (HttpResponse.switchProtocols); a GET
   * without the offer gets 426 Upgrade Required naming `name`. An Upgrade sent to any other route
   * is ignored: that route answers as usual and the connection goes on as HTTP.
   */
  upgrade(path: string, name: string, build: (request: HttpRequest, params: Readonly<Record<string, string>>) => Protocol): this {
    return this.get(path, (request, response, params) => {
      if (offersUpgrade(request, name)) response.switchProtocols(name, build(request, params));
      else response.send(426, `This resource needs Upgrade: ${name}\n`, 'text/plain; charset=utf-8', { Upgrade: name, Connection: 'Upgrade' });
    });
  }

  handle(request: HttpRequest, response: HttpResponse): void {
    const path = request.target.split('?', 1)[0] ?? '/';
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
      if (route.method !== request.method && !(route.method === 'GET' && request.method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? '');
      });
      route.handler(request, response, params);
      return;
    }
    if (allowed.size > 0) response.send(405, 'Method Not Allowed\n', 'text/plain; charset=utf-8', { Allow: [...allowed].sort().join(', ') });
    else response.send(404, 'Not Found\n');
  }
}
