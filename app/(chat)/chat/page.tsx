import { redirect } from "next/navigation";
import { ChatApp } from "@/components/chat/chat-app";
import { getSessionUser } from "@/lib/auth/session";
import { getSettings, listConversations } from "@/lib/chat";
import { getServerEnv } from "@/lib/env";

export const metadata = { title: "Parley" };

export default async function ChatPage({ searchParams }: { searchParams: Promise<{ c?: string }> }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/chat");
  const [conversations, settings] = await Promise.all([listConversations({ userId: user.id }), getSettings({ userId: user.id })]);
  const { c } = await searchParams;
  // Only a conversation the user belongs to can be opened from the URL.
  const initialActiveId = conversations.some((conversation) => conversation.id === c) ? (c ?? null) : null;
  return (
    <ChatApp
      me={{ id: user.id, name: user.name }}
      socketUrl={getServerEnv().SOCKET_PUBLIC_URL}
      initialConversations={conversations}
      initialActiveId={initialActiveId}
      editWindowMs={getServerEnv().MESSAGE_EDIT_WINDOW_SECONDS * 1000}
      initialSettings={settings}
    />
  );
}
