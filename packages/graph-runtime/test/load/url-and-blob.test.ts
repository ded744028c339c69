import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { expectTyped, jsonBytes, tinyOnnx, tinyTfjs } from './helpers/tiny-models.js';

/** What the test server serves: path -> bytes, or a redirect target. */
type Route = Uint8Array | { readonly redirect: string };

/** A real HTTP server on 127.0.0.1 (fetch in Node is the same WHATWG fetch browsers have). */
async function serve(routes: Map<string, Route>): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    const route = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (route === undefined) {
      response.writeHead(404).end('not found');
    } else if (route instanceof Uint8Array) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': route.length }).end(route);
    } else {
      response.writeHead(302, { location: route.redirect }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The tiny TF.js model with its first shard path replaced, as the bytes of its model.json. */
function tfjsWithFirstPath(path: string): Uint8Array {
  const { json } = tinyTfjs();
  (json['weightsManifest'] as { paths: string[] }[])[0]!.paths[0] = path;
  return jsonBytes(json);
}

describe('loadModel from URLs, Files and Blobs', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, Route>();
  beforeAll(async () => {
    const { json, files } = tinyTfjs();
    routes.set('/models/tiny/model.json', jsonBytes(json));
    for (const [name, bytes] of files) routes.set(`/models/tiny/${name}`, bytes);
    routes.set('/models/tiny.onnx', tinyOnnx());
    // What an escaping shard would reach: bytes that decode as valid floats.
    routes.set('/secret.bin', new Uint8Array(new Float32Array(32).fill(7).buffer));
    routes.set('/models/escape/model.json', tfjsWithFirstPath('w.bin'));
    routes.set('/models/escape/w.bin', { redirect: '/secret.bin' });
    routes.set('/models/escape/group1-shard2of2.bin', files.get('group1-shard2of2.bin')!);
    routes.set('/models/dotdot/model.json', tfjsWithFirstPath('%2e%2e/secret.bin'));
    routes.set('/models/long/model.json', jsonBytes(json));
    routes.set('/models/long/group1-shard1of2.bin', new Uint8Array(1 << 20));
    routes.set('/models/long/group1-shard2of2.bin', files.get('group1-shard2of2.bin')!);
    ({ server, base } = await serve(routes));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads a TF.js model.json from an http URL, fetching its shards beside it, and an ONNX file', async () => {
    const tfjs = await loadModel(new URL('/models/tiny/model.json', base));
    expect(tfjs.inputs.map((i) => i.name)).toEqual(['x']);
    // The same model as bytes with the shards given by hand: the same fingerprint, so the same weights.
    const { files } = tinyTfjs();
    const fromBytes = await loadModel(routes.get('/models/tiny/model.json') as Uint8Array, {
      readWeightFile: (path) => Promise.resolve(files.get(path)!),
    });
    expect(tfjs.fingerprint).toBe(fromBytes.fingerprint);
    const onnx = await loadModel(new URL('/models/tiny.onnx', base));
    expect(onnx.inputs.length).toBe(1);
  });

  it('loads a File and a Blob like the bytes they hold', async () => {
    const bytes = tinyOnnx();
    const file = await loadModel(new File([bytes], 'tiny.onnx'));
    const blob = await loadModel(new Blob([bytes]));
    expect(file.fingerprint).toBe((await loadModel(bytes)).fingerprint);
    expect(blob.fingerprint).toBe(file.fingerprint);
    await expectTyped(
      loadModel(new File([routes.get('/models/tiny/model.json') as Uint8Array], 'model.json')),
      'ModelFormatError',
      'model.json',
      'readWeightFile',
    );
  });

  it('refuses a shard the server redirects out of the model folder, naming where it went', async () => {
    await expectTyped(
      loadModel(new URL('/models/escape/model.json', base)),
      'ModelFormatError',
      "'w.bin'",
      'redirected',
      '/secret.bin',
      'outside',
    );
  });

  it('refuses a percent-encoded .. shard path before fetching it', async () => {
    await expectTyped(loadModel(new URL('/models/dotdot/model.json', base)), 'ModelFormatError', "'..' segment");
  });

  it('refuses a shard longer than its group needs without reading all of it', async () => {
    await expectTyped(loadModel(new URL('/models/long/model.json', base)), 'ModelFormatError', 'more than the manifest');
  });

  it('refuses a missing model with the HTTP status, and a model over maxModelBytes before reading it', async () => {
    await expectTyped(loadModel(new URL('/models/none.onnx', base)), 'ModelFormatError', '404', '/models/none.onnx');
    await expectTyped(loadModel(new URL('/models/tiny.onnx', base), { maxModelBytes: 8 }), 'ResourceLimitError', 'tiny.onnx');
    await expectTyped(loadModel(new Blob([tinyOnnx()]), { maxModelBytes: 8 }), 'ResourceLimitError', '<blob>');
  });
});
