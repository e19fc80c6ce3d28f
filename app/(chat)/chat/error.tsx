"use client";

import { ErrorScreen } from "@/components/error-screen";

/** The chat's error boundary: whatever the chat throws while rendering ends here, styled and under the CSP. */
export default function ChatError({ error }: { error: Error & { digest?: string } }) {
  return <ErrorScreen error={error} />;
}
