// What a call's end says on the screen of the person it happened to.
import type { CallOutcome } from "../../schemas/call";

export function endedMessage(outcome: CallOutcome | null, { role, peerName }: { role: "caller" | "callee"; peerName: string }): string {
  switch (outcome) {
    case "busy":
      return `${peerName} is busy`;
    case "declined":
      return role === "caller" ? `${peerName} declined` : "Call declined";
    case "missed":
      return role === "caller" ? "No answer" : "Missed call";
    case "cancelled":
      return role === "caller" ? "Call cancelled" : `${peerName} cancelled the call`;
    case "failed":
      return "Call failed";
    case "completed":
    case null:
      return "Call ended";
  }
}
