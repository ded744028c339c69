import { describe, expect, it } from 'vitest';
import { ProgramError, checkProgram, stepReads, stepWrites, tileRects, type Program, type Step, type TilesStep } from '../src/index.js';

describe('tileRects', () => {
  it('merges executed blocks into row runs, and equal runs of touching bands into one rectangle', () => {
    const spans: [number, number][] = [
      [0, 4],
      [4, 8],
      [8, 10],
    ];
    // 3x3 blocks: the left two columns of the top two rows, and the bottom-right block.
    const rects = tileRects(spans, spans, [1, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(rects).toEqual([
      { y0: 0, y1: 8, x0: 0, x1: 8 },
      { y0: 8, y1: 10, x0: 8, x1: 10 },
    ]);
  });

  it('covers a pixel shared by two blocks once, when either executes', () => {
    // A stride-2 map of 7-pixel blocks: output row 3 straddles both blocks.
    const rows: [number, number][] = [
      [0, 4],
      [3, 7],
    ];
    const cols: [number, number][] = [[0, 5]];
    expect(tileRects(rows, cols, [0, 1])).toEqual([{ y0: 3, y1: 7, x0: 0, x1: 5 }]);
    expect(tileRects(rows, cols, [1, 0])).toEqual([{ y0: 0, y1: 4, x0: 0, x1: 5 }]);
    expect(tileRects(rows, cols, [1, 1])).toEqual([{ y0: 0, y1: 7, x0: 0, x1: 5 }]);
    expect(tileRects(rows, cols, [0, 0])).toEqual([]);
  });

  it('gives disjoint rectangles whose union is exactly the executed blocks, on random grids', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const [h, w, b] = [5 + Math.floor(next() * 30), 5 + Math.floor(next() * 30), 2 + Math.floor(next() * 6)];
      const [rows, cols] = [Math.ceil(h / b), Math.ceil(w / b)];
      const spans = (n: number, size: number): [number, number][] =>
        Array.from({ length: n }, (_, i): [number, number] => [Math.max(0, i * b - 1), Math.min(size, (i + 1) * b + 1)]);
      const [rowSpans, colSpans] = [spans(rows, h), spans(cols, w)];
      const blocks = Array.from({ length: rows * cols }, () => (next() < 0.5 ? 1 : 0));
      const want = new Uint8Array(h * w);
      blocks.forEach((e, i) => {
        if (!e) return;
        const [r, c] = [Math.floor(i / cols), i % cols];
        for (let y = rowSpans[r]![0]; y < rowSpans[r]![1]; y++) for (let x = colSpans[c]![0]; x < colSpans[c]![1]; x++) want[y * w + x] = 1;
      });
      const got = new Uint8Array(h * w);
      for (const r of tileRects(rowSpans, colSpans, blocks))
        for (let y = r.y0; y < r.y1; y++)
          for (let x = r.x0; x < r.x1; x++) {
            expect(got[y * w + x], `pixel (${y}, ${x}) in two rectangles`).toBe(0);
            got[y * w + x] = 1;
          }
      expect(got).toEqual(want);
    }
  });
});

/** y = relu(x) kept as a persistent map: dense in the keyframe, tiles in frames. */
function blockProgram(tiles: Partial<TilesStep> = {}, blocksShape = [1, 2, 2, 1]): Program {
  const step: TilesStep = {
    kind: 'tiles',
    node: 'y',
    call: { op: 'Activation', attrs: { activation: { kind: 'relu' } } },
    inputs: [0],
    blocks: 1,
    rowSpans: [
      [0, 4],
      [4, 8],
    ],
    colSpans: [
      [0, 4],
      [4, 6],
    ],
    output: 2,
    ...tiles,
  };
  const keyframe: Step[] = [{ kind: 'dense', node: 'y', call: step.call, inputs: [0], output: 2 }];
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, 8, 6, 3], lifetime: 'input' },
      { name: '#blocks', kind: 'tensor', shape: blocksShape, lifetime: 'input' },
      { name: 'y', kind: 'tensor', shape: [1, 8, 6, 3], lifetime: 'stream' },
      { name: 'z', kind: 'tensor', shape: [1, 8, 6, 3], lifetime: 'frame' },
    ],
    inputs: [
      { name: 'x', value: 0 },
      { name: '#blocks', value: 1 },
    ],
    outputs: [{ name: 'y', value: 2 }],
    entries: { keyframe, frame: [step] },
  };
}

describe('tiles steps in checkProgram', () => {
  it('accepts a persistent map updated over a fitting block mask, and reads the map it keeps', () => {
    const program = blockProgram();
    expect(() => checkProgram(program)).not.toThrow();
    const step = program.entries.frame![0]!;
    expect(stepReads(step)).toEqual([0, 1, 2]);
    expect(stepWrites(step)).toEqual([2]);
  });

  it('refuses an output that is not kept between frames', () => {
    expect(() => checkProgram(blockProgram({ output: 3 }))).toThrow(ProgramError);
    expect(() => checkProgram(blockProgram({ output: 3 }))).toThrow(/output is 'z', a frame tensor; expected tensor of lifetime stream/);
  });

  it('refuses a block mask that is not a frame input or does not fit the spans', () => {
    expect(() => checkProgram(blockProgram({ blocks: 2 }))).toThrow(/blocks is 'y', a stream tensor; expected tensor of lifetime input/);
    expect(() => checkProgram(blockProgram({}, [1, 3, 2, 1]))).toThrow(
      /blocks '#blocks' is \[1,3,2,1\]; 2 row and 2 column spans need \[1,2,2,1\]/,
    );
  });

  it('refuses spans outside the map', () => {
    expect(() =>
      checkProgram(
        blockProgram({
          colSpans: [
            [0, 4],
            [4, 7],
          ],
        }),
      ),
    ).toThrow(/column span 1 \[4, 7\) is not within \[0, 6\]/);
  });
});
