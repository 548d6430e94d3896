export * from './config';
export * from './redis-bootstrap';
export * from './service-context';
export * from './health.registry';
export * from './runtime.module';
export * from './http-app';
export * from './audit.registry';
export * from './run-services';
