// The room parts the chat page loads on demand, as one chunk (lazy-parts.ts): one entry in the
// page's own code for both, rather than one per part.
export { RoomsDirectory } from "./rooms-directory";
export { RoomDetails } from "./room-panel";
