export * from './rule.types';
export * from './operators';
export { createEngine, runNaive } from './naive-engine';
export { compileRules, compileCondition, type CompiledRules } from './compiled-rules';
export { SIMPLE_PATH } from './fact-path';
