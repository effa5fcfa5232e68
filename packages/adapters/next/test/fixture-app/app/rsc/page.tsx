// A Server Component: the session is read-only here.
import { getSession } from '@fetch-session/next';
import { sessions } from '../../lib/sessions';

export default async function ServerComponentPage({
  searchParams,
}: {
  searchParams: Promise<{ write?: string }>;
}) {
  const session = await getSession(sessions);
  const user = (await session.get('user')) ?? 'none';
  // Layouts and pages of one request share one read-only session (one store read).
  const shared = (await getSession(sessions)) === session;
  let writeResult = 'not-attempted';
  if ((await searchParams).write === '1') {
    try {
      await session.set('count', 99);
      writeResult = 'written';
    } catch (error) {
      const { name, code, message } = error as Error & { code?: string };
      writeResult = `${name}:${code}:${message}`;
    }
  }
  return (
    <main>
      <p id="user">{`user=${user}`}</p>
      <p id="read-only">{`readOnly=${session.readOnly}`}</p>
      <p id="shared">{`shared=${shared}`}</p>
      <p id="write">{`write=${writeResult}`}</p>
    </main>
  );
}
