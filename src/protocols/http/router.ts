// A small routing API for HTTP handlers: exact paths or patterns with named parameters
// (`/bytes/:n`), per method; another method on a known path is 405 with Allow, anything else 404.
import type { Protocol } from '../../contract/index.js';
import type { HttpRequest } from './request-parser.js';
import type { HttpResponse } from './response.js';
import { offersUpgrade } from './upgrade.js';

/**
 * Answers one request through `response`, synchronously or later. `params` holds the route's
 * `:name` segments, percent-decoded. A throw before the head is sent becomes a 500; after it, the
 * connection is aborted.
 */
export type RouteHandler = (request: HttpRequest, response: HttpResponse, params: Readonly<Record<string, string>>) => void;

interface Route {
  readonly method: string;
  /** The path itself when it has no `:name` segment (matched by a lookup, not the pattern). */
  readonly exactPath: string | undefined;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: RouteHandler;
  /** Its place among the routes: the first that matches wins. */
  readonly index: number;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Maps method and path to a RouteHandler (a tiny Express-style router, without middleware). Paths
 * are matched without the query string; the first route added that matches wins. Another method on a
 * known path gets 405 with `Allow`, an unknown path 404. Give it to httpFactory() or HttpServerProtocol.
 */
export class Router {
  #routes: Route[] = [];
  /**
   * The first exact route per method and path (GET's also under HEAD): found without a regex, and
   * without a `METHOD path` string made per request.
   */
  readonly #exact = new Map<string, Map<string, Route>>();
  /** The routes with parameters, in order: only those before an exact match can take precedence. */
  #patterned: Route[] = [];

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
    const upper = method.toUpperCase();
    const route: Route = { method: upper, exactPath: names.length === 0 ? path : undefined, pattern: new RegExp(`^${source}$`), names, handler, index: this.#routes.length };
    this.#routes.push(route);
    if (route.exactPath === undefined) {
      this.#patterned.push(route);
    } else {
      for (const each of upper === 'GET' ? ['GET', 'HEAD'] : [upper]) {
        let paths = this.#exact.get(each);
        if (paths === undefined) {
          paths = new Map();
          this.#exact.set(each, paths);
        }
        if (!paths.has(path)) paths.set(path, route);
      }
    }
    return this;
  }

  /** Adds a GET route (which also serves HEAD, without the body); route('GET', path, handler). */
  get(path: string, handler: RouteHandler): this {
    return this.route('GET', path, handler);
  }

  /** Adds a POST route; route('POST', path, handler). */
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

  /** A route with parameters added before `exact` matches `path` too (a loop: this runs per request). */
  #isShadowed(exact: Route, path: string): boolean {
    for (const route of this.#patterned) {
      if (route.index > exact.index) return false;
      if (route.pattern.test(path)) return true;
    }
    return false;
  }

  /** Calls the handler of the first matching route, or answers 405 or 404 itself: what the server calls per request. */
  handle(request: HttpRequest, response: HttpResponse): void {
    const query = request.target.indexOf('?');
    const path = query < 0 ? request.target : request.target.slice(0, query);
    const exact = this.#exact.get(request.method)?.get(path);
    // An exact route wins unless a route with parameters added before it matches too.
    if (exact !== undefined && !this.#isShadowed(exact, path)) {
      exact.handler(request, response, NO_PARAMS);
      return;
    }
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
      if (route.method !== request.method && !(route.method === 'GET' && request.method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(match[i + 1] ?? '');
        });
      } catch (error) {
        // A malformed %-escape is the client's mistake (RFC 3986 2.1): 400, not the 500 of a handler bug.
        if (!(error instanceof URIError)) throw error;
        response.sendError(400, 'Malformed percent-encoding in the path');
        return;
      }
      route.handler(request, response, params);
      return;
    }
    if (allowed.size > 0) response.send(405, 'Method Not Allowed\n', 'text/plain; charset=utf-8', { Allow: [...allowed].sort().join(', ') });
    else response.send(404, 'Not Found\n');
  }
}
