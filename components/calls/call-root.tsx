"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { CallController, type CallsState } from "@/lib/client/calls/controller";
import { openMedia } from "@/lib/client/calls/media";
import { Tone } from "@/lib/client/calls/tones";
import type { ChatEngine } from "@/lib/client/engine";
import { newClientMsgId } from "@/lib/client/realtime-client";
import { fetchIceConfig } from "./ice";
import { IncomingCall } from "./incoming-call";
import { CallScreen } from "./call-screen";

const empty: CallsState = { call: null, elsewhere: null, notice: null };

/** Builds the call controller for this chat engine, feeds it the socket's call events, and shows what it holds. */
export function CallRoot({ engine, me }: { engine: ChatEngine; me: string }) {
  // Built once (constructing it touches nothing outside); the effect below connects it to the socket and the page.
  const [controller] = useState(() => createController(engine, me));

  useEffect(() => {
    const socket = engine.client.socket;
    const up = () => controller.socketChanged(true);
    const down = () => controller.socketChanged(false);
    socket?.on("connect", up);
    socket?.on("disconnect", down);
    const leaving = () => controller.leaving();
    window.addEventListener("pagehide", leaving);
    engine.calls.consume(controller.handle, (conversationId, media) => void controller.start(conversationId, media));
    return () => {
      engine.calls.consume(null);
      socket?.off("connect", up);
      socket?.off("disconnect", down);
      window.removeEventListener("pagehide", leaving);
      controller.leaving();
      controller.close();
    };
  }, [engine, controller]);

  const state = useSyncExternalStore(controller.subscribe, controller.getState, () => empty);
  const { call, elsewhere, notice } = state;

  return (
    <>
      {(notice || (elsewhere && !call)) ? (
        <div className="pointer-events-none fixed inset-x-0 top-3 z-40 flex justify-center px-3">
          <p role="status" data-testid="call-banner" className="pointer-events-auto flex items-center gap-2 rounded-full bg-raised px-4 py-2 text-sm font-medium text-fg shadow-lg ring-1 ring-line">
            <span className={`h-2 w-2 rounded-full ${notice ? "bg-muted" : "animate-pulse bg-emerald-500"}`} aria-hidden />
            {notice ?? "On a call in another tab"}
          </p>
        </div>
      ) : null}
      {call?.phase === "incoming" ? <IncomingCall call={call} controller={controller} /> : call ? <CallScreen call={call} controller={controller} /> : null}
    </>
  );
}

function createController(engine: ChatEngine, me: string): CallController {
  const conversation = (id: string) => engine.getState().conversations.find((c) => c.id === id);
  return new CallController({

      me,
      emit: (event, payload) => engine.client.emit(event, payload as never),
      peerOf: (id) => {
        const found = conversation(id);
        const peer = found?.kind === "direct" ? found.members.find((m) => m.id !== me) : undefined;
        return peer ? { id: peer.id, name: peer.name } : null;
      },
      silent: (id) => conversation(id)?.muted ?? false,
      iceConfig: fetchIceConfig,
      openMedia: (media) => openMedia(media),
      newCallId: newClientMsgId,
      tone: new Tone(),
      alert: (call) => {
        if (document.visibilityState === "visible" || typeof Notification === "undefined" || Notification.permission !== "granted") return;
        const notification = new Notification(`${call.peer.name} is calling you`, { body: call.media === "video" ? "Video call" : "Voice call", tag: `call-${call.id}`, requireInteraction: true });
        notification.onclick = () => {
          window.focus();
          notification.close();
        };
        return () => notification.close();
      },
  });
}
