// The part of bun:sqlite these tests use (bun-types is not installed: tsc checks under Node).
declare module 'bun:sqlite' {
  import type { SyncSqliteStatement } from '@fetch-session/sqlite';
  export class Database {
    constructor(filename?: string);
    prepare(text: string): SyncSqliteStatement;
    run(text: string): void;
    close(): void;
  }
}
