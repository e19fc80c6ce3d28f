import type { MetadataRoute } from "next";

/** Makes the chat installable (served at /manifest.webmanifest; Next.js links it from every page). */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Parley",
    short_name: "Parley",
    description: "Real-time chat that never loses a message",
    id: "/chat",
    start_url: "/chat",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#4f46e5",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
      { src: "/apple-icon.png", sizes: "180x180", type: "image/png" },
    ],
  };
}
