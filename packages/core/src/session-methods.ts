import type { Session } from './session.js';

/**
 * The {@link Session} methods that change the session: refused by a read-only session
 * (`manager.open(input, { readOnly: true })`) with a {@link SessionReadOnlyError}.
 */
export type SessionWriteMethod =
  | 'set'
  | 'delete'
  | 'clear'
  | 'flash'
  | 'takeFlash'
  | 'regenerate'
  | 'destroy'
  | 'setPermanent'
  | 'bindUser'
  | 'csrfToken'
  | 'markAuthenticated';

/**
 * Every {@link Session} method, and whether it only reads or changes the session. Typed over
 * `keyof Session`, so a method added to the interface does not compile until it is listed
 * here, and the read-only tests iterate this table: a new write method cannot slip through.
 */
export const SESSION_METHODS: {
  readonly [K in keyof Session]-?: K extends SessionWriteMethod ? 'write' : 'read';
} = {
  get: 'read',
  set: 'write',
  delete: 'write',
  has: 'read',
  keys: 'read',
  all: 'read',
  clear: 'write',
  flash: 'write',
  peekFlash: 'read',
  takeFlash: 'write', // taking a flash removes it
  regenerate: 'write',
  destroy: 'write',
  setPermanent: 'write',
  isPermanent: 'read',
  isNew: 'read',
  bindUser: 'write',
  userId: 'read',
  handle: 'read',
  csrfToken: 'write', // issues (stores) a token on first use
  verifyCsrfToken: 'read',
  times: 'read',
  isFresh: 'read',
  markAuthenticated: 'write',
};
