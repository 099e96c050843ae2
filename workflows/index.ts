export * from './contract-lifecycle';
export * from './payment-deadline';
