// Benchmark app (b): the same resources written by hand with aws-cdk-lib only (iam.Role, iam.ManagedPolicy,
// eks.CfnAccessEntry, eks.KubernetesManifest with the RBAC objects as plain JSON). It reproduces what the construct
// emits, construct paths included, so scripts/bench.js can check that both apps synthesize the same template.
const { createHash } = require('crypto');
const { SESSION_PATTERN, performance, sessionNames, surroundings, synthAndReport } = require('./bench-common');
const eks = require('aws-cdk-lib/aws-eks');
const iam = require('aws-cdk-lib/aws-iam');
const { Construct } = require('constructs');
const loaded = performance.now();

const PREFIX = 'eks-access-role';
const RBAC = 'rbac.authorization.k8s.io';
const sha256 = (s) => createHash('sha256').update(s).digest();
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

/** `<prefix>-<session>-<role>-<hash>`: a DNS-1123 name that changes exactly when the roleRef changes. */
function bindingName(sessionName, clusterRole) {
  const readable = [PREFIX, sessionName, clusterRole].map(slug).filter((s) => s.length > 0).join('-').slice(0, 54).replace(/-+$/, '');
  return `${readable}-${sha256(JSON.stringify([PREFIX, 'User', sessionName, 'ClusterRole', clusterRole])).toString('hex').slice(0, 8)}`;
}

const { app, stack, cluster, agentRole } = surroundings();
const scope = new Construct(stack, 'Access');

const role = new iam.Role(scope, 'Role', {
  description: 'Assumed by access gateway agents to authenticate to EKS (cdk-eks-access-role)',
  assumedBy: new iam.ArnPrincipal(agentRole.roleArn).withConditions({ StringLike: { 'sts:RoleSessionName': [SESSION_PATTERN] } }),
});
new iam.ManagedPolicy(scope, 'AgentPolicy', {
  description: 'Lets the access gateway agent assume its EKS role (cdk-eks-access-role)',
  statements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role.roleArn] })],
  roles: [agentRole],
});
new eks.CfnAccessEntry(scope, 'AccessEntry', {
  clusterName: cluster.clusterName,
  principalArn: role.roleArn,
  type: 'STANDARD',
  username: `${PREFIX}:{{SessionNameRaw}}`,
});

// One ClusterRoleBinding per session, in 16 manifests chosen by a hash of the session, so one session never moves.
const buckets = new Map();
for (const sessionName of sessionNames(Number(process.env.BENCH_N))) {
  const id = `Rbac${(sha256(`User:${sessionName}`)[0] % 16).toString(16).toUpperCase()}`;
  const objects = buckets.get(id) ?? [];
  objects.push({
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-access-role' }, name: bindingName(sessionName, 'view') },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: RBAC, kind: 'User', name: `${PREFIX}:${sessionName}` }],
  });
  buckets.set(id, objects);
}
for (const [id, manifest] of [...buckets.entries()].sort(([x], [y]) => x.localeCompare(y))) {
  new eks.KubernetesManifest(scope, id, { cluster, manifest });
}

synthAndReport(app, { loaded });
