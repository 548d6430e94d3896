/** Nest injection tokens of the intake service (its own DataSource, messaging and rule-set registry). */
export const INTAKE_DATA_SOURCE = Symbol('INTAKE_DATA_SOURCE');
export const INTAKE_MESSAGING = Symbol('INTAKE_MESSAGING');
export const INTAKE_REGISTRY = Symbol('INTAKE_REGISTRY');
