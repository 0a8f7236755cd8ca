import type { ColumnType, Selectable } from 'kysely';

/** Kysely types of `instance_key` (migration 0010-instance-keys). */
export interface InstanceKeyTable {
  purpose: string;
  fingerprint: string;
  public_key_armored: string;
  private_key_sealed: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InstanceKeyTables {
  instance_key: InstanceKeyTable;
}

export type InstanceKey = Selectable<InstanceKeyTable>;
