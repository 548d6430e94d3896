export * from './html';
export * from './format';
export * from './page';
