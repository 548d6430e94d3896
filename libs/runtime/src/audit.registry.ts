import { Injectable } from '@nestjs/common';

export type ChainVerification =
  | { ok: true; records: number }
  | { ok: false; records: number; firstBad: { seq: number; reason: string; [k: string]: unknown } };

/** Each service registers how to verify its own audit chain; GET /audit/verify runs them all. */
@Injectable()
export class AuditRegistry {
  private readonly chains = new Map<string, () => Promise<ChainVerification>>();

  register(service: string, verify: () => Promise<ChainVerification>): void {
    if (this.chains.has(service)) throw new Error(`audit chain ${service} registered twice`);
    this.chains.set(service, verify);
  }

  async verifyAll(): Promise<{ ok: boolean; records: number; chains: Record<string, ChainVerification> }> {
    const chains: Record<string, ChainVerification> = {};
    for (const [name, verify] of this.chains) chains[name] = await verify();
    const all = Object.values(chains);
    const ok = all.every((c) => c.ok);
    const records = all.reduce((n, c) => n + c.records, 0);
    return { ok, records, chains };
  }
}
