import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Parley",
  description: "Real-time chat that never loses a message",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry that response's CSP nonce
  // (proxy.ts). A page prerendered at build time would have scripts the policy blocks.
  await connection();
  return (
    <html lang="en">
      <body className="h-dvh">{children}</body>
    </html>
  );
}
