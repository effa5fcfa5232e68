import { hashPassword, type PasswordHash, verifyPassword } from './password.js';

interface DemoUser {
  email: string;
  name: string;
  password: Promise<PasswordHash>;
}

// The accounts live in this process (or Worker isolate) only, like the demo itself: a changed
// password lasts until it restarts, and each Worker isolate keeps its own copy. A real app
// keeps users in its database. `reset@example.com` is the account of the password-reset
// exercise, so the login examples keep `test@example.com` as documented.
let demoUsers: DemoUser[] | undefined;

// Hashed on first use, not at import: the hash takes a noticeable moment by design.
function users(): DemoUser[] {
  demoUsers ??= [
    { email: 'test@example.com', name: 'Test User', password: hashPassword('password123') },
    { email: 'reset@example.com', name: 'Reset User', password: hashPassword('password123') },
  ];
  return demoUsers;
}

/** Whether an account with this email exists. */
export function accountExists(email: string): boolean {
  return users().some((user) => user.email === email.trim().toLowerCase());
}

/** Replaces a user's password (hashed with PBKDF2), in this process only. */
export async function setPassword(email: string, password: string): Promise<boolean> {
  const user = users().find((candidate) => candidate.email === email);
  if (user === undefined) return false;
  const hashed = hashPassword(password);
  await hashed;
  user.password = hashed;
  return true;
}

/** The user with these credentials, or `undefined`. Always runs one hash, found or not. */
export async function authenticate(
  email: string,
  password: string,
): Promise<{ email: string; name: string } | undefined> {
  const all = users();
  const user = all.find((candidate) => candidate.email === email.trim().toLowerCase());
  // Verify against some hash even for unknown emails, so timing does not reveal which exist.
  const ok = await verifyPassword(password, await (user ?? (all[0] as DemoUser)).password);
  return user !== undefined && ok ? { email: user.email, name: user.name } : undefined;
}
