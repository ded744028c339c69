import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The four folders of libonnx-testdata that hold backend tests (`real` needs downloads; not shipped). */
export const SUITES = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'] as const;
export type Suite = (typeof SUITES)[number];

/** One backend test: a model and its first data set. */
export interface BackendTestCase {
  readonly suite: Suite;
  /** The test folder's name, such as `test_conv_with_strides_padding`. */
  readonly name: string;
  readonly dir: string;
}

/** The files of one test, read into memory. */
export interface BackendTestFiles {
  readonly model: Uint8Array;
  /** `input_<i>.pb` in index order: the graph's non-initializer inputs, in declaration order. */
  readonly inputs: readonly Uint8Array[];
  /** `output_<i>.pb` in index order: the graph's outputs. */
  readonly outputs: readonly Uint8Array[];
}

/**
 * Lists every test under the corpus root (the `onnx-backend-tests` data item's folder), suite by
 * suite, names sorted, so tables and test ids are stable.
 *
 * @example
 * const cases = await listBackendTests((await ensureData('onnx-backend-tests')).dir);
 */
export async function listBackendTests(root: string): Promise<BackendTestCase[]> {
  const cases: BackendTestCase[] = [];
  for (const suite of SUITES) {
    const names = (await readdir(join(root, suite), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    for (const name of names) cases.push({ suite, name, dir: join(root, suite, name) });
  }
  return cases;
}

/** Files named `<prefix><i>.pb` in a data-set folder, in index order (input_10 after input_9). */
async function numbered(dir: string, prefix: string, entries: readonly string[]): Promise<Uint8Array[]> {
  const pattern = new RegExp(`^${prefix}(\\d+)\\.pb$`);
  const indexed = entries
    .map((file) => ({ file, index: Number(pattern.exec(file)?.[1] ?? Number.NaN) }))
    .filter((entry) => Number.isInteger(entry.index))
    .sort((a, b) => a.index - b.index);
  return Promise.all(indexed.map((entry) => readFile(join(dir, entry.file))));
}

/** Reads a test's model and its `test_data_set_0`. */
export async function readBackendTest(test: BackendTestCase): Promise<BackendTestFiles> {
  const dataDir = join(test.dir, 'test_data_set_0');
  const entries = await readdir(dataDir);
  return {
    model: await readFile(join(test.dir, 'model.onnx')),
    inputs: await numbered(dataDir, 'input_', entries),
    outputs: await numbered(dataDir, 'output_', entries),
  };
}
