/** The request and reply the proxied path works on: the part of fastify's it uses, so the raw front's own pair (proxy/raw-exchange.ts) takes the same path. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CompressionMeter } from '../compression/compression-meter.js';
import type { DefacementWatch } from '../defacement/defacement-watch.js';
import type { PageSettings } from '../pages/page-onward.js';
import type { RequestContext } from './request-context.js';

export interface GatewayRequest {
  readonly raw: IncomingMessage;
  /** The request id (request-id.ts): the client's when acceptable, else a new one. */
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  /** The client's body stream; undefined for a request without one. */
  readonly body: unknown;
  gerbang: RequestContext;
}

/** What a listener shares with every reply on it (fastify: decorations of the instance). */
export interface ListenerServices {
  gerbangPages?: PageSettings | undefined;
  gerbangCompression?: CompressionMeter | undefined;
  gerbangDefacement?: DefacementWatch | undefined;
}

export interface GatewayReply {
  readonly raw: ServerResponse;
  readonly request: GatewayRequest;
  readonly server: ListenerServices;
  /** The answer is on its way (sent, or the raw response taken over). */
  readonly sent: boolean;
  readonly statusCode: number;
  code(status: number): this;
  header(name: string, value: string | number | readonly string[]): this;
  getHeaders(): Record<string, string | number | string[] | undefined>;
  type(contentType: string): this;
  /** A whole body: a string or Buffer as it is, an object as JSON. */
  send(payload?: string | Buffer | Record<string, unknown>): this;
  /** The caller writes the raw response itself from now on. */
  hijack(): this;
}
