/** Nest injection tokens of the scoring service. */
export const SCORING_DATA_SOURCE = Symbol('SCORING_DATA_SOURCE');
export const SCORING_MESSAGING = Symbol('SCORING_MESSAGING');
export const SCORING_REGISTRY = Symbol('SCORING_REGISTRY');
export const SCORING_RESCORE_QUEUE = Symbol('SCORING_RESCORE_QUEUE');
