/** The compressing sink: a zlib Transform between the upstream body and the client, with backpressure both ways and one lifetime for the three of them. */
import type { Readable, Transform, Writable } from 'node:stream';
import type { CompressionMeter } from './compression-meter.js';
import { createEncoder, type Levels } from './encoders.js';
import type { Encoding } from './negotiate.js';

export interface EncodeInto {
  out: Writable;
  encoding: Encoding;
  levels: Levels;
  /** The announced length of the body, if any. */
  sizeHint: number | undefined;
  /** Counts the bytes; its compressor slot (taken by the caller) is given back when the encoder closes. */
  meter: CompressionMeter | undefined;
  host: string;
  /** The client's request: a pipelined response queued behind another has no socket, and only its request tells that the client left. */
  request: Readable;
}

/**
 * Returns the encoder to write the body into (it keeps the BodySink contract: write / 'drain' / end / destroy).
 * The client (`out`) paces the encoder through pipe(); the encoder's own buffer paces the upstream through
 * write()'s false and 'drain'. A client that leaves destroys the encoder, so its native memory goes at once;
 * an encoder destroyed (the upstream failed or stalled past the idle timeout) cuts the client's response.
 */
export function encodeInto(o: EncodeInto): Transform {
  const { out, encoding, meter, host } = o;
  const encoder = createEncoder(encoding, o.levels, o.sizeHint);
  let sent = 0;
  let counted = false;
  const count = (): void => {
    if (counted) return;
    counted = true;
    if (meter === undefined) return;
    const s = meter.slots(host, encoding);
    s.stream.inc();
    s.input.inc(encoder.bytesWritten);
    s.output.inc(sent);
  };
  encoder.on('data', (chunk: Buffer) => {
    sent += chunk.length;
  });
  encoder.once('end', count);
  encoder.once('error', () => {
    if (!out.destroyed) out.destroy();
  });
  encoder.once('close', () => {
    count();
    meter?.releaseStream();
    if (!encoder.readableEnded && !out.destroyed) out.destroy();
  });
  const leave = (): void => {
    if (!encoder.destroyed && !encoder.readableEnded) encoder.destroy();
  };
  out.once('close', leave);
  if ((out as { socket?: unknown }).socket === null) o.request.once('close', leave);
  encoder.pipe(out);
  return encoder;
}
