import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { parseTheme, THEME_COOKIE } from "@/components/theme";
import { ChatApp } from "@/components/chat/chat-app";
import { getSessionUser } from "@/lib/auth/session";
import { getSettings, listConversations } from "@/lib/chat";
import { ownAvatar } from "@/lib/chat/avatars";
import { getServerEnv } from "@/lib/env";
import { toAppError } from "@/lib/errors";

export const metadata = { title: "Parley" };

export default async function ChatPage({ searchParams }: { searchParams: Promise<{ c?: string }> }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/chat");
  // A list that cannot be read right now (the database is slow or away) still leaves a working
  // page: it shows a skeleton, and the client loads the list itself as soon as it connects, and
  // keeps retrying.
  const [conversations, settings, avatar] = await Promise.all([
    listConversations({ userId: user.id }).catch((error: unknown) => {
      if (toAppError(error, "page chat").code !== "UNAVAILABLE") throw error;
      return null;
    }),
    getSettings({ userId: user.id }),
    ownAvatar({ userId: user.id }),
  ]);
  const { c } = await searchParams;
  // Only a conversation the user belongs to can be opened from the URL.
  const initialActiveId = conversations?.some((conversation) => conversation.id === c) ? (c ?? null) : null;
  return (
    <ChatApp
      me={{ id: user.id, name: user.name, ...(user.email ? { email: user.email } : {}), ...(avatar ? { avatar } : {}) }}
      socketUrl={getServerEnv().SOCKET_PUBLIC_URL}
      initialConversations={conversations}
      initialActiveId={initialActiveId}
      editWindowMs={getServerEnv().MESSAGE_EDIT_WINDOW_SECONDS * 1000}
      initialSettings={settings}
      initialTheme={parseTheme((await cookies()).get(THEME_COOKIE)?.value)}
      fileMaxBytes={getServerEnv().FILE_MAX_BYTES}
      uploadsKeptMs={getServerEnv().FILE_UNATTACHED_SECONDS * 1000}
    />
  );
}
