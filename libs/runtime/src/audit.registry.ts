import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { type AuditPage, type AuditSearch, searchAudit, verifyAudit } from '@jixiao/persistence';

export type ChainVerification =
  | { ok: true; records: number }
  | { ok: false; records: number; firstBad: { seq: number; reason: string; [k: string]: unknown } };

/** A service's audit log as the process shows it: its chain checked, its records searched. */
export interface AuditChain {
  verify(): Promise<ChainVerification>;
  search(q: AuditSearch): Promise<AuditPage>;
}

/** The audit log in `table` of a service's database. */
export function auditChainOf(dataSource: DataSource, table: string): AuditChain {
  return {
    verify: () => verifyAudit(dataSource, table),
    search: (q) => searchAudit(dataSource.manager, table, q),
  };
}

/** Each service registers its audit log; GET /audit/verify checks them all, GET /audit/records searches one. */
@Injectable()
export class AuditRegistry {
  private readonly chains = new Map<string, AuditChain>();

  register(service: string, chain: AuditChain): void {
    if (this.chains.has(service)) throw new Error(`audit chain ${service} registered twice`);
    this.chains.set(service, chain);
  }

  /** The services whose logs this process holds, in the order they registered. */
  services(): string[] {
    return [...this.chains.keys()];
  }

  /** A service's records that match, newest first; undefined when this process does not run the service. */
  search(service: string, q: AuditSearch): Promise<AuditPage> | undefined {
    return this.chains.get(service)?.search(q);
  }

  async verifyAll(): Promise<{ ok: boolean; records: number; chains: Record<string, ChainVerification> }> {
    const chains: Record<string, ChainVerification> = {};
    for (const [name, chain] of this.chains) chains[name] = await chain.verify();
    const all = Object.values(chains);
    const ok = all.every((c) => c.ok);
    const records = all.reduce((n, c) => n + c.records, 0);
    return { ok, records, chains };
  }
}
