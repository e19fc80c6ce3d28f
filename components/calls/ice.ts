// ICE servers for a call (STUN, and TURN with short-lived credentials), from the web app.
// Until that route exists (404), host candidates alone: enough when both people share a network.
type IceAnswer = { iceServers: RTCIceServer[]; iceTransportPolicy?: RTCIceTransportPolicy; expiresAt?: string | null };

export async function fetchIceConfig(): Promise<RTCConfiguration> {
  const response = await fetch("/api/calls/ice", { cache: "no-store", credentials: "same-origin" });
  if (response.status === 404) return { iceServers: [], iceTransportPolicy: "all" };
  if (!response.ok) throw new Error(`ice: ${response.status}`);
  const answer = (await response.json()) as IceAnswer;
  return { iceServers: answer.iceServers, iceTransportPolicy: answer.iceTransportPolicy ?? "all" };
}
