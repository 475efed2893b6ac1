/**
 * The extension pages' own connection to the store (popup, options). Views may read IndexedDB
 * directly (an export reads every row: doing it here spares moving the whole file through a message);
 * they never write it: every write goes through the background worker. Opened on first use.
 */
import { openDb, type CommitteeDb } from './db';

let db: CommitteeDb | null = null;
export const readDb = (): CommitteeDb => (db ??= openDb());
