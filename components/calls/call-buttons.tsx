"use client";

import { PhoneIcon, VideoIcon } from "./call-icons";

/** Voice and video call buttons for a direct conversation's header (a chunk of their own: /chat's first load has no room for them). */
export function CallButtons({ className, onCall }: { className: string; onCall: (media: "audio" | "video") => void }) {
  return (
    <>
      <button type="button" className={className} aria-label="Start voice call" title="Voice call" onClick={() => onCall("audio")}>
        <PhoneIcon />
      </button>
      <button type="button" className={className} aria-label="Start video call" title="Video call" onClick={() => onCall("video")}>
        <VideoIcon size={21} />
      </button>
    </>
  );
}
