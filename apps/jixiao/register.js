// Runs TypeScript sources directly with SWC (decorator metadata for NestJS/TypeORM, tsconfig path aliases).
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '../../tsconfig.json');
require('@swc-node/register');
