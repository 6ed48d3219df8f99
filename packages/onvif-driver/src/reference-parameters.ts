/** One top-level element (with its content) of a reference-parameters block. */
const ELEMENT = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1\s*>)/g;

/**
 * The WS-Addressing `ReferenceParameters` of the `SubscriptionReference` in a raw
 * CreatePullPointSubscriptionResponse, as SOAP header blocks to echo on every call to that
 * subscription (WS-Addressing SOAP binding §3.4): each element marked `a:IsReferenceParameter="true"`
 * (the `a` prefix is the envelope's WS-Addressing 1.0 namespace) and carrying the namespace
 * declaration of its prefix. Empty when the device sent none (Axis sends `dom0:SubscriptionId`).
 */
export function referenceParameterHeaders(responseXml: string): string[] {
  const reference = /<([\w.-]+:)?SubscriptionReference\b[^>]*>([\s\S]*?)<\/\1?SubscriptionReference\s*>/.exec(responseXml)?.[2];
  if (!reference) return [];
  const params = /<([\w.-]+:)?ReferenceParameters\b[^>]*>([\s\S]*?)<\/\1?ReferenceParameters\s*>/.exec(reference)?.[2];
  if (!params) return [];
  const headers: string[] = [];
  for (const match of params.matchAll(ELEMENT)) {
    const [whole, name, attributes = ''] = match;
    const prefix = name!.includes(':') ? name!.slice(0, name!.indexOf(':')) : undefined;
    let declarations = '';
    if (prefix && !new RegExp(`xmlns:${prefix}\\s*=`).test(attributes)) {
      const declared = new RegExp(`xmlns:${prefix}\\s*=\\s*("[^"]*"|'[^']*')`).exec(responseXml)?.[1];
      if (declared) declarations = ` xmlns:${prefix}=${declared}`;
    }
    const open = whole.slice(0, 1 + name!.length);
    headers.push(`${open}${declarations} a:IsReferenceParameter="true"${whole.slice(open.length)}`);
  }
  return headers;
}
