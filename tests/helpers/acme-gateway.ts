/** A test gateway with ACME pointed at a pebble started right after it (pebble needs the gateway's ports, the gateway the CA's URL). */
import type { AcmeTimingsConfig } from '../../src/config/schema.js';
import { freePort } from './free-port.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';

/** Fast scheduling for tests: look every 300 ms, poll the CA every 200 ms, back off from 1 s. */
export const FAST_ACME: Partial<AcmeTimingsConfig> = {
  checkIntervalMs: 300,
  pollMinMs: 200,
  pollMaxMs: 1_000,
  pollAttempts: 30,
  backoffMinMs: 1_000,
  backoffMaxMs: 8_000,
};

export async function startAcmeGateway(
  acmePort: number,
  options: TestGatewayOptions & { dnsHook?: string; timings?: Partial<AcmeTimingsConfig> } = {},
): Promise<TestGateway> {
  return startTestGateway({
    ...options,
    config: {
      ...options.config,
      acme: {
        directory: `https://127.0.0.1:${acmePort}/dir`,
        email: 'dkisp@paserkab.go.id',
        dnsHook: options.dnsHook,
        timings: { ...FAST_ACME, ...options.timings },
      },
    },
  });
}

export { freePort };
