import { describe, expect, it } from 'vitest';
import { planDelta } from '../../src/delta/delta-plan.js';
import { DIN, EXT, SLOT_OUT, planFrameBuffers } from '../../src/motion/frame-buffer-plan.js';
import { planMotion } from '../../src/motion/motion-plan.js';
import { planGraph } from '../../src/shape/plan-graph.js';
import { smallConvNet } from '../helpers/build-graph.js';

describe('planFrameBuffers', () => {
  // smallConvNet on 12x10: x -> c1 (3x3 conv, store, ring 1) -> n1 (BatchNorm) -> r1 (relu) ->
  // i1 (Identity) -> d1 (depthwise 3x3, store, ring 1) -> y = d1 + i1 (store).
  const graph = smallConvNet(1);
  const plan = planMotion(graph, planDelta(graph, planGraph(graph, { x: [1, 12, 10, 3] }), { node: 0, input: 0, perNode: {} }));
  const layout = planFrameBuffers(plan);
  const bufferOf = (name: string): number | undefined => layout.places.get(name)!.buffer;

  it('puts step temporaries on two slabs sized for the largest of each side', () => {
    expect(layout.places.get(`c1${EXT}`)).toEqual({ shape: [1, 14, 12, 4], slab: 0 });
    expect(layout.places.get(`d1${EXT}`)).toEqual({ shape: [1, 14, 12, 4], slab: 0 });
    expect(layout.places.get(`y${EXT}`)).toEqual({ shape: [1, 12, 10, 4], slab: 0 });
    expect(layout.places.get(`r1${DIN}`)).toEqual({ shape: [1, 12, 10, 4], slab: 0 });
    expect(layout.places.get(`r1${SLOT_OUT}`)).toEqual({ shape: [1, 12, 10, 4], slab: 1 });
    // Slab 0: the ringed kernel outputs (14x12 pixels, 4 channels); slab 1: the relu's slot output.
    expect(layout.slabs).toEqual([
      { values: 14 * 12 * 4, pixels: 14 * 12 },
      { values: 12 * 10 * 4, pixels: 12 * 10 },
    ]);
  });

  it('reuses a freed buffer of equal shape once its last reader has run', () => {
    expect(layout.buffers).toEqual([
      { shape: [1, 12, 10, 3], first: 'x' },
      { shape: [1, 12, 10, 4], first: 'c1' },
      { shape: [1, 12, 10, 4], first: 'n1' },
      { shape: [1, 12, 10, 4], first: 'y' },
    ]);
    expect(bufferOf('x')).toBe(0);
    // c1 is last read by n1, so r1 takes its buffer; n1's last reader is r1, so i1 takes n1's;
    // r1's is i1, so d1 takes it. y reads d1 and i1 in its own step, so it needs a new one.
    expect([bufferOf('c1'), bufferOf('r1'), bufferOf('d1')]).toEqual([1, 1, 1]);
    expect([bufferOf('n1'), bufferOf('i1')]).toEqual([2, 2]);
    expect(bufferOf('y')).toBe(3);
    // Every value of the plan has a place, and a buffer of its own shape.
    for (const v of plan.values.values()) {
      const place = layout.places.get(v.name)!;
      expect(place.shape).toEqual(v.shape);
      expect(layout.buffers[place.buffer!]!.shape).toEqual(v.shape);
    }
  });
});
