// Notifications for messages from others: an in-app toast in a visible tab (for a conversation
// other than the open one), and a browser Notification when none of my tabs is visible, shown by
// exactly one tab: the leader, the one holding a Web Lock (the next tab takes it over when it
// closes). Tabs tell each other whether they are visible over a BroadcastChannel.
// Muted conversations stay silent. With Web Push on in this browser, the server's push (shown by
// public/sw.js) takes the browser notification's place. Framework-free: the React layer only renders the toasts.
import type { ConversationDto, MessageDto } from "../schemas/dto";
import { pushOnHere } from "./push";

export type Toast = { id: string; conversationId: string; title: string; body: string };

type Options = {
  me: string;
  conversation: (id: string) => ConversationDto | undefined;
  activeId: () => string | null;
  toast: (toast: Toast) => void;
  open: (conversationId: string) => void;
  /** This browser gets Web Push (default: as lib/client/push.ts knows it): a hidden tab then leaves the notification to the push (one per conversation, with a count). */
  pushHere?: () => boolean;
};

const LOCK = "parley:notifications";
const CHANNEL = "parley:tabs";
const SEEN_MAX = 500;

type TabNote = { tab: string; visible: boolean; gone?: boolean };

export class Notifier {
  private readonly tab = Math.random().toString(36).slice(2);
  private readonly seen: string[] = [];
  private readonly visibleTabs = new Map<string, boolean>();
  private leader = false;
  private release: (() => void) | null = null;
  private channel: BroadcastChannel | null = null;
  private closed = false;

  constructor(private readonly options: Options) {}

  start() {
    if (typeof BroadcastChannel !== "undefined") {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = ({ data }: MessageEvent<TabNote & { hello?: boolean }>) => {
        if (data.gone) this.visibleTabs.delete(data.tab);
        else this.visibleTabs.set(data.tab, data.visible);
        if (data.hello) this.announce();
      };
      this.announce(true);
    }
    document.addEventListener("visibilitychange", this.visibilityChanged);
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    // Without Web Locks every tab notifies: duplicates are better than silence.
    if (!locks) this.leader = true;
    else
      void locks.request(LOCK, () => {
        if (this.closed) return;
        this.leader = true;
        return new Promise<void>((resolve) => (this.release = resolve));
      });
  }

  close() {
    this.closed = true;
    document.removeEventListener("visibilitychange", this.visibilityChanged);
    this.channel?.postMessage({ tab: this.tab, visible: false, gone: true } satisfies TabNote);
    this.channel?.close();
    this.release?.();
  }

  /** A message heard live (a repeat of one already seen is ignored). */
  heard(message: MessageDto) {
    if (this.closed || message.senderId === this.options.me || message.kind !== "text" || this.seen.includes(message.id)) return;
    this.seen.push(message.id);
    if (this.seen.length > SEEN_MAX) this.seen.shift();
    const conversation = this.options.conversation(message.conversationId);
    if (!conversation || conversation.muted) return;
    const title = conversation.kind !== "direct" ? `${message.senderName} in ${conversation.name ?? "a group"}` : message.senderName;
    const body = message.text.length > 140 ? `${message.text.slice(0, 139)}…` : message.text;
    const visible = document.visibilityState === "visible";
    if (visible && message.conversationId !== this.options.activeId()) this.options.toast({ id: message.id, conversationId: message.conversationId, title, body });
    if (!this.leader || visible || [...this.visibleTabs.values()].some(Boolean)) return;
    if (typeof Notification === "undefined" || Notification.permission !== "granted" || (this.options.pushHere ?? pushOnHere)()) return;
    const notification = new Notification(title, { body, tag: message.id });
    notification.onclick = () => {
      window.focus();
      this.options.open(message.conversationId);
      notification.close();
    };
  }

  private readonly visibilityChanged = () => this.announce();

  private announce(hello = false) {
    this.channel?.postMessage({ tab: this.tab, visible: document.visibilityState === "visible", hello });
  }
}
