// Ambient declarations for the parts of the `onvif` package's internals the driver uses.
// The public `Cam` API is typed by our own interfaces in `onvif-cam.ts`.
declare module 'onvif/lib/utils.js' {
  /** Parses a SOAP response with xml2js into the shape `Cam` methods expect. */
  export function parseSOAPString(
    xml: string,
    callback: (error: Error | null, body: unknown, xml?: string, statusCode?: number) => void,
    statusCode?: number,
  ): void;
  /** Flattens xml2js output (single-element arrays, numbers, booleans). */
  export function linerase(value: unknown): unknown;
  const utils: { parseSOAPString: typeof parseSOAPString; linerase: typeof linerase };
  export default utils;
}
