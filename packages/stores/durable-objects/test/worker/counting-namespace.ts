import type { SessionObjectNamespace, SessionObjectStub } from '@fetch-session/durable-objects';

const METHODS = [
  'load',
  'meta',
  'write',
  'delete',
  'addMember',
  'removeMembers',
  'members',
] as const satisfies ReadonlyArray<keyof SessionObjectStub>;

/** Calls to objects by method: each is one RPC round trip (and one Workers subrequest). */
export type ObjectCalls = Record<(typeof METHODS)[number], number>;

/** Wraps a namespace binding and counts every RPC call made through its stubs. */
export function countObjectCalls(namespace: SessionObjectNamespace): {
  readonly namespace: SessionObjectNamespace;
  /** The calls since the last `take()`. */
  take(): ObjectCalls;
} {
  const zero = (): ObjectCalls =>
    Object.fromEntries(METHODS.map((method) => [method, 0])) as ObjectCalls;
  let calls = zero();
  return {
    namespace: {
      idFromName: (name) => namespace.idFromName(name),
      get(id) {
        const stub = namespace.get(id);
        const counted = Object.fromEntries(
          METHODS.map((method) => [
            method,
            (...args: unknown[]) => {
              calls[method]++;
              return (stub[method] as (...a: unknown[]) => unknown)(...args);
            },
          ]),
        );
        return counted as unknown as SessionObjectStub;
      },
    },
    take() {
      const taken = calls;
      calls = zero();
      return taken;
    },
  };
}
