import { markRead } from "@/lib/chat";
import { receiptRoute } from "../receipt-route";

/** Same semantics as `conversation:read`: raises the caller's read (and delivered) watermark. */
export const POST = receiptRoute("read", markRead, (result) => ({ lastReadSeq: result.readSeq }));
