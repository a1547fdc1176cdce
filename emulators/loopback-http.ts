import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Headers of every request received, in order. */
  readonly requests: IncomingHttpHeaders[];
  /** Most requests that were in flight at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port that answers with `handler` (which may also never answer). */
export async function startLoopback(
  handler: (request: IncomingMessage, response: ServerResponse, index: number) => void,
): Promise<LoopbackServer> {
  const requests: IncomingHttpHeaders[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    const index = requests.length;
    requests.push(request.headers);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = () => {
      inFlight -= 1;
    };
    response.once('close', done);
    handler(request, response, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
