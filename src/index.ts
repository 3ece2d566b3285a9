export * from './agent';
export * from './binding';
export * from './cluster-role';
export * from './eks-access-role';
export * from './username';
export * from './session-names';
export * from './cluster-access';
export * from './delivery';
