export * from './config';
export * from './redis-bootstrap';
