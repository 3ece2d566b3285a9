import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DOCS } from './docs';
import { fail } from './errors';

interface Grant {
  readonly path: string;
  readonly cluster: string;
  readonly principal: string;
  readonly prefix: string;
}

/** Every grant of access to a cluster in one app, keyed by the app's root construct. */
const grants = new WeakMap<IConstruct, Grant[]>();

/**
 * Records that `scope` grants `principal` access to the cluster (by account, region and name) with `prefix`, and fails if another construct of
 * the same app already does either: EKS allows one access entry per principal per cluster, and two constructs with
 * one prefix would map their sessions to the same Kubernetes users.
 */
/** A cluster as the registry knows it: by account, region and name. */
export interface ClusterKey {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
}

export function registerClusterGrant(scope: IConstruct, cluster: ClusterKey, principalArn: string, prefix: string): void {
  const clusterName = cluster.clusterName;
  // Clusters and roles are often tokens: compare them resolved, which is stable for the same resource.
  const stack = Stack.of(scope);
  const grant: Grant = {
    path: scope.node.path,
    cluster: JSON.stringify(stack.resolve([cluster.account, cluster.region, clusterName])),
    principal: JSON.stringify(stack.resolve(principalArn)),
    prefix,
  };
  const others = grants.get(scope.node.root) ?? [];
  for (const other of others.filter((o) => o.cluster === grant.cluster)) {
    if (other.principal === grant.principal) {
      fail({
        prop: 'cluster',
        value: clusterName,
        rule: `${other.path} already grants the same role access to this cluster, and EKS allows one access entry per principal per cluster`,
        fix: `keep one of ${other.path} and ${grant.path}, and move the other's bindings into it`,
        see: DOCS.creatingAccessEntries,
      }, scope);
    }
    if (other.prefix === grant.prefix) {
      fail({
        prop: 'usernamePrefix',
        value: prefix,
        rule: `${other.path} uses the same prefix on this cluster, so sessions of both roles would become the same Kubernetes users`,
        fix: `give ${grant.path} a usernamePrefix of its own, for example ${JSON.stringify(`${prefix}-${scope.node.id.toLowerCase()}`)}`,
        see: DOCS.customUsername,
      }, scope);
    }
  }
  grants.set(scope.node.root, [...others, grant]);
}
