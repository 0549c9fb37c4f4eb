import type { ColumnType, Generated } from 'kysely';

/**
 * The Database interface: one entry per table, camelCase columns (CamelCasePlugin maps them
 * to snake_case). Migrations never import this file; it describes their result.
 */
export interface Database {
  appMeta: AppMetaTable;
}

export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Small key/value facts about this installation (e.g. when demo data was seeded). */
export interface AppMetaTable {
  key: string;
  value: unknown;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type { Generated };
