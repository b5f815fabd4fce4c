import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The requested port is taken; the entry point turns this into a one-line message and exit code 2. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(
    readonly port: number,
    readonly setting: string,
  ) {
    super(
      `Port ${port} is already in use (${setting}). Stop the program that uses it or choose another port.`,
    );
  }
}

/** Listens on 127.0.0.1 only and resolves with the real port (useful with port 0). */
export function listenOnLoopback(server: Server, port: number, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, setting) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: '127.0.0.1', exclusive: true });
  });
}

/** Closes a server and every connection it still holds (keep-alive, SSE), so shutdown never hangs. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
