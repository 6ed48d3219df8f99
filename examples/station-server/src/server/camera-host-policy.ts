import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WardwatchError } from '@wardwatch/core';

/**
 * Addresses a camera must never point at when the deny-list is on: link-local (cloud metadata services live at
 * 169.254.169.254 and fd00:ec2::254), "this network" and the unspecified address.
 */
export const DEFAULT_DENIED_CAMERA_NETWORKS: readonly string[] = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '0.0.0.0/8', '::/128', '100.100.100.200/32'];

/** Names of metadata services refused as camera hosts when the deny-list is on. */
const DENIED_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/** Checks camera hosts against a deny-list of networks (CIDR) before the station ever connects to them. */
export interface CameraHostPolicy {
  /** Throws `INVALID_ARGUMENT` (naming `field`) when the host or any address it resolves to is denied. */
  check(host: string, field: string): Promise<void>;
}

/** Creates the camera-host policy over `networks` (CIDR strings such as `169.254.0.0/16`). */
export function createCameraHostPolicy(networks: readonly string[]): CameraHostPolicy {
  const list = new BlockList();
  for (const network of networks) {
    const [address = '', bits] = network.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  const denied = (address: string): boolean => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  const refuse = (field: string): never => {
    throw new WardwatchError('INVALID_ARGUMENT', `Invalid request: ${field}: this address is not allowed for a camera`, {
      details: { problems: [{ path: field, message: 'denied address (link-local or metadata service)' }] },
    });
  };
  return {
    async check(host, field) {
      const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
      if (DENIED_NAMES.has(bare)) refuse(field);
      if (isIP(bare)) {
        if (denied(bare)) refuse(field);
        return;
      }
      // a name is checked by what it resolves to now (a name that does not resolve is left to the driver's errors)
      const addresses = await lookup(bare, { all: true }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND' || (error as NodeJS.ErrnoException).code === 'EAI_AGAIN') return [];
        throw error;
      });
      if (addresses.some((a) => denied(a.address))) refuse(field);
    },
  };
}
