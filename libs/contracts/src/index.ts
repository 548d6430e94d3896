export * from './evaluation/canonical-evaluation.schema';
export * from './evaluation/score-result.schema';
