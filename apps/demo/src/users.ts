import { hashPassword, type PasswordHash, verifyPassword } from './password.js';

interface DemoUser {
  email: string;
  name: string;
  password: Promise<PasswordHash>;
}

let demoUser: DemoUser | undefined;

// Hashed on first use, not at import: the hash takes a noticeable moment by design.
function users(): DemoUser[] {
  demoUser ??= {
    email: 'test@example.com',
    name: 'Test User',
    password: hashPassword('password123'),
  };
  return [demoUser];
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
