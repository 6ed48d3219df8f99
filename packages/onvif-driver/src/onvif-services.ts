import { asArray, child, path, text, type XmlNode } from './xml-tree.js';

/** Service addresses of a device, as the camera reports them (before rebasing to the reached address). */
export interface OnvifServiceAddresses {
  device?: string;
  media?: string;
  /** Media2 (`http://www.onvif.org/ver20/media/wsdl`): H.265 and Media2-only devices. */
  media2?: string;
  ptz?: string;
  events?: string;
  imaging?: string;
}

/** The service namespaces GetServices lists, mapped to our service names. */
export const SERVICE_NAMESPACES: Readonly<Record<string, keyof OnvifServiceAddresses>> = {
  'http://www.onvif.org/ver10/device/wsdl': 'device',
  'http://www.onvif.org/ver10/media/wsdl': 'media',
  'http://www.onvif.org/ver20/media/wsdl': 'media2',
  'http://www.onvif.org/ver20/ptz/wsdl': 'ptz',
  'http://www.onvif.org/ver10/events/wsdl': 'events',
  'http://www.onvif.org/ver20/imaging/wsdl': 'imaging',
};

const CAPABILITY_ELEMENTS: readonly [string, keyof OnvifServiceAddresses][] = [
  ['Device', 'device'],
  ['Media', 'media'],
  ['PTZ', 'ptz'],
  ['Events', 'events'],
  ['Imaging', 'imaging'],
];

/** Reads the service XAddrs of a GetCapabilitiesResponse body (Media2 is listed under `Extension` by some firmwares). */
export function parseCapabilities(body: XmlNode): OnvifServiceAddresses {
  const caps = path(body, 'GetCapabilitiesResponse', 'Capabilities');
  const out: OnvifServiceAddresses = {};
  for (const [element, name] of CAPABILITY_ELEMENTS) {
    const xaddr = text(child(caps, element), 'XAddr');
    if (xaddr) out[name] = xaddr;
  }
  // Media2 sits under Capabilities/Extension; some firmwares write several Extension elements.
  for (const extension of asArray(caps?.Extension)) {
    const media2 = text(child(extension, 'Media2'), 'XAddr');
    if (media2 && out.media2 === undefined) out.media2 = media2;
  }
  return out;
}

/** Reads the service XAddrs of a GetServicesResponse body by namespace. */
export function parseServices(body: XmlNode): OnvifServiceAddresses {
  const out: OnvifServiceAddresses = {};
  for (const service of asArray<XmlNode>(child(body, 'GetServicesResponse')?.Service)) {
    const name = SERVICE_NAMESPACES[text(service, 'Namespace') ?? ''];
    const xaddr = text(service, 'XAddr');
    if (name && xaddr && out[name] === undefined) out[name] = xaddr;
  }
  return out;
}
