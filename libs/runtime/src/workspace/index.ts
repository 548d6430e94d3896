export * from './pages';
export * from './session';
export * from './gate';
export * from './audit-page.controller';
export * from './session.controller';
export * from './audit-labels';
