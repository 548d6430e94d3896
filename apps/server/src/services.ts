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

export function factoriesFor(service: ServiceName | 'all'): ServiceModuleFactory[] {
  return service === 'all' ? Object.values(SERVICES) : [SERVICES[service]];
}
