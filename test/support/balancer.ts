// A TCP load balancer on loopback, as production would put in front of several socket servers:
// each new connection goes to the next backend round-robin, skipping those that refuse, so a
// client whose server died reconnects to a live one. WebSocket transport only (no sticky sessions).
import { createServer, type Socket, connect } from "node:net";
import { freePort } from "../../scripts/processes.mjs";

export type Balancer = { url: string; setBackends(ports: number[]): void; close(): Promise<void> };

export async function startBalancer(ports: number[]): Promise<Balancer> {
  let backends = [...ports];
  let next = 0;
  const open = new Set<Socket>();

  const dial = (client: Socket, tried: number) => {
    if (tried >= backends.length) return void client.destroy();
    const port = backends[next++ % backends.length]!;
    const upstream = connect(port, "127.0.0.1");
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      open.add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.once("error", () => {
      // Refused: that backend is down, try the next one.
      if (!connected) return dial(client, tried + 1);
      client.destroy();
    });
    upstream.once("close", () => {
      open.delete(upstream);
      if (connected) client.destroy();
    });
    client.once("close", () => upstream.destroy());
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    dial(client, 0);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    setBackends(list) {
      backends = [...list];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
