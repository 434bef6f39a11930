import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'a misspelt field is reported by its name first, not as the missing field it was meant to be',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const res = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path: '/', tagets: ['http://127.0.0.1:9'] }],
    });
    t.equal(res.status, 400);
    const error = (
      res.body as { error: { code: string; message: string; details: { fields: Array<{ path: string }> } } }
    ).error;
    t.equal(error.code, 'VALIDATION_FAILED');
    t.match(error.message, /\/routes\/0\/tagets: unknown field/);
    t.equal(error.details.fields[0]?.path, '/routes/0/tagets');
    t.ok(
      error.details.fields.some((f) => f.path === '/routes/0/targets'),
      'the missing field is still listed after it',
    );
  },
);
