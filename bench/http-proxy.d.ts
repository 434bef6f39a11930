/** The part of the `http-proxy` npm package's API the bench peer uses (it ships no types of its own). */
declare module 'http-proxy' {
  import type { Agent, IncomingMessage, ServerResponse } from 'node:http';

  interface ServerOptions {
    target: string;
    agent?: Agent;
    xfwd?: boolean;
  }

  interface ProxyServer {
    web(req: IncomingMessage, res: ServerResponse): void;
    on(event: 'error', listener: (err: Error, req: IncomingMessage, res: ServerResponse) => void): this;
  }

  function createProxyServer(options: ServerOptions): ProxyServer;

  const httpProxy: { createProxyServer: typeof createProxyServer };
  export = httpProxy;
}
