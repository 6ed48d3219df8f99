import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { WardwatchError } from '@wardwatch/core';

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
  // Only the five predefined XML entities are expanded: DOCTYPE bodies (the only place entities are
  // declared) are refused before parsing (see parseXml).
  processEntities: true,
  htmlEntities: false,
});

/** Matches a DOCTYPE or entity declaration anywhere in a document. */
const DOCTYPE = /<!(DOCTYPE|ENTITY)\b/i;

/**
 * Parses and validates XML text. A body that is not well-formed, has no root element, or carries a
 * DOCTYPE/entity declaration (refused: entities are never expanded) throws `CAMERA_PROTOCOL_ERROR`
 * whose message names the problem and `details.reason` classifies it (`malformed` | `doctype` | `empty`).
 */
export function parseXml(text: string, where: { address?: string; operation?: string } = {}): XmlNode {
  const details = { ...(where.address ? { address: where.address } : {}), ...(where.operation ? { operation: where.operation } : {}) };
  const from = where.operation && where.address ? `${where.operation} to ${where.address}` : 'The answer';
  const declaration = DOCTYPE.exec(text);
  if (declaration) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${from} carries a ${declaration[1]!.toUpperCase()} declaration; DOCTYPE and entity bodies are refused`, {
      details: { ...details, reason: 'doctype' },
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${from} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`, {
      details: { ...details, reason: 'malformed' },
    });
  }
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).every((k) => k.startsWith('?'))) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${from} has no root element`, { details: { ...details, reason: 'empty' } });
  }
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
