/**
 * Test harness: the drivers a server suite runs against. PGlite in memory always (one instance per test
 * file, a fresh schema per test); real Postgres too when TEST_DATABASE_URL is set (a fresh schema per test).
 */
import { PGlite } from '@electric-sql/pglite';
import { migrate, openPostgres, pgliteDb, type Db } from './db';

export interface TestDriver {
  name: string;
  /** A migrated database in a new, empty schema. */
  open(): Promise<Db>;
}

let lite: Promise<PGlite> | undefined;
let serial = 0;
const schemaName = () => `t_${process.pid}_${Date.now().toString(36)}_${serial++}`;

export const drivers: TestDriver[] = [
  {
    name: 'pglite',
    async open() {
      lite ??= PGlite.create();
      const db = await pgliteDb(await lite, () => {}, schemaName());
      await migrate(db);
      // The instance is shared by the file's tests: closing one test's database must not close it.
      return { ...db, close: async () => {} };
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: 'postgres',
          async open() {
            const url = process.env.TEST_DATABASE_URL!;
            const schema = schemaName();
            const db = await openPostgres(url, schema);
            await migrate(db);
            return {
              ...db,
              close: async () => {
                await db.exec(`DROP SCHEMA ${schema} CASCADE`);
                await db.close();
              },
            };
          },
        },
      ]
    : []),
];
