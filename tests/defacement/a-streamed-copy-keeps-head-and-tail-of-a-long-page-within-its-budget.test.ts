/** The copy a sampled response leaves for its check holds the page's first and last half-budget of bytes, never more, however long the page and however it is chunked. */
import t from 'tap';
import { BoundedCopy } from '../../src/data/defacement/bounded-copy.js';

const BUDGET = 64 * 1024;

t.test(
  'a 5 MiB page streamed in uneven chunks leaves exactly the budget: its head and its tail',
  async (t) => {
    const page = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < page.length; i++) page[i] = 97 + (i % 26);
    const copy = new BoundedCopy(BUDGET);
    const sizes = [1, 7, 1000, 16_384, 65_536, 100_000, 3];
    let kept = 0;
    for (let at = 0, n = 0; at < page.length; n++) {
      const size = Math.min(sizes[n % sizes.length] as number, page.length - at);
      copy.add(page.subarray(at, at + size));
      at += size;
      kept = Math.max(kept, copy.bytes().length);
    }
    t.equal(copy.total, page.length, 'every byte seen');
    t.ok(kept <= BUDGET, `never more than the budget kept (${kept})`);
    const bytes = copy.bytes();
    t.equal(bytes.length, BUDGET);
    t.ok(bytes.subarray(0, BUDGET / 2).equals(page.subarray(0, BUDGET / 2)), 'the head');
    t.ok(
      bytes.subarray(BUDGET / 2).equals(page.subarray(page.length - BUDGET / 2)),
      'the tail: where footers hide spam',
    );
  },
);

t.test('a short page is kept whole', async (t) => {
  const copy = new BoundedCopy(BUDGET);
  copy.add(Buffer.from('<html>'));
  copy.add(Buffer.from('<p>pendek</p></html>'));
  t.equal(copy.bytes().toString(), '<html><p>pendek</p></html>');
  t.equal(BoundedCopy.of(Buffer.from('utuh'), BUDGET).toString(), 'utuh');
});

t.test('a stored body is cut the same way', async (t) => {
  const body = Buffer.from(`${'a'.repeat(100_000)}${'z'.repeat(100_000)}`);
  const cut = BoundedCopy.of(body, BUDGET);
  t.equal(cut.length, BUDGET);
  t.equal(cut.subarray(0, BUDGET / 2).toString(), 'a'.repeat(BUDGET / 2));
  t.equal(cut.subarray(BUDGET / 2).toString(), 'z'.repeat(BUDGET / 2));
});
