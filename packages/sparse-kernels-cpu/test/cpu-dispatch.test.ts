import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { defaultAddonPath, loadAddon } from '../src/load-addon.js';
import type { CpuFeatures, NativeAddon } from '../src/native-addon.js';

/**
 * One binary for any x86-64 (issue 12): the addon is built for the x86-64 baseline, its AVX2 + FMA
 * kernels (*_avx2.cc, namespace md::avx2) are chosen at load from what the CPU supports, and
 * MD_CPU_ISA lowers that choice. These tests check the choice, the variable's validation (in child
 * processes, since it is read once per load), and, by disassembling the addon, that no AVX
 * instruction lies outside md::avx2, where the kernel table keeps CPUs without AVX2 from going.
 * Where qemu-user is installed, the addon also runs on an emulated CPU without AVX (the build of
 * -march=x86-64-v3 died there with SIGILL). conformance-baseline.test.ts runs the conformance
 * suite on the baseline path.
 */

const load = loadAddon<NativeAddon>();
const describeNative = load.ok ? describe : process.env['CI'] ? describe : describe.skip;
const addonPath = defaultAddonPath();

/** cpuFeatures() of the addon loaded in a fresh Node process with MD_CPU_ISA = `value` (unset for undefined). */
function featuresInChild(value: string | undefined): { ok: true; features: CpuFeatures } | { ok: false; error: string } {
  const env = { ...process.env };
  delete env['MD_CPU_ISA'];
  if (value !== undefined) env['MD_CPU_ISA'] = value;
  const script = `try { process.stdout.write(JSON.stringify({ ok: true, features: require(${JSON.stringify(addonPath)}).cpuFeatures() })); }
    catch (e) { process.stdout.write(JSON.stringify({ ok: false, error: e.constructor.name + ': ' + e.message })); }`;
  const child = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`child exited with ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout) as ReturnType<typeof featuresInChild>;
}

describeNative(`CPU dispatch${load.ok ? '' : ` (skipped: ${!load.ok ? load.reason : ''})`}`, () => {
  const addon = (): NativeAddon => {
    if (!load.ok) throw new Error(load.reason);
    return load.addon;
  };
  const temp = mkdtempSync(join(tmpdir(), 'md-cpu-dispatch-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('cpuFeatures() reports the path chosen at load: the best the CPU has unless MD_CPU_ISA lowered it', async () => {
    const f = addon().cpuFeatures();
    expect(['avx2-fma', 'baseline']).toContain(f.isa);
    expect(f.best).toBe(f.features.avx2 && f.features.fma ? 'avx2-fma' : 'baseline');
    for (const key of ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'] as const) expect(typeof f.features[key]).toBe('boolean');
    const requested = process.env['MD_CPU_ISA'];
    if (requested === undefined || requested === '' || requested === 'auto') {
      expect(f).toMatchObject({ isa: f.best, forced: false });
    } else {
      expect(f).toMatchObject({ isa: requested === 'avx2' ? 'avx2-fma' : 'baseline', forced: true });
    }
    const backend = await createCpuNativeBackend({ threads: 2 });
    expect(backend.cpuFeatures).toEqual(f);
  });

  it('MD_CPU_ISA=baseline / avx2 / auto select a path at load; an unknown value, or a path the CPU lacks, makes the load fail naming the variable', () => {
    const best = addon().cpuFeatures().best;
    expect(featuresInChild(undefined)).toMatchObject({ ok: true, features: { isa: best, best, forced: false } });
    expect(featuresInChild('')).toMatchObject({ ok: true, features: { isa: best, forced: false } });
    expect(featuresInChild('auto')).toMatchObject({ ok: true, features: { isa: best, forced: false } });
    expect(featuresInChild('baseline')).toMatchObject({ ok: true, features: { isa: 'baseline', best, forced: true } });
    if (best === 'avx2-fma') {
      expect(featuresInChild('avx2')).toMatchObject({ ok: true, features: { isa: 'avx2-fma', forced: true } });
    } else {
      expect(featuresInChild('avx2')).toMatchObject({
        ok: false,
        error: expect.stringMatching(/RangeError: MD_CPU_ISA=avx2 is not accepted: this CPU lacks AVX2 or FMA/),
      });
    }
    for (const bad of ['avx512', 'AVX2', 'sse2', ' baseline']) {
      expect(featuresInChild(bad)).toEqual({
        ok: false,
        error: `RangeError: MD_CPU_ISA=${bad} is not accepted; use "baseline" (x86-64 SSE2 kernels), "avx2" (AVX2 + FMA kernels), "auto" or leave it unset`,
      });
    }
  });

  it('the AVX2 accumulate-and-truncate kernels (delta activations, binary ops) compute the same bits as the baseline path', () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'truncation-hash.cjs');
    const run = (isa: string): { isa: string; hash: string; emitted: number } => {
      const child = spawnSync(process.execPath, [script, addonPath], {
        env: { ...process.env, MD_CPU_ISA: isa },
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (child.status !== 0) throw new Error(`child exited with ${child.status}: ${child.stderr}`);
      return JSON.parse(child.stdout) as { isa: string; hash: string; emitted: number };
    };
    const baseline = run('baseline');
    expect(baseline.isa).toBe('baseline');
    expect(baseline.emitted).toBeGreaterThan(0);
    if (addon().cpuFeatures().best !== 'avx2-fma') return;
    expect(run('avx2')).toEqual({ ...baseline, isa: 'avx2-fma' });
  });

  it('through the loader, an invalid MD_CPU_ISA makes cpu-native unavailable with the reason instead of being ignored', () => {
    // A copy of the file is a separate library instance, so its Init reads the variable again.
    const copy = join(temp, 'motiondelta_cpu_copy.node');
    copyFileSync(addonPath, copy);
    const saved = process.env['MD_CPU_ISA'];
    process.env['MD_CPU_ISA'] = 'fastest';
    try {
      const result = loadAddon(copy);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^not built: .* does not load \(MD_CPU_ISA=fastest is not accepted; use "baseline"/);
    } finally {
      if (saved === undefined) delete process.env['MD_CPU_ISA'];
      else process.env['MD_CPU_ISA'] = saved;
    }
  });
});

/** Functions of the addon (mangled names) and how many AVX instructions each has. */
function avxInstructionsPerFunction(path: string): Map<string, number> | string {
  const dump = spawnSync('objdump', ['-d', '--no-show-raw-insn', path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (dump.error || dump.status !== 0) return `objdump is not available (${dump.error?.message ?? dump.stderr})`;
  const counts = new Map<string, number>();
  let fn = '';
  for (const line of dump.stdout.split('\n')) {
    const header = /^[0-9a-f]+ <(.+)>:$/.exec(line);
    if (header) {
      fn = header[1]!;
      counts.set(fn, 0);
      continue;
    }
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    const insn = line.slice(tab + 1).trim();
    // VEX/EVEX-encoded instructions (every AVX, AVX2, FMA, AVX-512 mnemonic starts with v; no
    // instruction a compiler emits for x86-64 baseline code does), or a ymm/zmm register.
    if (/^v[a-z]/.test(insn) || /%[yz]mm\d/.test(insn)) counts.set(fn, (counts.get(fn) ?? 0) + 1);
  }
  return counts;
}

// md::avx2::..., including its anonymous namespace, templates, const members and local entities,
// and GCC's clones of them (.constprop.0, .isra.0, .part.0).
const AVX2_NAMESPACE = /^_ZZ?NK?2md4avx2/;

const elf = load.ok && process.arch === 'x64' ? avxInstructionsPerFunction(addonPath) : 'the addon is not built, or this is not x86-64';
describe(`the addon's machine code${typeof elf === 'string' ? ` (skipped: ${elf})` : ''}`, () => {
  it.skipIf(typeof elf === 'string')('has AVX instructions (ymm registers, vfmadd, any VEX encoding) only in md::avx2 functions', () => {
    const counts = elf as Map<string, number>;
    const outside = [...counts].filter(([name, n]) => n > 0 && !AVX2_NAMESPACE.test(name)).map(([name, n]) => `${name} (${n})`);
    expect(outside).toEqual([]);
    // The scan does see the AVX2 kernels: the packed GEMM and both depthwise loops.
    const avx2 = [...counts].filter(([name, n]) => n > 0 && AVX2_NAMESPACE.test(name)).map(([name]) => name);
    for (const kernel of ['RowGroups', 'DepthwiseRow', 'DeltaDepthwise']) expect(avx2.some((name) => name.includes(kernel))).toBe(true);
    // And their baseline twins exist, free of AVX.
    const baseline = [...counts].filter(([name]) => /^_ZZ?NK?2md8baseline/.test(name));
    expect(baseline.some(([name]) => name.includes('DepthwiseRow'))).toBe(true);
  });
});

/** Why the addon cannot be run on an emulated CPU without AVX here, or undefined when it can. */
function noQemu(): string | undefined {
  if (!load.ok) return 'the addon is not built';
  if (process.arch !== 'x64') return 'this is not x86-64';
  const probe = spawnSync('qemu-x86_64', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    // Setup installs it; under CI a missing emulator is a failure, not a reason to skip.
    if (process.env['CI']) throw new Error('qemu-x86_64 is not installed (Debian package qemu-user); scripts/setup.sh installs it');
    return 'qemu-x86_64 is not installed (Debian package qemu-user)';
  }
  return undefined;
}

const qemuMissing = noQemu();
describe(`the addon on a CPU without AVX${qemuMissing ? ` (skipped: ${qemuMissing})` : ''}`, () => {
  it.skipIf(qemuMissing !== undefined)(
    'loads on the baseline path under qemu -cpu Nehalem and computes convolutions without an illegal instruction',
    () => {
      const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'no-avx-smoke.cjs');
      const env = { ...process.env };
      delete env['MD_CPU_ISA'];
      const run = (extra: Record<string, string>) =>
        spawnSync('qemu-x86_64', ['-cpu', 'Nehalem', process.execPath, script, addonPath], {
          env: { ...env, ...extra },
          encoding: 'utf8',
          timeout: 100_000,
        });
      const child = run({});
      expect({
        status: child.status,
        signal: child.signal,
        stderr: child.stderr
          .split('\n')
          .filter((l) => !l.startsWith('qemu-x86_64: warning'))
          .join('\n')
          .trim(),
      }).toEqual({
        status: 0,
        signal: null,
        stderr: '',
      });
      const [features, ok] = child.stdout.trim().split('\n');
      expect(JSON.parse(features!)).toMatchObject({
        isa: 'baseline',
        best: 'baseline',
        forced: false,
        features: { avx: false, avx2: false, fma: false },
      });
      expect(ok).toBe('OK');
      // Asking for AVX2 there is refused at load, naming the variable.
      const forced = run({ MD_CPU_ISA: 'avx2' });
      expect(forced.status).not.toBe(0);
      expect(forced.stderr).toMatch(/MD_CPU_ISA=avx2 is not accepted: this CPU lacks AVX2 or FMA/);
    },
  );
});
