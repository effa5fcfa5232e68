// A stand-in for your user database and password check.
export async function checkPassword(
  email: FormDataEntryValue | null,
  password: FormDataEntryValue | null,
): Promise<{ id: string; name: string } | undefined> {
  if (email === 'ada@example.com' && password === 'correct horse') return { id: '1', name: 'Ada' };
  return undefined;
}
