import { dispatchSize, MAX_GROUPS_PER_DIMENSION } from '../wgsl/elementwise-entry.js';
import { u32Literal as u } from '../wgsl/literals.js';
import type { KernelPlan } from './kernel-plan.js';

/**
 * Active tiles of a delta, found and listed on the device so that later kernels run only where
 * something changed, with no read by the host: a tile is TILE_PIXELS consecutive pixels (NHWC
 * order, so a run along a row), its flag the OR of their mask entries (a workgroup reduction),
 * and the active ones are appended to a list (`[count, tile, tile, ...]`) from which indirect
 * dispatch arguments are written.
 */
export const TILE_PIXELS = 64;

/** Tiles covering `pixels` pixels. */
export const tileCount = (pixels: number): number => Math.ceil(pixels / TILE_PIXELS);

/** Lists the active tiles of a mask: one workgroup per tile; `tiles[0]` must be 0 before it runs. */
export function compactTilesPlan(pixels: number): KernelPlan {
  const tiles = tileCount(pixels);
  const code = `
@group(0) @binding(0) var<storage, read> mask: array<f32>;
@group(0) @binding(1) var<storage, read_write> tiles: array<atomic<u32>>;
var<workgroup> tile_on: atomic<u32>;
@compute @workgroup_size(${TILE_PIXELS})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let tile = wg.x + wg.y * groups.x;
  if (lane == 0u) { atomicStore(&tile_on, 0u); }
  workgroupBarrier();
  let p = tile * ${u(TILE_PIXELS)} + lane;
  if (tile < ${u(tiles)} && p < ${u(pixels)}) {
    if (mask[p] != 0.0) { atomicStore(&tile_on, 1u); }
  }
  workgroupBarrier();
  if (lane == 0u && tile < ${u(tiles)} && atomicLoad(&tile_on) != 0u) {
    let k = atomicAdd(&tiles[0], 1u);
    atomicStore(&tiles[1u + k], tile);
  }
}
`;
  return { code, threads: tiles * TILE_PIXELS, inputs: [0], writes: 1 };
}

/** Writes the indirect dispatch arguments of a tiled kernel: one workgroup per listed tile (2-D past the per-dimension limit). */
export function tileArgsPlan(): KernelPlan {
  const code = `
@group(0) @binding(0) var<storage, read> tiles: array<u32>;
@group(0) @binding(1) var<storage, read_write> args: array<u32>;
@compute @workgroup_size(1)
fn main() {
  let n = tiles[0];
  args[0] = min(n, ${u(MAX_GROUPS_PER_DIMENSION)});
  args[1] = select(1u, (n + ${u(MAX_GROUPS_PER_DIMENSION - 1)}) / ${u(MAX_GROUPS_PER_DIMENSION)}, n > 0u);
  args[2] = select(0u, 1u, n > 0u);
}
`;
  return { code, threads: 1, inputs: [0], writes: 1 };
}

/**
 * Writes the indirect dispatch arguments of a kernel over all `threads` when any of `inputs`
 * delta has an active tile, and of an empty dispatch otherwise: a step none of whose inputs
 * changed is skipped without a read by the host.
 */
export function gateArgsPlan(inputs: number, threads: number): KernelPlan {
  const [x, y] = dispatchSize(threads);
  const reads = Array.from({ length: inputs }, (_, k) => `@group(0) @binding(${k}) var<storage, read> t${k}: array<u32>;`);
  const any = inputs === 0 ? 'false' : Array.from({ length: inputs }, (_, k) => `t${k}[0] > 0u`).join(' || ');
  const code = `
${reads.join('\n')}
@group(0) @binding(${inputs}) var<storage, read_write> args: array<u32>;
@compute @workgroup_size(1)
fn main() {
  let on = ${any};
  args[0] = select(0u, ${u(x)}, on);
  args[1] = ${u(y)};
  args[2] = select(0u, 1u, on);
}
`;
  return { code, threads: 1, inputs: Array.from({ length: inputs }, (_, k) => k), writes: 1 };
}

/**
 * The entry point of a kernel run over the listed tiles of a delta (binding `tiles`): declares `i`,
 * the pixel, from the workgroup's tile and the lane.
 */
export function tiledEntry(pixels: number, body: string): string {
  return `
@compute @workgroup_size(${TILE_PIXELS})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let slot = wg.x + wg.y * groups.x;
  if (slot >= tiles[0]) { return; }
  let i = tiles[1u + slot] * ${u(TILE_PIXELS)} + lane;
  if (i >= ${u(pixels)}) { return; }
${body}
}
`;
}
