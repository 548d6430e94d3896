import type { MigrationInterface, QueryRunner } from 'typeorm';

export interface MigrationSteps {
  up(queryRunner: QueryRunner): Promise<void>;
  down(queryRunner: QueryRunner): Promise<void>;
}

export type MigrationClass = new () => MigrationInterface;

/**
 * A migration class whose name ends with its 13-digit timestamp, as TypeORM requires. Lets libraries hand out
 * parameterised migrations (one audit table per service …) without a class per service.
 */
export function defineMigration(name: string, timestamp: number, steps: MigrationSteps): MigrationClass {
  if (!/^\d{13}$/.test(String(timestamp)))
    throw new Error(`migration ${name}: timestamp must have 13 digits (got ${timestamp})`);
  const fullName = `${name.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
  const migration = class implements MigrationInterface {
    readonly name = fullName;
    up(queryRunner: QueryRunner) {
      return steps.up(queryRunner);
    }
    down(queryRunner: QueryRunner) {
      return steps.down(queryRunner);
    }
  };
  Object.defineProperty(migration, 'name', { value: fullName });
  return migration;
}
