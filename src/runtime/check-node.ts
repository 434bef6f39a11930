/** Imported first by every entry point: the version check runs before any other module is evaluated. */
import { requireNodeMajor } from './require-node.js';

requireNodeMajor('gerbang');
