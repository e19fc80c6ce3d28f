import { markDelivered } from "@/lib/chat";
import { receiptRoute } from "../receipt-route";

/** Same semantics as `conversation:delivered`: this client holds everything up to `seq` (a "read" token may say so). */
export const POST = receiptRoute("delivered", markDelivered, (result) => ({ lastDeliveredSeq: result.deliveredSeq }), "read");
