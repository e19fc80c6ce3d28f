import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unreadTotal } from "../../components/chat/use-tab-title";
import type { ConversationDto } from "../../lib/schemas/dto";

const conversation = (fields: Partial<ConversationDto>): ConversationDto =>
  ({ id: "c", kind: "direct", name: null, members: [], lastSeq: 0, lastMessage: null, createdAt: "", lastActivityAt: "", unreadCount: 0, lastReadSeq: 0, markedUnread: false, unreadMentions: 0, muted: false, ...fields }) as ConversationDto;

describe("tab title count", () => {
  it("adds unread messages, one per conversation marked unread without any, and leaves muted ones out", () => {
    assert.equal(
      unreadTotal([
        conversation({ unreadCount: 3 }),
        conversation({ markedUnread: true }),
        conversation({ unreadCount: 2, markedUnread: true }),
        conversation({ unreadCount: 7, muted: true }),
        conversation({ markedUnread: true, muted: true }),
      ]),
      6,
    );
    assert.equal(unreadTotal([]), 0);
  });
});
