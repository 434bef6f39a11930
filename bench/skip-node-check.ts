/** `node --import` preload for BENCH_GERBANG_NODE: registers the hook that lets Gerbang start under an older major, for the runtime comparison only. */
import { register } from 'node:module';

register('./skip-node-check-hooks.js', import.meta.url);
