import { connect } from 'node:net';

/** One HTTP/1.1 response as it was framed on the connection. */
export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: string;
  /** False when the connection ended before the framing (Content-Length or chunks) did. */
  readonly complete: boolean;
}

/** What a client reading the connection would make of it. */
export interface ParsedConnection {
  readonly responses: readonly RawResponse[];
  /** Set when bytes do not parse as a response: what a client would take for a corrupt stream. */
  readonly garbage?: string;
}

/**
 * Writes `requests` on one fresh keep-alive connection and returns every byte the server sent
 * until it closed the connection (the last request should say `Connection: close`, or the
 * server is expected to drop the connection).
 */
export function exchange(port: number, requests: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(requests));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset is how a server drops a connection mid-response; what arrived before still counts.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** A GET request line and headers, CRLF-framed. */
export function rawGet(path: string, headers: Record<string, string> = {}): string {
  const lines = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Splits a connection's bytes into responses the way a client does: status line and headers,
 * then a body framed by `Transfer-Encoding: chunked` or `Content-Length`. Strict on purpose:
 * bytes left over where the next status line should start are reported as `garbage`.
 */
export function parseResponses(bytes: Buffer): ParsedConnection {
  const text = bytes.toString('latin1');
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf('\r\n\r\n', at);
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?(?:\r\n|$)/.exec(text.slice(at));
    if (statusLine === null || statusLine[1] === undefined)
      return { responses, garbage: text.slice(at) };
    if (headEnd === -1) {
      responses.push({
        status: Number(statusLine[1]),
        headers: new Map(),
        body: '',
        complete: false,
      });
      return { responses };
    }
    const headers = new Map<string, string[]>();
    for (const line of text.slice(at, headEnd).split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    const status = Number(statusLine[1]);
    const framed = frameBody(text, headEnd + 4, headers);
    responses.push({ status, headers, body: framed.body, complete: framed.end !== undefined });
    if (framed.end === undefined) return { responses };
    at = framed.end;
  }
  return { responses };
}

function frameBody(
  text: string,
  start: number,
  headers: ReadonlyMap<string, readonly string[]>,
): { body: string; end?: number } {
  if (headers.get('transfer-encoding')?.includes('chunked')) {
    let body = '';
    let at = start;
    for (;;) {
      const sizeEnd = text.indexOf('\r\n', at);
      if (sizeEnd === -1) return { body };
      const size = Number.parseInt(text.slice(at, sizeEnd), 16);
      if (Number.isNaN(size)) return { body };
      const dataEnd = sizeEnd + 2 + size;
      if (text.length < dataEnd + 2) return { body: body + text.slice(sizeEnd + 2, dataEnd) };
      if (size === 0) return { body, end: dataEnd + 2 };
      body += text.slice(sizeEnd + 2, dataEnd);
      at = dataEnd + 2;
    }
  }
  const length = Number(headers.get('content-length')?.[0] ?? 0);
  if (text.length < start + length) return { body: text.slice(start) };
  return { body: text.slice(start, start + length), end: start + length };
}
