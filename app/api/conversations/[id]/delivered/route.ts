import { markDelivered } from "@/lib/chat";
import { receiptRoute } from "../receipt-route";

/** Same semantics as `conversation:delivered`: this client holds everything up to `seq`. */
export const POST = receiptRoute("delivered", markDelivered, (result) => ({ lastDeliveredSeq: result.deliveredSeq }));
