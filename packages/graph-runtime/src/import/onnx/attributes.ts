import { ModelFormatError } from '@motiondelta/core';
import { AttributeProto_AttributeType, type AttributeProto, type NodeProto, type TensorProto } from 'onnx-buf';

const utf8 = new TextDecoder();

/**
 * Typed access to a node's attributes. A present attribute of the wrong type is a broken file,
 * so it raises ModelFormatError naming the node and attribute.
 */
export class NodeAttributes {
  private readonly byName = new Map<string, AttributeProto>();

  constructor(
    node: NodeProto,
    private readonly where: string,
  ) {
    for (const attribute of node.attribute) this.byName.set(attribute.name, attribute);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  private get(name: string, type: AttributeProto_AttributeType): AttributeProto | undefined {
    const attribute = this.byName.get(name);
    if (attribute === undefined) return undefined;
    // Some old exporters leave `type` unset; trust the field then.
    if (attribute.type !== type && attribute.type !== AttributeProto_AttributeType.UNDEFINED) {
      throw new ModelFormatError(
        `${this.where}: attribute '${name}' has type ${AttributeProto_AttributeType[attribute.type]}, ` +
          `expected ${AttributeProto_AttributeType[type]}.`,
      );
    }
    return attribute;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttributeProto_AttributeType.INT);
    return a === undefined ? fallback : Number(a.i);
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, AttributeProto_AttributeType.FLOAT);
    return a === undefined ? fallback : a.f;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeProto_AttributeType.STRING);
    return a === undefined ? fallback : utf8.decode(a.s);
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, AttributeProto_AttributeType.INTS);
    return a === undefined ? undefined : a.ints.map((v) => Number(v));
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, AttributeProto_AttributeType.FLOATS);
    return a === undefined ? undefined : [...a.floats];
  }

  tensor(name: string): TensorProto | undefined {
    return this.get(name, AttributeProto_AttributeType.TENSOR)?.t;
  }
}
