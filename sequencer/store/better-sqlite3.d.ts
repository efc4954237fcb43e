// Minimal typings for better-sqlite3 (no @types package is installed): what this project uses.
declare module 'better-sqlite3' {
  namespace Database {
    interface Statement {
      run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
      get(...params: unknown[]): unknown;
      all(...params: unknown[]): unknown[];
      iterate(...params: unknown[]): IterableIterator<unknown>;
      reader: boolean;
    }
    interface Database {
      prepare(sql: string): Statement;
      exec(sql: string): Database;
      pragma(sql: string, opts?: { simple?: boolean }): unknown;
      close(): Database;
      transaction<F extends (...args: never[]) => unknown>(fn: F): F;
      readonly open: boolean;
      readonly inTransaction: boolean;
    }
  }
  interface DatabaseConstructor {
    new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }): Database.Database;
  }
  const Database: DatabaseConstructor;
  export default Database;
}
