import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

type Err = { error: { code: string; message: string } };

t.test('onboarding probes only where the backend policy allows, redirects included', async (t) => {
  // Sends the probe on to the cloud metadata address: Gerbang must not follow.
  const hop = await startBackend((_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await hop.stop();
  });
  const priv = await gw.admin('POST', '/v1/onboard', { url: 'http://10.20.30.40/' });
  t.equal(priv.status, 400);
  t.equal((priv.body as Err).error.code, 'TARGET_FORBIDDEN');
  t.match((priv.body as Err).error.message, /^\/url: 10\.20\.30\.40 is a loopback or private address/);
  const own = await gw.admin('POST', '/v1/onboard', { url: `http://127.0.0.1:${gw.gateway.ports.admin}/` });
  t.equal(own.status, 400);
  t.match((own.body as Err).error.message, /own listener/);
  const scheme = await gw.admin('POST', '/v1/onboard', { url: 'file:///etc/passwd' });
  t.equal((scheme.body as Err).error.code, 'VALIDATION_FAILED');

  const redirected = await gw.admin('POST', '/v1/onboard', { url: `${hop.origin}/` });
  t.equal(redirected.status, 200);
  const probe = (redirected.body as { probe: { error: string; status?: number; redirects: unknown[] } })
    .probe;
  t.match(
    probe.error,
    /^redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/ not followed: .*169\.254\.169\.254/,
  );
  t.equal(probe.status, undefined, 'nothing was fetched there');
  t.equal(probe.redirects.length, 1);
});
