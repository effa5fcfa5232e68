import { getSession } from '@fetch-session/next';
import { sessions } from '../../lib/sessions';
import { increment, logoutWithSave } from './actions';

export default async function ActionPage() {
  // Rendered again after an action in the same request: it must see what the action saved.
  const session = await getSession(sessions);
  const count = (await session.get('count')) ?? 0;
  return (
    <main>
      <p id="count">{`count=${count}`}</p>
      <form
        action={async () => {
          'use server';
          await increment();
        }}
      >
        <button type="submit">Increment</button>
      </form>
      <form
        action={async () => {
          'use server';
          await logoutWithSave();
        }}
      >
        <button type="submit">Log out</button>
      </form>
    </main>
  );
}
