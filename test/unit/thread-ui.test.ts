import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { avatarColour, initials } from "../../components/chat/avatar";
import { mightBeMarkdown } from "../../components/chat/markdown/message-text";
import { renderMarkdown, safeHref } from "../../components/chat/markdown/render";
import { dayLabel, RUN_GAP_MS, threadRows } from "../../components/chat/thread-rows";
import type { Pending } from "../../lib/client/chat-state";
import type { MessageDto } from "../../lib/schemas/dto";

const base = new Date(2026, 11, 3, 12, 0, 0);
let nextSeq = 1;
const message = (senderId: string, at: Date, fields: Partial<MessageDto> = {}): MessageDto => {
  const seq = nextSeq++;
  return {
    id: `m${seq}`,
    conversationId: "c",
    seq,
    version: seq,
    senderId,
    senderName: senderId,
    clientMsgId: `k${seq}`,
    kind: "text",
    text: `text ${seq}`,
    replyTo: null,
    replyPreview: null,
    mentions: [],
    createdAt: at.toISOString(),
    editedAt: null,
    deletedAt: null,
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    ...fields,
  };
};
const minutes = (n: number) => new Date(base.getTime() + n * 60_000);
const html = (text: string) => renderToStaticMarkup(createElement(Fragment, null, ...renderMarkdown(text)));

describe("thread rows", () => {
  it("puts a separator at each new day and names it Today, Yesterday or a date", () => {
    const now = base;
    const rows = threadRows({
      messages: [message("ana", new Date(2026, 10, 20, 9)), message("ana", new Date(2026, 11, 2, 23, 59)), message("ben", new Date(2026, 11, 3, 0, 1))],
      pending: [],
      me: "ana",
      unreadAfterSeq: null,
      now,
    });
    assert.deepEqual(
      rows.filter((row) => row.kind === "day").map((row) => (row.kind === "day" ? row.label : "")),
      [dayLabel(new Date(2026, 10, 20, 9), now), "Yesterday", "Today"],
    );
    assert.match(dayLabel(new Date(2026, 10, 20, 9), now), /November 20/);
    assert.match(dayLabel(new Date(2025, 10, 20, 9), now), /2025/);
  });

  it("groups one sender's messages closer than the gap, and starts a new run otherwise", () => {
    nextSeq = 1;
    const rows = threadRows({
      messages: [
        message("ben", minutes(0)),
        message("ben", minutes(1)),
        message("ben", minutes(1 + RUN_GAP_MS / 60_000 + 1)),
        message("ana", minutes(12)),
        message("ben", minutes(13)),
        message("x", minutes(13.5), { kind: "system", text: "Ben renamed the group" }),
        message("ben", minutes(14)),
      ],
      pending: [],
      me: "ana",
      unreadAfterSeq: null,
      now: base,
    });
    const runs = rows.filter((row) => row.kind === "message").map((row) => (row.kind === "message" ? `${row.message.seq}:${row.first ? "F" : ""}${row.last ? "L" : ""}` : ""));
    assert.deepEqual(runs, ["1:F", "2:L", "3:FL", "4:FL", "5:FL", "7:FL"]);
  });

  it("places the New messages divider before the first unread message from someone else, once", () => {
    nextSeq = 1;
    const rows = threadRows({
      messages: [message("ben", minutes(0)), message("ana", minutes(1)), message("ana", minutes(2)), message("ben", minutes(3)), message("ben", minutes(4))],
      pending: [],
      me: "ana",
      unreadAfterSeq: 1,
      now: base,
    });
    const order = rows.map((row) => (row.kind === "message" ? String(row.message.seq) : row.kind));
    assert.deepEqual(order, ["day", "1", "2", "3", "unread", "4", "5"]);
    // The divider breaks a run: the first unread message shows its sender again.
    const fourth = rows.find((row) => row.kind === "message" && row.message.seq === 4);
    assert.equal(fourth?.kind === "message" && fourth.first, true);
  });

  it("shows pending messages after the stored ones, in the same run as my last message", () => {
    nextSeq = 1;
    const pending: Pending = { clientMsgId: "p1", conversationId: "c", text: "on its way", status: "sending", error: null, retryable: true, createdAt: minutes(2).toISOString(), order: 1 };
    const rows = threadRows({ messages: [message("ana", minutes(1))], pending: [pending], me: "ana", unreadAfterSeq: null, now: base });
    assert.deepEqual(
      rows.map((row) => row.kind),
      ["day", "message", "pending"],
    );
    const last = rows.at(-1);
    assert.equal(last?.kind === "pending" && !last.first && last.last, true);
  });

  it("leaves out messages deleted for me", () => {
    nextSeq = 1;
    const rows = threadRows({ messages: [message("ben", minutes(0), { hidden: true }), message("ben", minutes(1))], pending: [], me: "ana", unreadAfterSeq: null, now: base });
    assert.deepEqual(
      rows.filter((row) => row.kind === "message").map((row) => (row.kind === "message" ? row.message.seq : 0)),
      [2],
    );
  });
});

describe("Markdown rendering", () => {
  it("renders the subset people use in chat", () => {
    assert.equal(html("**bold** *it* ~~gone~~ `x < y`"), "<p><strong>bold</strong> <em>it</em> <del>gone</del> <code class=\"rounded bg-black/10 px-1 py-px font-mono text-[0.9em] dark:bg-white/10\">x &lt; y</code></p>");
    assert.match(html("> quoted"), /^<blockquote[^>]*><p>quoted<\/p><\/blockquote>$/);
    assert.match(html("- one\n- two"), /^<ul[^>]*><li><span>one<\/span><\/li><li><span>two<\/span><\/li><\/ul>$/);
    assert.match(html("1. one\n2. two"), /^<ol[^>]*><li>/);
    assert.match(html("```\n<b>code</b>\n```"), /<pre[^>]*><code>&lt;b&gt;code&lt;\/b&gt;<\/code><\/pre>/);
    assert.equal(html("line one\nline two"), "<p>line one<br/>line two</p>");
    // Character references are shown as typed, not decoded.
    assert.equal(html("a &#40; b &amp; **c &#x41;**"), "<p>a &amp;#40; b &amp;amp; <strong>c &amp;#x41;</strong></p>");
  });

  it("links http, https and mailto, opening in a new tab without referrer or opener", () => {
    const link = html("see https://example.com/a?b=1&c=2 or mail ben@example.com");
    assert.match(link, /<a href="https:\/\/example.com\/a\?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow"/);
    assert.match(link, /<a href="mailto:ben@example.com" target="_blank" rel="noopener noreferrer nofollow"/);
    assert.match(html("[docs](https://example.com/docs)"), /<a href="https:\/\/example.com\/docs"[^>]*>docs<\/a>/);
  });

  // Each is shown as the text it is, with no element that could run script or fetch anything.
  const hostile = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[x](//evil.example/path)",
    "[x](/relative)",
    "[[x](javascript:alert(1))](https://example.com)",
    "[x](<javascript:alert(1)>)",
    "![img](https://evil.example/track.png)",
    "![x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "[x]: javascript:alert(1)\n\n[y][x]",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    "[x](https://example.com \"title\" onmouseover=alert(1))",
  ];
  for (const payload of hostile) {
    it(`keeps ${JSON.stringify(payload)} inert`, () => {
      const out = html(payload);
      assert.doesNotMatch(out, /<(script|img|iframe|svg|style|object|embed|form|input|base|meta|link)\b/i);
      for (const [tag] of out.matchAll(/<[a-z][^>]*>/gi)) assert.doesNotMatch(tag, /\son[a-z]+=/i, `no event handler attribute: ${tag}`);
      for (const [, href] of out.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^(https?:\/\/[^/]|mailto:)/, `only safe links: ${href}`);
    });
  }

  it("accepts only absolute http, https and mailto addresses", () => {
    assert.equal(safeHref("https://example.com/x"), "https://example.com/x");
    assert.equal(safeHref("mailto:ben@example.com"), "mailto:ben@example.com");
    for (const bad of ["javascript:alert(1)", " javascript:alert(1)", "&#106;avascript:alert(1)", "/relative", "//host/x", "data:text/html,x", "mailto:", "https://", "file:///etc/passwd", "ftp://example.com"]) {
      assert.equal(safeHref(bad), null, bad);
    }
  });

  it("knows when a text cannot need it", () => {
    assert.equal(mightBeMarkdown("Lunch at noon?"), false);
    assert.equal(mightBeMarkdown("it's 3.5 s now, fine."), false);
    for (const text of ["**b**", "a_b_", "see https://x.y", "www.example.com", "ben@example.com", "> q", "- item", "1. item", "`c`", "<b>", "a\\*b"]) {
      assert.equal(mightBeMarkdown(text), true, text);
    }
  });
});

describe("avatars", () => {
  it("uses initials of the first and last word", () => {
    assert.equal(initials("Ana Lima"), "AL");
    assert.equal(initials("ben"), "B");
    assert.equal(initials("  Mary  Ann  Jones "), "MJ");
    assert.equal(initials("   "), "?");
    assert.equal(initials("𝒜lpha βeta"), "𝒜Β");
  });

  it("gives a user the same colour every time, and two users usually different ones", () => {
    assert.equal(avatarColour("64f0c0ffee"), avatarColour("64f0c0ffee"));
    const colours = new Set(Array.from({ length: 40 }, (_, i) => avatarColour(`user-${i}`)));
    assert.ok(colours.size >= 6, `${colours.size} colours for 40 users`);
  });
});
