import { InputError, OptionError } from '@motiondelta/core';
import { checkInputFile, readInputText } from '../input-file.js';

const ACCEPTED =
  'a JSON array with one homography per video frame (entry i is frame i of the file), each a 3x3 row-major matrix ' +
  "from that frame's pixels (x right, y down) to world pixels: 9 finite numbers, flat [h00,h01,...,h22] or nested " +
  '[[h00,h01,h02],[h10,h11,h12],[h20,h21,h22]], invertible, with h22 != 0';

/**
 * What `--align` takes, for messages about a path that is not a usable file (it may be a
 * misspelt keyword).
 */
const ALIGN_HINT = `it is neither 'estimate' nor 'none', so it must be a file: give 'estimate' (homographies from the frames), 'none' (static camera) or a file holding ${ACCEPTED}`;

/**
 * Reads `--align <file>`: one frame-to-world homography per video frame, in the video's own
 * pixels (before the crop and resize to the model's input). Entries `first..first+count-1` must
 * exist and be valid; the others are not looked at beyond being present.
 *
 * @throws OptionError when the file is missing, not a regular file, not a JSON array, or has too few entries;
 * InputError naming the frame when one of the needed homographies is malformed or degenerate.
 *
 * @example
 * ```ts
 * // homographies.json: [[1,0,0,0,1,0,0,0,1], [1,0,4,0,1,0,0,0,1], ...]
 * const hs = await readHomographyFile('homographies.json', 0, 2); // [[1,0,0,...], [1,0,4,...]]
 * ```
 */
export async function readHomographyFile(path: string, first: number, count: number): Promise<number[][]> {
  return parseHomographies(await readInputText(path, '--align', { hint: ALIGN_HINT }), path, first, count);
}

/**
 * Checks `--align <file>` before the model loads: a readable regular file of sane size.
 *
 * @throws OptionError naming the problem and what `--align` accepts
 * @example
 * await checkHomographyFile('homographies.json');
 */
export async function checkHomographyFile(path: string): Promise<void> {
  await checkInputFile(path, '--align', { hint: ALIGN_HINT });
}

/** The parsing half of {@link readHomographyFile}, for text already in memory. */
export function parseHomographies(text: string, source: string, first: number, count: number): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new OptionError(`--align file '${source}' is not valid JSON (${(error as Error).message}); expected ${ACCEPTED}.`);
  }
  if (!Array.isArray(data)) {
    throw new OptionError(`--align file '${source}' holds ${describe(data)}, not an array; expected ${ACCEPTED}.`);
  }
  const last = first + count - 1;
  if (data.length <= last) {
    throw new OptionError(
      `--align file '${source}' has ${data.length} homographies (frames 0..${data.length - 1}), but frames ${first}..${last} are run; ` +
        `it needs at least ${last + 1} entries: ${ACCEPTED}.`,
    );
  }
  const out: number[][] = [];
  for (let i = first; i <= last; i++) out.push(checkEntry(data[i], i, source));
  return out;
}

/** One entry, flattened, checked and normalised to h22 = 1. */
function checkEntry(entry: unknown, frame: number, source: string): number[] {
  const where = `--align file '${source}', frame ${frame}`;
  const flat = flatten(entry);
  if (flat === undefined) throw new InputError(`${where}: the homography is ${describe(entry)}; expected ${ACCEPTED}.`);
  for (let k = 0; k < 9; k++) {
    const v = flat[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(
        `${where}: entry ${k} (row ${Math.floor(k / 3)}, column ${k % 3}) is ${JSON.stringify(v) ?? String(v)}, not a finite number; expected ${ACCEPTED}.`,
      );
    }
  }
  const m = flat as number[];
  const h22 = m[8]!;
  if (h22 === 0) throw new InputError(`${where}: h22 is 0 (a point at infinity); expected ${ACCEPTED}.`);
  const n = m.map((v) => v / h22);
  const det = determinant(n);
  // Relative to the linear part's size, so a matrix in large pixel units is not flagged.
  const size = Math.max(Math.abs(n[0]!), Math.abs(n[1]!), Math.abs(n[3]!), Math.abs(n[4]!), 1e-300);
  if (!(Math.abs(det) > 1e-9 * size * size)) {
    throw new InputError(
      `${where}: the homography is singular (determinant ${det.toPrecision(3)}), so frame pixels cannot be mapped back; expected ${ACCEPTED}.`,
    );
  }
  return n;
}

function flatten(entry: unknown): unknown[] | undefined {
  if (!Array.isArray(entry)) return undefined;
  if (entry.length === 9) return entry;
  if (entry.length === 3 && entry.every((row) => Array.isArray(row) && row.length === 3)) return (entry as unknown[][]).flat();
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} entries`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Determinant of a row-major 3x3. */
export function determinant(m: readonly number[]): number {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}
