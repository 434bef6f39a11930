/** Shared bits of the header-policy tests: a host's GET on both listeners (HTTPS with a certificate of a test CA, over HTTP/1.1 and h2). */
import type { TestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';
import { createTestCa } from '../helpers/test-ca.js';
import { type RawResponse, rawTargetGet } from './kit.js';

export interface Listener {
  name: 'http' | 'https' | 'h2';
  get(path: string, headers?: Record<string, string>): Promise<RawResponse>;
}

/** Uploads a certificate for `hosts` and returns a GET for each listener. */
export async function bothListeners(gw: TestGateway, hosts: string[]): Promise<Listener[]> {
  const ca = await createTestCa();
  for (const host of hosts) {
    const put = await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host]));
    if (put.status !== 201) throw new Error(`certificate for ${host}: ${put.status}`);
  }
  const [first = ''] = hosts;
  const forHost = (port: number, tls: boolean) => (path: string, headers?: Record<string, string>) => {
    const host = headers?.host ?? first;
    const rest = { ...headers };
    delete rest.host;
    return rawTargetGet(port, host, path, { headers: rest, ...(tls ? { ca: ca.certificate } : {}) });
  };
  const overH2 = async (path: string, headers?: Record<string, string>): Promise<RawResponse> => {
    const host = headers?.host ?? first;
    const rest = { ...headers };
    delete rest.host;
    const session = await h2Session(gw.gateway.ports.https, host, ca.certificate);
    try {
      return await h2Request(session, host, path, rest);
    } finally {
      await closeSession(session);
    }
  };
  return [
    { name: 'http', get: forHost(gw.gateway.ports.http, false) },
    { name: 'https', get: forHost(gw.gateway.ports.https, true) },
    { name: 'h2', get: overH2 },
  ];
}
