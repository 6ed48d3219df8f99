import { createServer } from 'node:net';

/**
 * A TCP port on `host` that nothing listens on (one the system just handed out and that was released again), for the
 * unreachable-camera fixtures of driver tests: connecting to it is refused at once.
 * @param host Loopback address to find the port on. @default '127.0.0.1'
 */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}
