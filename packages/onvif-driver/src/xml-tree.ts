import { XMLParser } from 'fast-xml-parser';

/** A parsed XML element as fast-xml-parser gives it (namespace prefixes removed, attributes as `@_name`). */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
  processEntities: true,
  htmlEntities: false,
});

/** Parses and validates XML text; throws a plain `Error` when it is not well-formed. */
export function parseXml(text: string): XmlNode {
  const parsed: unknown = parser.parse(text, true);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('XML document has no root element');
  return parsed as XmlNode;
}

/** The value as an array (absent → empty, single → one element). */
export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** The first child element named `name` of `node`, if it is an element. */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = asArray((node as XmlNode)[name])[0];
  return typeof value === 'object' && value !== null ? (value as XmlNode) : undefined;
}

/** Follows a path of child element names. */
export function path(node: unknown, ...names: string[]): XmlNode | undefined {
  let current: unknown = node;
  for (const name of names) {
    current = child(current, name);
    if (current === undefined) return undefined;
  }
  return current as XmlNode;
}

/** The text content of an element (or of its child `name`), trimmed; undefined when absent. */
export function text(node: unknown, name?: string): string | undefined {
  const value = name === undefined ? node : asArray((node as XmlNode | undefined)?.[name])[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value).trim();
  if (typeof value === 'object') {
    const inner = (value as XmlNode)['#text'];
    return inner === undefined ? '' : String(inner).trim();
  }
  return undefined;
}

/** An attribute of an element. */
export function attr(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as XmlNode)[`@_${name}`];
  return value === undefined ? undefined : String(value);
}
