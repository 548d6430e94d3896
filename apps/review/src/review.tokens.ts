/** The review service's own DataSource (never shared with another service's module). */
export const REVIEW_DATA_SOURCE = Symbol('REVIEW_DATA_SOURCE');
/** The ServiceContext the module was built with. */
export const REVIEW_CONTEXT = Symbol('REVIEW_CONTEXT');
