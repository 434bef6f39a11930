import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { handshake } from '../helpers/tls-client.js';

t.test(
  'the HTTPS listener speaks TLS 1.2 and 1.3 only, ALPN h2 or http/1.1, and counts handshakes by version',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const port = gw.gateway.ports.https;

    const v13 = await handshake(port, { servername: 'a.paserkab.go.id', ALPNProtocols: ['h2', 'http/1.1'] });
    t.equal(v13.protocol, 'TLSv1.3');
    // Issue 15: h2 is offered beside http/1.1 (this test said http/1.1 only before).
    t.equal(v13.alpn, 'h2', 'ALPN settles on h2 when the client offers it');
    const v12 = await handshake(port, { servername: 'a.paserkab.go.id', maxVersion: 'TLSv1.2' });
    t.equal(v12.protocol, 'TLSv1.2');
    await t.rejects(
      handshake(port, {
        servername: 'a.paserkab.go.id',
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
      'TLS 1.1 is refused',
    );

    const text = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    t.match(text, /gerbang_tls_handshakes_total\{version="TLSv1\.3"\} 1/);
    t.match(text, /gerbang_tls_handshakes_total\{version="TLSv1\.2"\} 1/);
  },
);
