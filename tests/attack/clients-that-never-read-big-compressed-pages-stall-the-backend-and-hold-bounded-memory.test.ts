import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { HOST, stalledPages } from './stalled-compressed-pages-kit.js';

const CLIENTS = attackSize(8, 50);

t.test(
  'clients asking br, gzip for big pages and never reading stall the backend with bounded memory, and free everything when they go',
  async (t) => {
    const pages = await stalledPages(t);
    const port = Number(new URL(pages.gw.url).port);
    const clients: Socket[] = [];
    t.teardown(() => {
      for (const c of clients) c.destroy();
    });
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.pause(); // keeps its socket open and never reads
      socket.write(`GET /laporan-${i}.html HTTP/1.1\r\nHost: ${HOST}\r\nAccept-Encoding: br, gzip\r\n\r\n`);
      clients.push(socket);
    }
    // The client's socket buffers fill too (compressed: about 0.6 of what they hold came from the backend).
    await pages.stalled(t, CLIENTS, { pulledMiB: 16, heldMiB: 0.75, slackMiB: 4 });
    for (const c of clients) c.destroy();
    await pages.released(t);
  },
);
