import t from 'tap';
import {
  DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES,
  DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES,
  DEFAULT_H2_MAX_CONCURRENT_STREAMS,
  DEFAULT_H2_MAX_HEADER_LIST_BYTES,
} from '../../src/config/defaults.js';
import { resolveHttp2Config } from '../../src/config/http2-config.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';

const host = 'dinkes.paserkab.go.id';

t.test(
  'the default SETTINGS are Envoy edge values: 100 streams, 64 KiB stream and 1 MiB connection windows',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('portal'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const session = await h2Session(gw.gateway.ports.https, host);
    t.teardown(() => closeSession(session));
    t.equal((await h2Request(session, host, '/')).status, 200);
    const settings = session.remoteSettings;
    t.equal(settings.maxConcurrentStreams, DEFAULT_H2_MAX_CONCURRENT_STREAMS);
    t.equal(DEFAULT_H2_MAX_CONCURRENT_STREAMS, 100);
    t.equal(settings.initialWindowSize, DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES);
    t.equal(DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES, 65_536);
    t.equal(settings.maxHeaderListSize, DEFAULT_H2_MAX_HEADER_LIST_BYTES);
    t.equal(settings.enablePush, false);
    // What the client may send on the connection before Gerbang reads: the connection window.
    t.equal(session.state.remoteWindowSize, DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES);
  },
);

t.test('configured limits are advertised, and a header list over the bound is refused', async (t) => {
  const backend = await startBackend((_req, res) => res.end('portal'));
  const gw = await startTestGateway({
    config: {
      http2: resolveHttp2Config({
        maxConcurrentStreams: 7,
        initialStreamWindowBytes: 131_072,
        initialConnectionWindowBytes: 4_194_304,
        maxHeaderListBytes: 4_096,
      }),
    },
  });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
  const session = await h2Session(gw.gateway.ports.https, host);
  t.teardown(() => closeSession(session));
  t.equal((await h2Request(session, host, '/')).status, 200);
  t.equal(session.remoteSettings.maxConcurrentStreams, 7);
  t.equal(session.remoteSettings.initialWindowSize, 131_072);
  t.equal(session.remoteSettings.maxHeaderListSize, 4_096);
  t.equal(session.state.remoteWindowSize, 4_194_304);

  const big = await h2Request(session, host, '/', { 'x-big': 'a'.repeat(8_000) }).then(
    (res) => res.status,
    (err: Error) => err.message,
  );
  t.match(String(big), /ENHANCE_YOUR_CALM|^431$/, `an oversized header list is refused (${big})`);
  t.equal(backend.seen.length, 1);
  const other = await h2Session(gw.gateway.ports.https, host);
  t.teardown(() => closeSession(other));
  t.equal((await h2Request(other, host, '/')).status, 200, 'and the listener still serves');
});
