export * from './auth.decorators';
export * from './jwt-auth.guard';
export * from './assert-allowed';
export * from './refusal';
