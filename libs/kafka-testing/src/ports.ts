import net, { type AddressInfo } from 'node:net';

/** The local broker listens on loopback only. */
export const BROKER_HOST = '127.0.0.1';

export async function pickPorts(brokerPort: number | undefined): Promise<[number, number]> {
  const [first, second] = await freePorts(2);
  if (brokerPort === undefined) return [first, second];
  return [brokerPort, first === brokerPort ? second : first];
}

/** Ports the OS considers free right now; all are held at once so they differ. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listen(0)));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function isPortFree(port: number): Promise<boolean> {
  try {
    const server = await listen(port);
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, BROKER_HOST, () => resolve(server));
  });
}

