import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { parseTheme, THEME_COOKIE } from "@/components/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: "Parley",
  description: "Real-time chat that never loses a message",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  // The browser's own bars match the page in either theme.
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172a" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry that response's CSP nonce
  // (proxy.ts). A page prerendered at build time would have scripts the policy blocks.
  await connection();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme}>
      <body className="h-dvh">{children}</body>
    </html>
  );
}
