export * from './rule-set';
export * from './rules-engine';
export * from './engine';
