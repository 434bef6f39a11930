/** Bench peer: the `http-proxy` npm package in a tiny node:http server, upstream connections kept alive, no logging. */
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';
import { serveForBench } from './script-server.js';

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error('BENCH_UPSTREAM (the backend URL) is required');

/** As many pooled upstream connections as the load has client connections, so none is opened per request. */
const UPSTREAM_SOCKETS = 64;

const agent = new Agent({ keepAlive: true, maxSockets: UPSTREAM_SOCKETS, maxFreeSockets: UPSTREAM_SOCKETS });
const proxy = httpProxy.createProxyServer({ target: upstream, agent });
proxy.on('error', (_err, _req, res) => {
  if (!res.headersSent) res.writeHead(502);
  res.end();
});

const server = createServer((req, res) => proxy.web(req, res));
serveForBench(server);
