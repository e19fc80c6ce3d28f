import type { AppError, ErrorBody } from "../../lib/errors";

/**
 * A middleware's refusal as Socket.IO delivers it: the client's `connect_error` gets an Error
 * whose `message` is the error's message and whose `data` is the one error body
 * (`{ code, message, retryable, retryAfterMs? }`), as every ack and HTTP answer carries it.
 */
export function handshakeError(error: AppError): Error & { data: ErrorBody } {
  return Object.assign(new Error(error.message), { data: error.toBody() });
}
