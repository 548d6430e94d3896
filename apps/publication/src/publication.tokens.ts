/** The publication service's own DataSource (each service opens its own, even when all four share a process). */
export const PUBLICATION_DATA_SOURCE = Symbol('PUBLICATION_DATA_SOURCE');
