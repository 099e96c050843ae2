export * from './contract-lifecycle';
