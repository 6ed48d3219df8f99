/** XML namespaces used in answers. */
export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  timg: 'http://www.onvif.org/ver20/imaging/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  tns1: 'http://www.onvif.org/ver10/topics',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa: 'http://www.w3.org/2005/08/addressing',
  ter: 'http://www.onvif.org/ver10/error',
  tnshik: 'http://www.hikvision.com/2011/event/topics',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
} as const;

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Wraps a SOAP 1.2 body (and optional header) in an envelope declaring every namespace. */
export function soapEnvelope(body: string, header = ''): string {
  const xmlns = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${xmlns}>${header ? `<env:Header>${header}</env:Header>` : ''}<env:Body>${body}</env:Body></env:Envelope>`;
}

/** A SOAP 1.2 fault with ONVIF subcodes, e.g. `('env:Sender', 'ter:InvalidArgVal', 'ter:NoProfile', 'No such profile')`. */
export function soapFault(code: 'env:Sender' | 'env:Receiver', subcode: string, subsubcode: string | undefined, reason: string): string {
  const inner = subsubcode ? `<env:Subcode><env:Value>${subsubcode}</env:Value></env:Subcode>` : '';
  return soapEnvelope(
    `<env:Fault><env:Code><env:Value>${code}</env:Value><env:Subcode><env:Value>${subcode}</env:Value>${inner}</env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${xmlEscape(reason)}</env:Text></env:Reason></env:Fault>`,
  );
}
