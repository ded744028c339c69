import { VideoError } from '@motiondelta/core';
import type { Readable } from 'node:stream';

/** The first bytes of a stream, and whether the stream ended within them. */
export interface StreamPrefix {
  readonly chunks: readonly Buffer[];
  readonly bytes: number;
  readonly ended: boolean;
}

/**
 * Reads from `stream` until at least `limit` bytes have arrived or it ends, then pauses it
 * (without destroying it: it is piped on from where it stopped). The bytes read are handed to
 * ffprobe to learn the frame size, then written to ffmpeg ahead of the rest.
 *
 * @throws VideoError when the stream fails before `limit` bytes or its end
 *
 * @example
 * const { chunks, ended } = await readStreamPrefix(process.stdin, 1 << 20, 'stdin');
 */
export function readStreamPrefix(stream: Readable, limit: number, label: string): Promise<StreamPrefix> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const done = (ended: boolean): void => {
      cleanup();
      if (!ended) stream.pause();
      resolve({ chunks, bytes, ended });
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      bytes += buffer.length;
      if (bytes >= limit) done(false);
    };
    const onEnd = (): void => done(true);
    const onError = (error: Error): void => {
      cleanup();
      reject(new VideoError(`reading ${label} failed: ${error.message}`, { cause: error }));
    };
    if (stream.readableEnded) {
      resolve({ chunks, bytes, ended: true });
      return;
    }
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
