import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test(
  '/konsol/onboard: an address the backend policy forbids is refused beside the url field, unprobed',
  async (t) => {
    const gw = await startTestGateway();
    const member = new KonsolClient(gw.adminUrl);
    t.teardown(async () => {
      await member.close();
      await gw.stop();
    });
    await seedUsers(gw);
    await member.login('budi', MEMBER_PASSWORD);
    const form = await member.get('/konsol/onboard');
    t.equal(form.status, 200);
    t.match(form.text, '<label for="f-url">Alamat portal sekarang</label>');
    t.notMatch(form.text, 'name="agency"', 'a member onboards for their own agency');

    // The admin listener itself: the same refusal POST /v1/onboard gives (400 TARGET_FORBIDDEN).
    const api = await gw.admin('POST', '/v1/onboard', { url: `${gw.adminUrl}/` });
    t.equal((api.body as { error: { code: string } }).error.code, 'TARGET_FORBIDDEN');
    const refused = await member.post('/konsol/onboard', { url: `${gw.adminUrl}/` });
    t.equal(refused.status, 400);
    t.match(
      refused.text,
      /<input id="f-url" name="url" value="[^"]*" aria-invalid="true" aria-describedby="err-url"/,
    );
    t.match(
      refused.text,
      /<p class="error" id="err-url">TARGET_FORBIDDEN: \/url: /,
      'the API’s message, beside the field',
    );
    t.notMatch(refused.text, 'data-probe', 'nothing was probed');
  },
);
