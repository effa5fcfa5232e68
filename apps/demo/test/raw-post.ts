import { request } from 'node:http';

/** How {@link postWithoutEnding} frames its body. */
export interface UnfinishedBody {
  /** A `Content-Length` to announce; without it the body is sent chunked. */
  declaredLength?: number;
  /**
   * Bytes to write (in 16 KiB chunks) while waiting for an answer. Keep it just past what the
   * server must read to decide: a server that closes with unread bytes in its socket sends a TCP
   * reset, which can overtake its answer (seen with Miniflare on a busy machine).
   */
  sendBytes: number;
}

/**
 * Posts a form body that never ends: it writes `sendBytes`, then waits without finishing the
 * request. An answer can only come from a server that decided before reading the whole body,
 * which is what a body limit must do. Resolves with the status and the bytes written by then.
 */
export function postWithoutEnding(
  url: string,
  body: UnfinishedBody,
): Promise<{ status: number; bytesSent: number }> {
  const { origin } = new URL(url);
  const headers: Record<string, string> = {
    origin,
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (body.declaredLength !== undefined) headers['content-length'] = String(body.declaredLength);
  return new Promise((resolve, reject) => {
    const post = request(url, { method: 'POST', headers });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let bytesSent = 0;
    let answered = false;
    // Not a timing assertion: it turns "the server waits for the body forever" into a failure.
    const giveUp = setTimeout(() => {
      post.destroy();
      reject(new Error(`no answer after ${bytesSent} bytes of an unfinished body`));
    }, 20_000);
    post.on('response', (response) => {
      answered = true;
      clearTimeout(giveUp);
      resolve({ status: response.statusCode ?? 0, bytesSent });
      response.resume();
      post.destroy();
    });
    post.on('error', (error) => {
      if (answered) return; // the server may close the connection once it has answered
      clearTimeout(giveUp);
      reject(error);
    });
    post.flushHeaders();
    const pump = () => {
      if (answered || bytesSent >= body.sendBytes) return;
      post.write(chunk);
      bytesSent += chunk.length;
      setImmediate(pump);
    };
    pump();
  });
}
