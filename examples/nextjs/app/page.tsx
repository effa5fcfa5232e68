// app/page.tsx: a Server Component reads the session (read-only here).
import { getSession } from '@fetch-session/next';
import { sessions } from '@/lib/sessions';
import { addOne, login, logout } from './actions';

export default async function Page() {
  const session = await getSession(sessions);
  const user = await session.get('user');
  if (!user) {
    return (
      <form action={login}>
        <p>Not signed in</p>
        <input name="email" type="email" defaultValue="ada@example.com" />
        <input name="password" type="password" />
        <button type="submit">Sign in</button>
      </form>
    );
  }
  const count = (await session.get('count')) ?? 0;
  return (
    <main>
      <p>{`Hello ${user.name}, count ${count}`}</p>
      <form action={addOne}>
        <button type="submit">Add one</button>
      </form>
      <form action={logout}>
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
