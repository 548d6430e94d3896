export * from './pages';
export * from './session';
export * from './gate';
