// What the UI says about who is typing: a module of its own, so the page shows it without the
// typing machinery (typing.ts) that only the engine needs.
import type { UploadActivity } from "../schemas/file";

const ONE = { photo: "sending a photo", video: "sending a video", audio: "sending an audio file", file: "sending a file" } as const;
const MANY = { photo: "sending photos", video: "sending videos", audio: "sending audio files", file: "sending files" } as const;

/**
 * "Ana is typing…", "Ana and Ben are typing…", "Ana and 2 others are typing…"; null when nobody is.
 * `activities[i]` says when names[i] is sending files instead: "Ana is sending a photo…", "Ana and
 * Ben are sending photos…", "Ana is sending a photo, Ben is typing…".
 */
export function typingLabel(names: string[], activities: (UploadActivity | undefined)[] = []): string | null {
  const [first, second] = names;
  if (first === undefined) return null;
  const one = (i: number) => {
    const activity = activities[i];
    return activity ? ONE[activity] : "typing";
  };
  if (second === undefined) return `${first} is ${one(0)}…`;
  const kinds = new Set(names.map((_, i) => activities[i] ?? "typing"));
  const [only] = kinds;
  let together: string = kinds.has("typing") ? "typing or sending files" : "sending files";
  if (kinds.size === 1 && only !== undefined) together = only === "typing" ? "typing" : MANY[only];
  if (names.length === 2) return kinds.size === 1 ? `${first} and ${second} are ${together}…` : `${first} is ${one(0)}, ${second} is ${one(1)}…`;
  return `${first} and ${names.length - 1} others are ${together}…`;
}
