import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TraceReceiver } from "./receiver";

/**
 * A plain node:http server around a trace receiver: POST /v1/traces only. Used by the tests (so the
 * official exporters send to it over real HTTP) and by `npm run bench:ingest`; the portal itself serves
 * the receiver from its Next.js route.
 */
export type ReceiverServer = { url: string; close(): Promise<void> };

/** Listens on `host` (loopback by default) and an ephemeral port unless one is given. */
export async function serveReceiver(receiver: TraceReceiver, opts: { host?: string; port?: number } = {}): Promise<ReceiverServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split("?")[0] !== "/v1/traces") {
      res.writeHead(404).end();
      req.resume();
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      req.resume();
      return;
    }
    void receiver.receive(req.headers, req).then((answer) => {
      // A refused body may not have been read: close the connection after answering, and drain what is left.
      if (!req.complete) answer.headers.connection = "close";
      res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
      res.end(answer.body);
      if (!req.complete) req.resume();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
