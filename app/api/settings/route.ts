import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { getSettings, updateSettings } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

/** The caller's own settings: { readReceipts }. */
export async function GET() {
  return runRoute("settings", async (user) => Response.json({ settings: await getSettings({ userId: user.id }) }));
}

/** Replaces the caller's settings: { readReceipts: boolean }. Their other tabs hear it from the socket server. */
export async function PATCH(request: Request) {
  return runRoute("settings", async (user) => {
    const { settings, changed } = await updateSettings({ userId: user.id, input: await readJson(request) });
    if (changed) after(() => announce({ type: "settings:updated", userId: user.id, ...settings }));
    return Response.json({ settings });
  }, { mutating: true });
}
