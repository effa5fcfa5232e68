/**
 * The few memcached binary-protocol requests the store needs, sent through memjs's own
 * connection handling (`perform`: server selection, SASL, retries, failover). memjs has no
 * API for CAS, and CAS is what makes a patch atomic, so the store builds these requests
 * itself (a 24-byte header; see the memcached binary protocol:
 * https://github.com/memcached/memcached/wiki/BinaryProtocolRevamped).
 * @module
 */

/** Opcodes used (binary protocol). */
export const Opcode = { get: 0x00, set: 0x01, add: 0x02, delete: 0x04 } as const;

/** Response statuses the store tells apart. */
export const Status = { ok: 0x0000, notFound: 0x0001, exists: 0x0002, notStored: 0x0005 } as const;

/** The part of a `memjs` `Client` the store uses. */
export interface MemjsClient {
  seq: number;
  incrSeq(): void;
  perform(
    key: string,
    request: Uint8Array,
    seq: number,
    callback: (error: Error | null, response: MemjsResponse | null) => void,
  ): void;
}

/** A response as memjs hands it to `perform`'s callback. */
export interface MemjsResponse {
  readonly header: { readonly status: number; readonly cas: Uint8Array };
  readonly val: Uint8Array;
}

/** One request's answer: the status, the value (GET) and the item's CAS token. */
export interface Reply {
  readonly status: number;
  readonly value: Uint8Array;
  readonly cas: Uint8Array;
}

/** A status the store did not expect (out of memory, too large, auth...). Names no key. */
export class MemcachedStatusError extends Error {
  override name = 'MemcachedStatusError';
  readonly code: string;
  constructor(operation: string, status: number) {
    super(`memcached answered status 0x${status.toString(16).padStart(4, '0')} to ${operation}`);
    this.code = `MEMCACHED_STATUS_${status}`;
  }
}

const CAS_OFFSET = 16;

const encoder = new TextEncoder();

/** A binary-protocol request: the 24-byte header (magic 0x80), extras, key, value. */
export function requestBytes(request: {
  readonly opcode: number;
  readonly key: string;
  readonly extras?: Uint8Array;
  readonly value?: string;
  readonly cas?: Uint8Array;
  readonly opaque: number;
}): Uint8Array {
  const key = encoder.encode(request.key);
  const extras = request.extras ?? new Uint8Array(0);
  const value = encoder.encode(request.value ?? '');
  const bytes = new Uint8Array(24 + extras.length + key.length + value.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x80);
  view.setUint8(1, request.opcode);
  view.setUint16(2, key.length);
  view.setUint8(4, extras.length);
  view.setUint32(8, extras.length + key.length + value.length);
  view.setUint32(12, request.opaque);
  if (request.cas !== undefined) bytes.set(request.cas.subarray(0, 8), CAS_OFFSET);
  bytes.set(extras, 24);
  bytes.set(key, 24 + extras.length);
  bytes.set(value, 24 + extras.length + key.length);
  return bytes;
}

/** Sends one request through memjs and resolves to its reply. */
export function sendRequest(
  client: MemjsClient,
  request: {
    readonly opcode: number;
    readonly key: string;
    readonly extras?: Uint8Array;
    readonly value?: string;
    readonly cas?: Uint8Array;
  },
): Promise<Reply> {
  client.incrSeq();
  const seq = client.seq;
  const buffer = requestBytes({ ...request, opaque: seq });
  return new Promise((resolve, reject) => {
    client.perform(request.key, buffer, seq, (error, response) => {
      if (error !== null || response === null) {
        reject(error ?? new Error('memcached gave no response'));
        return;
      }
      resolve({ status: response.header.status, value: response.val, cas: response.header.cas });
    });
  });
}

/** SET/ADD extras: 4 bytes of flags (0), 4 bytes of expiration. */
export function storageExtras(expiration: number): Uint8Array {
  const extras = new Uint8Array(8);
  new DataView(extras.buffer).setUint32(4, expiration);
  return extras;
}
