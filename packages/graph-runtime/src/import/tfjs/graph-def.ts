import { ModelFormatError, UnsupportedOpError } from '@motiondelta/core';
import { isRecord } from './model-json.js';

/** One attribute value of a TensorFlow NodeDef, in the JSON form tfjs-converter writes. */
export interface TfAttrValue {
  readonly s?: string;
  readonly i?: string | number;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: string;
  readonly shape?: { readonly dim?: readonly { readonly size?: string | number }[]; readonly unknownRank?: boolean };
  readonly list?: { readonly s?: readonly string[]; readonly i?: readonly (string | number)[]; readonly f?: readonly number[] };
  readonly tensor?: { readonly dtype?: string; readonly tensorShape?: { readonly dim?: readonly { readonly size?: string | number }[] } };
}

/** A NodeDef with control inputs dropped (they order side effects, which inference has none of). */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly attr: Readonly<Record<string, TfAttrValue>>;
}

/** Validates `modelTopology.node` of a graph model. */
export function parseGraphDef(topology: Record<string, unknown>, location: string): TfNode[] {
  const nodes = topology['node'];
  if (!Array.isArray(nodes)) throw new ModelFormatError(`${location}: graph model topology has no 'node' array.`);
  const library = topology['library'];
  if (isRecord(library) && Array.isArray(library['function']) && library['function'].length > 0) {
    throw new UnsupportedOpError('FunctionDefLibrary', location, 'graph models with functions (control flow) are not supported');
  }
  // A name is how inputs refer to a node; two nodes with one name make every reader ambiguous.
  const seen = new Map<string, number>();
  return nodes.map((raw, i) => {
    if (!isRecord(raw)) throw new ModelFormatError(`${location}: modelTopology.node[${i}] is not an object.`);
    const { name, op, input, attr } = raw;
    if (typeof name !== 'string' || typeof op !== 'string') {
      throw new ModelFormatError(`${location}: modelTopology.node[${i}] needs string 'name' and 'op'.`);
    }
    if (input !== undefined && !(Array.isArray(input) && input.every((s): s is string => typeof s === 'string'))) {
      throw new ModelFormatError(`${location}: node '${name}' has a malformed 'input' list.`);
    }
    if (attr !== undefined && !isRecord(attr)) throw new ModelFormatError(`${location}: node '${name}' has a malformed 'attr'.`);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new ModelFormatError(
        `${location}: modelTopology.node[${earlier}] and node[${i}] are both named '${name}'; node names must be unique.`,
      );
    }
    seen.set(name, i);
    const inputs = (input ?? []).filter((s) => !s.startsWith('^'));
    return { name, op, inputs, attr: (attr ?? {}) as Record<string, TfAttrValue> };
  });
}

/**
 * The IR value a TF tensor reference names: `node` and `node:0` are the same tensor; other output
 * indices keep their suffix (no supported op has more than one output, so they stay unresolved).
 */
export function tensorRef(input: string): string {
  return input.endsWith(':0') ? input.slice(0, -2) : input;
}

/** Reads typed attributes of one node, naming the node and attribute when one is malformed. */
export class AttrReader {
  constructor(
    private readonly node: TfNode,
    private readonly location: string,
  ) {}

  private fail(attr: string, expected: string): never {
    throw new ModelFormatError(`${this.location}: node '${this.node.name}' (${this.node.op}) attribute '${attr}' must be ${expected}.`);
  }

  has(attr: string): boolean {
    return attr in this.node.attr;
  }

  /** String attributes are base64 in the converter's JSON. */
  string(attr: string, fallback?: string): string {
    const s = this.node.attr[attr]?.s;
    if (s === undefined) return fallback ?? this.fail(attr, 'a string');
    return decodeBase64(s);
  }

  strings(attr: string): string[] {
    return (this.node.attr[attr]?.list?.s ?? []).map((s) => decodeBase64(s));
  }

  int(attr: string, fallback?: number): number {
    const i = this.node.attr[attr]?.i;
    if (i === undefined) return fallback ?? this.fail(attr, 'an integer');
    return Number(i);
  }

  ints(attr: string, fallback?: readonly number[]): number[] {
    const list = this.node.attr[attr]?.list;
    if (list === undefined) return fallback ? [...fallback] : this.fail(attr, 'a list of integers');
    return (list.i ?? []).map(Number);
  }

  float(attr: string, fallback?: number): number {
    const f = this.node.attr[attr]?.f;
    if (f === undefined) return fallback ?? this.fail(attr, 'a number');
    return Number(f);
  }

  bool(attr: string, fallback: boolean): boolean {
    return this.node.attr[attr]?.b ?? fallback;
  }

  type(attr: string): string | undefined {
    return this.node.attr[attr]?.type;
  }

  /** A `shape` attribute with unknown (-1) dimensions as null; undefined when the rank is unknown. */
  shape(attr: string): (number | null)[] | undefined {
    const shape = this.node.attr[attr]?.shape;
    if (shape === undefined || shape.unknownRank === true) return undefined;
    return (shape.dim ?? []).map((d) => {
      const size = Number(d.size ?? -1);
      return size < 0 ? null : size;
    });
  }
}

/** Browser-safe (no Buffer): graph-runtime also runs in the web demo. */
function decodeBase64(s: string): string {
  const binary = atob(s);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
