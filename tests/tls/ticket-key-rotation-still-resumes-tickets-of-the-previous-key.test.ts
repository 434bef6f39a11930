import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { resume } from '../helpers/tls-resumption.js';
import { waitFor } from '../helpers/wait-for.js';

const ROTATION_MS = 2_000;

t.test(
  'after a rotation a ticket of the previous key still resumes (and gets a ticket under the new key); after two it does not',
  async (t) => {
    const gw = await startTestGateway({ config: { tls: { ticketKeyRotationMs: ROTATION_MS } } });
    t.teardown(() => gw.stop());
    const keeper = gw.gateway.ticketKeys;
    const port = gw.gateway.ports.https;
    /** The current key once it is no longer `from` (a rotation happened). */
    const rotated = (from: Buffer | undefined): Promise<Buffer> =>
      waitFor(
        'a ticket key rotation',
        () => {
          const current = keeper.keys?.current;
          return current !== undefined && (from === undefined || !current.equals(from)) ? current : undefined;
        },
        ROTATION_MS * 4,
        20,
      );
    const key0 = await rotated(undefined);

    const first = await resume(port);
    t.equal(first.reused, false, 'a full handshake first');
    t.equal(
      first.ticketKeyName,
      key0.subarray(0, 16).toString('hex'),
      'its ticket is sealed with the shared key',
    );

    const key1 = await rotated(key0);
    t.same(keeper.keys?.previous, key0, 'the key before the rotation is kept as the previous one');
    const again = await resume(port, first.session);
    t.equal(again.reused, true, "the previous key's ticket still resumes after the rotation");
    t.equal(
      again.ticketKeyName,
      key1.subarray(0, 16).toString('hex'),
      'and is replaced by a ticket under the new key',
    );
    const fresh = await resume(port);
    t.equal(
      fresh.ticketKeyName,
      key1.subarray(0, 16).toString('hex'),
      'new sessions get tickets under the new key',
    );

    await rotated(key1);
    const late = await resume(port, first.session);
    t.equal(late.reused, false, 'two rotations later the old ticket no longer resumes');
    const renewed = await resume(port, again.session);
    t.equal(renewed.reused, true, 'while the ticket it was renewed with does');
  },
);
