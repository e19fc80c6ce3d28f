// Messages with files in the client state: the upload's progress on the pending bubble, and the
// conversation list's line for a message whose text is only a caption.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pending } from "../../lib/client/chat-state";
import { initialChatState } from "../../lib/client/initial-state";
import { chatReducer } from "../../lib/client/store";
import { messagePreview } from "../../lib/schemas/previews";
import type { AttachmentDto, ConversationDto, MessageDto } from "../../lib/schemas/dto";

const ME = "aaaaaaaaaaaaaaaaaaaaaaaa";
const OTHER = "bbbbbbbbbbbbbbbbbbbbbbbb";
const C1 = "c00000000000000000000001";

const photo = (name: string): AttachmentDto => ({ id: `f-${name}`, name, type: "image/jpeg", size: 1000, kind: "image", width: 4, height: 3 });
const pdf: AttachmentDto = { id: "f-pdf", name: "report.pdf", type: "application/pdf", size: 5000, kind: "file" };

describe("attachments in the client state", () => {
  it("words a message with files for the conversation list", () => {
    const preview = (attachments: AttachmentDto[], text = "") => messagePreview({ text, attachments });
    assert.equal(preview([photo("a.jpg")]), "📷 Photo");
    assert.equal(preview([photo("a.jpg"), photo("b.jpg"), photo("c.jpg")]), "📷 3 photos");
    assert.equal(preview([photo("a.jpg")], "  Look\n at this "), "📷 Look at this");
    assert.equal(preview([pdf]), "📎 report.pdf");
    assert.equal(preview([pdf, photo("a.jpg")]), "📎 2 files");
    assert.equal(preview([{ ...pdf, kind: "video", name: "clip.mp4" }]), "🎥 Video");
    assert.equal(messagePreview({ text: "x".repeat(200) }), `${"x".repeat(119)}…`);
  });

  it("previews a live photo without a caption in the list, not an empty line", () => {
    const conversation: ConversationDto = { id: C1, kind: "direct", name: null, members: [], lastSeq: 0, lastMessage: null, createdAt: "2025-01-01T00:00:00.000Z", lastActivityAt: "2025-01-01T00:00:00.000Z", unreadCount: 0, lastReadSeq: 0, markedUnread: false, muted: false, unreadMentions: 0 };
    const message: MessageDto = { id: "m1", conversationId: C1, seq: 1, version: 1, senderId: OTHER, senderName: "Ben", clientMsgId: "00000000-0000-4000-8000-000000000001", kind: "text", text: "", attachments: [photo("a.jpg")], replyTo: null, replyPreview: null, mentions: [], createdAt: "2025-01-01T00:00:01.000Z", editedAt: null, deletedAt: null, reactions: [], pinnedAt: null, pinnedBy: null };
    const state = chatReducer(initialChatState({ me: ME, conversations: [conversation] }), { type: "messages/apply", messages: [message], countUnread: true });
    assert.equal(state.conversations[0]?.lastMessage?.preview, "📷 Photo");
  });

  it("keeps the upload's progress on the pending message through a change of state, and drops it when the upload ends", () => {
    const pending: Pending = { clientMsgId: "p1", conversationId: C1, text: "", status: "sending", error: null, retryable: true, createdAt: "2025-01-01T00:00:00.000Z", order: 1 };
    let state = chatReducer(initialChatState({ me: ME }), { type: "pending/upsert", pending });
    state = chatReducer(state, { type: "pending/progress", clientMsgId: "p1", progress: { loaded: 50, total: 200 } });
    assert.deepEqual(state.pending[0]?.progress, { loaded: 50, total: 200 });
    state = chatReducer(state, { type: "pending/upsert", pending: { ...pending, error: "Could not reach Parley" } });
    assert.deepEqual(state.pending[0]?.progress, { loaded: 50, total: 200 });
    state = chatReducer(state, { type: "pending/progress", clientMsgId: "p1", progress: null });
    assert.equal("progress" in state.pending[0]!, false);
    assert.equal(chatReducer(state, { type: "pending/progress", clientMsgId: "gone", progress: { loaded: 1, total: 2 } }), state);
  });
});
