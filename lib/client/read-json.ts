/**
 * A route handler's JSON answer, or an Error with the message of its one error body
 * (`{ error: { code, message, … } }`) for people to read. No React.
 */
export async function readJson<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `The server answered ${response.status}`);
  return body;
}
