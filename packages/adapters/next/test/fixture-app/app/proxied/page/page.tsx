// Behind the proxy: renders the session and the cookie value this render received.
import { getSession } from '@fetch-session/next';
import { cookies } from 'next/headers';
import { sessions } from '../../../lib/sessions';

export default async function ProxiedPage() {
  const session = await getSession(sessions);
  const user = (await session.get('user')) ?? 'none';
  const cookie = (await cookies()).get('sid')?.value ?? 'none';
  return (
    <main>
      <p id="user">{`user=${user}`}</p>
      <p id="cookie">{`cookie=${cookie}`}</p>
    </main>
  );
}
