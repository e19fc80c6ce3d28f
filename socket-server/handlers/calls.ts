import { answerCall, connectCall, hangupCall, inviteCall, rejectCall, resumeCall, routeSignal, toCallDto, type CallChange } from "../../lib/chat";
import type { CallDoc } from "../../lib/db/calls";
import type { PushEvent } from "../../lib/push/notify";
import type { CallLeases } from "../call-leases";
import type { ParleyServer } from "../types";
import { conversationRoom, userRoom } from "../types";
import type { Route } from "./router";

const bothPeople = (call: CallDoc) => [userRoom(call.callerId.toHexString()), userRoom(call.calleeId.toHexString())];

/**
 * Call signalling (DESIGN.md "Calls"). The state lives in the database (lib/chat/calls.ts); this
 * fans out each change: ringing and endings to both people's tabs (every tab of theirs, on any
 * socket server), the answer to the caller's tabs and "answered elsewhere" to the callee's other
 * tabs, and SDP and ICE only from one party's socket to the other's, never to a room.
 */
export function callRoutes(io: ParleyServer, leases: CallLeases, notify: (event: PushEvent) => void): Record<string, Route> {
  const { onEnded } = callSweepOutcomes(io);
  const ended = (change: CallChange) => {
    for (const role of ["caller", "callee"] as const) {
      const party = change.call[role];
      if (party) leases.release(party.socketId, change.call._id);
    }
    onEnded(change);
  };

  return {
    "call:invite": {
      limit: "calls",
      handle: async (socket, payload) => {
        const { userId, name } = socket.data;
        const invited = await inviteCall({ userId, socketId: socket.id, input: payload, callerName: name });
        const call = toCallDto(invited.call);
        switch (invited.kind) {
          case "ringing":
            leases.hold(socket, invited.call._id, "caller");
            // Also to the caller's other tabs: they show that a call is under way elsewhere.
            if (!invited.repeat) {
              io.to(bothPeople(invited.call)).except(socket.id).emit("call:ringing", { call });
              notify({ type: "call", call, callerName: name, ringSeconds: Math.ceil((invited.call.ringUntil.getTime() - Date.now()) / 1000) });
            }
            return { call, partyId: invited.partyId, role: "caller" };
          case "answered":
            leases.hold(socket, invited.call._id, "callee");
            announceAnswer(io, invited.call, socket.id);
            return { call, partyId: invited.partyId, role: "callee" };
          case "busy":
            ended({ call: invited.call, entry: invited.entry });
            return { call, partyId: null, role: "caller" };
        }
      },
    },
    "call:answer": {
      handle: async (socket, payload) => {
        const { call, partyId } = await answerCall({ userId: socket.data.userId, socketId: socket.id, input: payload });
        leases.hold(socket, call._id, "callee");
        announceAnswer(io, call, socket.id);
        return { call: toCallDto(call), partyId };
      },
    },
    "call:reject": {
      handle: async (socket, payload) => {
        const change = await rejectCall({ userId: socket.data.userId, input: payload });
        ended(change);
        return { call: toCallDto(change.call) };
      },
    },
    "call:hangup": {
      handle: async (socket, payload) => {
        const change = await hangupCall({ userId: socket.data.userId, input: payload });
        leases.release(socket.id, change.call._id);
        if (change.entry) ended(change);
        return { call: toCallDto(change.call) };
      },
    },
    "call:resume": {
      handle: async (socket, payload) => {
        const { call, role } = await resumeCall({ userId: socket.data.userId, socketId: socket.id, input: payload });
        leases.hold(socket, call._id, role);
        return { call: toCallDto(call) };
      },
    },
    "call:connected": {
      handle: async (socket, payload) => {
        const { call, changed } = await connectCall({ userId: socket.data.userId, socketId: socket.id, input: payload });
        if (changed) io.to(bothPeople(call)).emit("call:answered", { call: toCallDto(call) });
        return { call: toCallDto(call) };
      },
    },
    "call:signal": {
      handle: async (socket, payload) => {
        const { toSocketId, callId, signal } = await routeSignal({ userId: socket.data.userId, socketId: socket.id, input: payload });
        // A socket id is a room of its own, on whichever socket server holds it.
        io.to(toSocketId).emit("call:signal", { callId, signal });
        return {};
      },
    },
  };
}

/** The caller's tabs hear the answer (the calling tab then makes the offer); the callee's other tabs stop ringing. */
function announceAnswer(io: ParleyServer, call: CallDoc, answeringSocketId: string): void {
  const dto = toCallDto(call);
  io.to(userRoom(call.callerId.toHexString())).emit("call:answered", { call: dto });
  io.to(userRoom(call.calleeId.toHexString())).except(answeringSocketId).emit("call:answered-elsewhere", { call: dto });
}

/** What the sweep (call-leases.ts) found: fanned out as if a party had ended it. */
export function callSweepOutcomes(io: ParleyServer) {
  return {
    onEnded: ({ call, entry }: CallChange) => {
      io.to(bothPeople(call)).emit("call:ended", { call: toCallDto(call) });
      if (entry) io.to(conversationRoom(entry.conversationId)).emit("message:created", { message: entry });
    },
    onRecorded: ({ entry }: CallChange) => {
      if (entry) io.to(conversationRoom(entry.conversationId)).emit("message:created", { message: entry });
    },
  };
}
