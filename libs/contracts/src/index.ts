export * from './evaluation/canonical-evaluation.schema';
export * from './evaluation/score-result.schema';
export * from './events';
export * from './queues';
export * from './routing';
export * from './zod-issue-zh';
export * from './evaluation-states';
export * from './roster';
