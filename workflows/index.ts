export * from './contract-lifecycle';
export * from './payment-deadline';
export * from './renewal-digest';
