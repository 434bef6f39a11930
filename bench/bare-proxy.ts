/** Bench baseline: a bare @fastify/http-proxy app with one static upstream and no logger, as lean as fastify proxying gets. */
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error('BENCH_UPSTREAM (the backend URL) is required');

const app = Fastify({ logger: false });
await app.register(proxy, { upstream });
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) });
process.send?.({ ready: true, port: Number(new URL(address).port) });

process.on('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
