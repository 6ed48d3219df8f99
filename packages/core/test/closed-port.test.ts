import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '@wardwatch/core/testing';

describe('closedPort', () => {
  it('gives a loopback port where a connection is refused', async () => {
    const port = await closedPort();
    expect(port).toBeGreaterThan(0);
    const code = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(code).toBe('ECONNREFUSED');
  });
});
