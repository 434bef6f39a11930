import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

/** The text of the element with this id (errors are one <p> each). */
function byId(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

t.test(
  'a refused host form answers 400, shows each API error beside its field and keeps every value',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    const blank = await browser.get('/konsol/hosts/new');
    t.equal(blank.status, 200, 'the new-host form');
    t.match(blank.text, /<label for="f-routes">/, 'the routes textarea is labelled');

    const routes = '- path: /portal\n  targets:\n    - http://\n';
    const typed = {
      host: 'dinkes.paserkab.go.id',
      routes,
      'maintenance.message': 'Sedang diperbarui <b>& dirawat</b>',
      'maintenance.until': 'besok pagi',
      'app.name': 'Portal Dinas Kesehatan',
      'app.category': 'kesehatan',
      'cache.maxObjectBytes': '1048576',
      hsts: 'custom',
      'hsts.maxAge': '600',
      access: 'allow: [10.0.0.0/8]\n',
    };
    const refused = await browser.post('/konsol/hosts', typed);
    t.equal(refused.status, 400, 'the API status');
    t.match(byId(refused.text, 'e-routes'), /\/routes\/0\/targets\/0: /, 'the target error beside routes');
    t.match(
      byId(refused.text, 'e-maintenance-until'),
      /\/maintenance\/until: .*date-time/,
      'the date error beside its input',
    );
    t.match(
      refused.text,
      /<textarea id="f-routes" name="routes"[^>]*aria-invalid="true" aria-describedby="e-routes" autofocus>/,
      'the first invalid field is tied to its error and gets the focus',
    );
    t.match(refused.text, /id="f-maintenance-until"[^>]*aria-describedby="e-maintenance-until"/);
    t.match(refused.text, /role="alert"/, 'a summary at the top');

    // Everything typed is back in its input, escaped.
    t.ok(refused.text.includes('- path: /portal\n  targets:\n    - http://\n</textarea>'), 'routes kept');
    t.match(refused.text, /name="host" value="dinkes\.paserkab\.go\.id"/);
    t.ok(
      refused.text.includes('Sedang diperbarui &#60;b&#62;&#38; dirawat&#60;/b&#62;</textarea>'),
      'message kept',
    );
    t.match(refused.text, /name="maintenance\.until" value="besok pagi"/);
    t.match(refused.text, /name="app\.name" value="Portal Dinas Kesehatan"/);
    t.match(refused.text, /name="app\.category" value="kesehatan"/);
    t.match(refused.text, /name="cache\.maxObjectBytes" value="1048576"/);
    t.match(refused.text, /<option value="custom" selected>/);
    t.match(refused.text, /name="hsts\.maxAge" value="600"/);
    t.ok(refused.text.includes('allow: [10.0.0.0/8]\n</textarea>'), 'access kept');
    t.equal((await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).status, 404, 'nothing stored');

    const syntax = await browser.post('/konsol/hosts', { ...typed, routes: '- path: [/\n' });
    t.equal(syntax.status, 400);
    t.match(byId(syntax.text, 'e-routes'), /\/routes: not valid YAML/, 'a YAML error beside its textarea');

    const english = await browser.post('/konsol/hosts?lang=en', typed);
    t.match(english.text, /Not saved: fix the marked fields/, 'in English with ?lang=en');
  },
);
