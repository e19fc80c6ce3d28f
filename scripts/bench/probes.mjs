// Latency probes: a handful of real clients in the orchestrator's own process — socket.io-client
// for Parley and the Socket.IO relay, a plain `ws` socket for the raw relay — sending at the same
// per-client rate as the load clients and timing every benchmark message they receive. They
// cross-check the load generator's own measurement, which a saturated generator would inflate.
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { ORIGIN } from "./targets.mjs";
import { benchText, MARKER, now, openClient } from "./wire.mjs";

/** members: [{ index, conversationId, room, auth }] */
export async function openProbes(target, members) {
  const probes = await Promise.all(members.map((member) => (target.kind === "sio" ? openSocketIoProbe(target, member) : openWsProbe(target, member))));
  let window = null;
  for (const probe of probes) {
    probe.onMessage = (sender, sentAt) => {
      if (window && sender !== probe.member.index && sentAt >= window.from && sentAt < window.to) window.samples.push(now() - sentAt);
    };
  }
  return {
    count: probes.length,
    /** Sends `perClientRate` messages/s from each probe for the window; resolves with its samples. */
    async run({ perClientRate, warmupMs, measureMs, drainMs, textSize }) {
      const start = now();
      window = { from: start + warmupMs, to: start + warmupMs + measureMs, samples: [] };
      const timers = probes.map((probe) =>
        setInterval(() => probe.send({ conversationId: probe.member.conversationId, clientMsgId: randomUUID(), text: benchText(probe.member.index, textSize) }), 1000 / perClientRate),
      );
      await new Promise((resolve) => setTimeout(resolve, warmupMs + measureMs));
      timers.forEach(clearInterval);
      await new Promise((resolve) => setTimeout(resolve, drainMs));
      const samples = window.samples;
      window = null;
      return samples;
    },
    close: () => probes.forEach((probe) => probe.close()),
  };
}

function openSocketIoProbe(target, member) {
  return new Promise((resolve, reject) => {
    const socket = io(target.url, { transports: ["websocket"], auth: member.auth, extraHeaders: { origin: ORIGIN }, reconnection: false, forceNew: true });
    const probe = {
      member,
      onMessage: () => undefined,
      send: (payload) => socket.emit("message:send", payload, () => undefined),
      close: () => socket.close(),
    };
    socket.on("message:created", ({ message }) => {
      const text = typeof message?.text === "string" ? message.text : "";
      if (!text.startsWith(MARKER)) return;
      const [, sender, sentAt] = text.split("|");
      probe.onMessage(Number(sender), Number(sentAt));
    });
    socket.once("connect", () => resolve(probe));
    socket.once("connect_error", (error) => reject(new Error(`probe ${member.index}: ${error.message}`)));
  });
}

function openWsProbe(target, member) {
  return new Promise((resolve, reject) => {
    const probe = { member, onMessage: () => undefined };
    const client = openClient({
      kind: "ws",
      url: target.url,
      origin: ORIGIN,
      room: member.room,
      handlers: {
        onReady: () => resolve(probe),
        onFail: (reason) => reject(new Error(`probe ${member.index}: ${reason}`)),
        onMessage: ({ sender, sentAt }) => probe.onMessage(sender, sentAt),
      },
    });
    probe.send = (payload) => client.send(payload);
    probe.close = () => client.close();
  });
}
