import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';
import { expectReadmeOutput, readmeExample } from './readme-example-code.js';

const root = join(import.meta.dirname, '..', '..');

describe('README', () => {
  it('library example runs as written and prints what its comments say', async () => {
    // Written inside the repository so that Node resolves the workspace packages from it.
    const dir = join(root, 'tests', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.mjs');
    writeFileSync(file, readmeExample());
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: root });
    expectReadmeOutput(stdout);
  });
});
