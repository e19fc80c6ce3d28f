// One file's upload: POST /api/uploads?name=… with the file's bytes as the body (not multipart:
// the route streams it to storage as it comes). In the browser through XMLHttpRequest, the one
// API that reports upload progress; elsewhere through fetch, without progress.
import type { ErrorBody } from "../errors";
import type { Ack } from "../realtime/events";
import type { FileDto } from "../schemas/dto";
import type { UploadFile } from "./outbox-files";

const uploadPath = (name: string) => `/api/uploads?name=${encodeURIComponent(name)}`;

/** The server's answer as an ack; an answer without the error shape (a proxy's page) is judged by its status. */
export function uploadAnswer(status: number, body: unknown): Ack<{ file: FileDto }> {
  const json = body as { file?: FileDto; error?: ErrorBody } | null;
  if (status >= 200 && status < 300 && json?.file) return { ok: true, data: { file: json.file } };
  if (json?.error) return { ok: false, error: json.error };
  if (status === 413) return { ok: false, error: { code: "TOO_LARGE", message: "This file is too large to send", retryable: false } };
  const retryable = status >= 500 || status === 429 || status === 408;
  return { ok: false, error: { code: retryable ? "UNAVAILABLE" : "INTERNAL", message: `The upload failed (HTTP ${status})`, retryable } };
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** The browser's upload, same-origin with the session cookie. A network failure rejects, as an abort does. */
export const xhrUpload: UploadFile = (file, { signal, onProgress }) =>
  new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", uploadPath(file.name));
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => resolve(uploadAnswer(xhr.status, parse(xhr.responseText)));
    xhr.onerror = () => reject(new TypeError("The upload could not reach Parley"));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new DOMException("The upload was cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    // A Blob body: the browser sends its Content-Length, so an oversized file is refused before it is read.
    xhr.send(file.blob);
  });

/** For clients that are not a browser page (scripts, bots, Node tests): fetch, progress only at the end. */
export function fetchUpload({
  baseUrl,
  headers,
  fetch: doFetch = fetch,
}: {
  baseUrl: string;
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}): UploadFile {
  return async (file, { signal, onProgress }) => {
    const response = await doFetch(`${baseUrl}${uploadPath(file.name)}`, {
      method: "POST",
      headers: { "content-type": file.type || "application/octet-stream", ...(await headers()) },
      body: file.blob,
      signal,
      cache: "no-store",
    });
    const answer = uploadAnswer(response.status, parse(await response.text()));
    if (answer.ok) onProgress(file.size);
    return answer;
  };
}
