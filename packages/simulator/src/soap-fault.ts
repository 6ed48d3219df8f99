/** An ONVIF SOAP fault with its HTTP status; thrown by handlers, answered by the server. */
export class SoapFault extends Error {
  constructor(
    readonly status: number,
    readonly code: 'env:Sender' | 'env:Receiver',
    readonly subcode: string,
    readonly subsubcode: string | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

