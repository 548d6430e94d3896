import { IntakeModule } from '../../intake/src/intake.module';
import { PublicationModule } from '../../publication/src/publication.module';
import { ReviewModule } from '../../review/src/review.module';
import { ScoringModule } from '../../scoring/src/scoring.module';
import type { ServiceModuleFactory } from '@jixiao/runtime';

/**
 * The composition root: the only place that knows all four services. Any subset runs in one process with the same
 * behaviour as separate processes, since the services only talk through the queues.
 */
export const SERVICES: Record<'intake' | 'scoring' | 'review' | 'publication', ServiceModuleFactory> = {
  intake: (ctx) => IntakeModule.forRoot(ctx),
  scoring: (ctx) => ScoringModule.forRoot(ctx),
  review: (ctx) => ReviewModule.forRoot(ctx),
  publication: (ctx) => PublicationModule.forRoot(ctx),
};

export type ServiceName = keyof typeof SERVICES;

/** The services `SERVICE` names (`all`, one, or a comma-separated list), in pipeline order, each once. */
export function factoriesFor(service: string): ServiceModuleFactory[] {
  if (service === 'all') return Object.values(SERVICES);
  const names = new Set(service.split(','));
  for (const name of names) if (!(name in SERVICES)) throw new Error(`SERVICE: unknown service ${JSON.stringify(name)}`);
  return (Object.keys(SERVICES) as ServiceName[]).filter((name) => names.has(name)).map((name) => SERVICES[name]);
}
