import type { Actor } from '@jixiao/contracts';

/** The pipeline acting on its own (auto-approval); events from other services are attributed to their service. */
export const SYSTEM: Actor = { user: 'system', role: 'system' };
export const serviceActor = (service: string): Actor => ({ user: service, role: 'system' });
