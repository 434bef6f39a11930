/** The raw front's request and reply: Node's own objects behind the few members the proxied path reads (routing/exchange.ts), without fastify's per-request setup. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayReply, GatewayRequest, ListenerServices } from '../routing/exchange.js';
import type { RequestContext } from '../routing/request-context.js';

type OwnHeaders = Record<string, string | number | string[] | undefined>;

const CHARSET_PARAMETER = /;\s*charset=/i;

/** As fastify's send does: a JSON media type without a charset is sent as UTF-8, saying so. */
function withJsonCharset(type: string): string {
  const semicolon = type.indexOf(';');
  const media = semicolon < 0 ? type : type.slice(0, semicolon);
  return media.includes('json') && !CHARSET_PARAMETER.test(type) ? `${type.trimEnd()}; charset=utf-8` : type;
}

export class RawRequest implements GatewayRequest {
  readonly headers: IncomingHttpHeaders;
  /** The front takes only requests without a body. */
  readonly body: undefined = undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly id: string,
    public gerbang: RequestContext,
  ) {
    this.headers = raw.headers;
  }
}

export class RawReply implements GatewayReply {
  statusCode = 200;
  #own: OwnHeaders = {};
  #hijacked = false;

  constructor(
    readonly raw: ServerResponse,
    readonly request: RawRequest,
    readonly server: ListenerServices,
  ) {}

  get sent(): boolean {
    return this.#hijacked || this.raw.writableEnded;
  }

  code(status: number): this {
    this.statusCode = status;
    return this;
  }

  header(name: string, value: string | number | readonly string[]): this {
    this.#own[name.toLowerCase()] = typeof value === 'object' ? [...value] : value;
    return this;
  }

  getHeaders(): OwnHeaders {
    return this.#own;
  }

  type(contentType: string): this {
    return this.header('content-type', contentType);
  }

  send(payload?: string | Buffer | Record<string, unknown>): this {
    if (this.sent) return this;
    const own = this.#own;
    let body: string | Buffer = '';
    if (Buffer.isBuffer(payload)) {
      body = payload;
      own['content-type'] ??= 'application/octet-stream';
    } else if (payload !== undefined) {
      const type = own['content-type'];
      const isObject = typeof payload !== 'string';
      body = isObject ? JSON.stringify(payload) : payload;
      if (type === undefined)
        own['content-type'] = isObject ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
      else if (typeof type === 'string') own['content-type'] = withJsonCharset(type);
    }
    own['content-length'] = Buffer.byteLength(body);
    this.#hijacked = true;
    // Node leaves the body out for a HEAD and for statuses that have none.
    this.raw.writeHead(this.statusCode, own);
    this.raw.end(body);
    return this;
  }

  hijack(): this {
    this.#hijacked = true;
    return this;
  }
}
