import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server for tests: `url(name)` serves a file it was given, with byte ranges. */
export interface FileServer {
  url(name: string): string;
  /** Requests served so far (method, path, range), to see that ffmpeg really used HTTP. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * Serves `files` (name -> path) on 127.0.0.1 at a free port, with `Range` support as a real web
 * server has (ffmpeg seeks to an AVI's index at the end of the file). Anything else is a 404.
 *
 * @example
 * const server = await serveFiles({ 'clip.avi': '/data/vtest.avi' });
 * await openVideoSource(server.url('clip.avi'));
 */
export async function serveFiles(files: Readonly<Record<string, string>>): Promise<FileServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      requests.push(`${req.method} /${name} ${req.headers.range ?? ''}`.trim());
      const path = Object.hasOwn(files, name) ? files[name] : undefined;
      if (!path) {
        res.writeHead(404).end('not found');
        return;
      }
      const size = (await stat(path)).size;
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const first = range ? Number(range[1]) : 0;
      const last = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (first >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(range ? 206 : 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': last - first + 1,
        'Accept-Ranges': 'bytes',
        ...(range && { 'Content-Range': `bytes ${first}-${last}/${size}` }),
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(path, { start: first, end: last }).pipe(res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
