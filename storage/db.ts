/**
 * The IndexedDB schema (Dexie). Only the background worker writes; popup and options may read.
 * Every schema version is listed here, each with its upgrade, and each has a migration test in
 * tests/unit/storage-migrations.test.ts (write data at the previous version, open at this one).
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Mutation } from '../domain/mutations';
import type { Account, Contact, Deal, Membership, Note, TableName } from '../domain/model';

export const DB_NAME = 'committee-lens';

/** A queued local mutation, waiting to be pushed to the team sync service. */
export interface OutboxEntry {
  seq?: number;
  clientId: string;
  mutationId: number;
  mutation: Mutation;
}

/** Local key/value state: client identity, mutation counter, settings, sync cursor. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Derived, local-only: the risk of each committee, kept current on every write, for ranking. */
export interface RiskRow {
  committeeKey: string;
  score: number;
  level: 'low' | 'medium' | 'high';
  name: string;
  updatedAt: number;
}

/** Index definitions per version. Never edit a released version: add a new one with its upgrade. */
export const SCHEMA_VERSIONS: { version: number; stores: Record<string, string> }[] = [
  {
    version: 1,
    stores: {
      contacts: 'key, accountKey, reportsTo, updatedAt',
      accounts: 'key, updatedAt',
      deals: 'key, accountKey, updatedAt',
      memberships: 'key, committeeKey, contactKey, accountKey, dealKey, updatedAt',
      notes: 'key, contactKey, [contactKey+createdAt], committeeKey',
      outbox: '++seq',
      meta: 'key',
      risk: 'committeeKey, score',
    },
  },
];

export type CommitteeDb = Dexie & {
  contacts: EntityTable<Contact, 'key'>;
  accounts: EntityTable<Account, 'key'>;
  deals: EntityTable<Deal, 'key'>;
  memberships: EntityTable<Membership, 'key'>;
  notes: EntityTable<Note, 'key'>;
  outbox: EntityTable<OutboxEntry, 'seq'>;
  meta: EntityTable<MetaRow, 'key'>;
  risk: EntityTable<RiskRow, 'committeeKey'>;
};

export function openDb(name = DB_NAME, versions = SCHEMA_VERSIONS): CommitteeDb {
  const db = new Dexie(name) as CommitteeDb;
  for (const v of versions) db.version(v.version).stores(v.stores);
  return db;
}

/** The synced tables, in the order a write transaction touches them. */
export const SYNCED_TABLES: readonly TableName[] = ['contacts', 'accounts', 'deals', 'memberships', 'notes'];
