export * from './principal';
export * from './region-scope';
export * from './policy';
export * from './tokens';
export * from './secret';
export * from './nest';
