import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RbacRule } from '../binding';
import { DOCS } from './docs';
import { fail, violationMessage } from './errors';

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
/** `role/` or `user/`, an optional path, and a name: IAM's characters only, so no wildcard or white space. */
const IAM_PRINCIPAL_RESOURCE = /^(role|user)(\/[\w+=,.@-]+)*\/[\w+=,.@-]{1,64}$/;
const ARN = /^arn:(aws[a-zA-Z-]*):([a-z0-9-]+):[^:]*:([^:]*):(.*)$/;

/** Values that end up in Kubernetes objects or YAML must be known at synth. */
export function checkLiteral(prop: string, value: string, scope?: IConstruct): void {
  if (typeof value !== 'string') {
    fail({ prop, value, rule: 'A string is required here', fix: 'pass a string (callers from JavaScript: check for a missing or misspelt field)' }, scope);
  }
  if (Token.isUnresolved(value)) {
    fail({
      prop,
      value,
      rule: 'This value is written into Kubernetes manifests and must be known at synth time, but it is an unresolved CDK token',
      fix: 'pass a literal string, not a reference to another resource or a CloudFormation parameter',
    }, scope);
  }
}

/** STS accepts 2 to 64 characters of `[\w+=,.@-]` as `RoleSessionName`. */
export function checkSessionName(prop: string, value: string, scope?: IConstruct): void {
  checkLiteral(prop, value, scope);
  if (!SESSION_NAME.test(value)) {
    fail({
      prop,
      value,
      rule: 'STS accepts a RoleSessionName of 2 to 64 characters from letters, digits and +=,.@_- (no spaces, "/" or ":")',
      fix: 'use the exact session name the agent passes, for example "developers"',
      see: DOCS.assumeRole,
    }, scope);
  }
}

/** The username prefix becomes `<prefix>:{{SessionNameRaw}}`; EKS rejects reserved prefixes. */
export function checkUsernamePrefix(prop: string, value: string, scope?: IConstruct): void {
  checkLiteral(prop, value, scope);
  if (/\{\{/.test(value)) {
    fail({
      prop,
      value,
      rule: 'EKS requires a ":" right before the {{SessionName}} or {{SessionNameRaw}} macro, and the construct writes the macro itself',
      fix: `pass only the part before the macro, for example ${JSON.stringify(value.split('{{')[0].replace(/:$/, '') || 'eks-access-role')}, ` +
        'and choose the macro with sessionNameMacro',
      see: DOCS.customUsername,
    }, scope);
  }
  const reserved = RESERVED_USERNAME_PREFIXES.find((p) => `${value}:`.startsWith(p));
  if (reserved) {
    fail({
      prop,
      value,
      rule: `EKS rejects usernames that start with "${reserved}" (reserved: ${RESERVED_USERNAME_PREFIXES.join(', ')})`,
      fix: 'choose a prefix of your own, for example "eks-access-role"',
      see: DOCS.customUsername,
    }, scope);
  }
  if (value.length === 0 || /[{}:\s]/.test(value)) {
    fail({
      prop,
      value,
      rule: 'The prefix must be non-empty and contain no "{", "}", ":" or white space: the construct appends ":{{SessionNameRaw}}" itself',
      fix: 'pass only the part before the colon, for example "eks-access-role"',
      see: DOCS.customUsername,
    }, scope);
  }
}

/** Namespaces are DNS-1123 labels. */
export function checkNamespace(prop: string, value: string, scope?: IConstruct): void {
  checkLiteral(prop, value, scope);
  // Checked first for a better message; the DNS rule below would also reject an empty name.
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    fail({
      prop,
      value,
      rule: 'A namespace name must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      fix: 'use the namespace name exactly as it exists in the cluster, for example "dev-team"',
      see: DOCS.k8sNames,
    }, scope);
  }
}

/** Kubernetes groups of an access entry cannot start with `system:`. */
export function checkGroupName(prop: string, value: string, scope?: IConstruct): void {
  checkLiteral(prop, value, scope);
  if (value.length === 0 || value.startsWith('system:')) {
    fail({
      prop,
      value,
      rule: 'EKS rejects Kubernetes groups that are empty or start with "system:"',
      fix: 'bind a group of your own (for example "platform-viewers") to the permissions you want',
      see: DOCS.creatingAccessEntries,
    }, scope);
  }
}

/** A ClusterRole referenced by name: RBAC accepts any path-segment name (`:` allowed, `/` and `%` not). */
export function checkClusterRoleName(prop: string, role: { name: string } | string, scope?: IConstruct): void {
  if (typeof role === 'string') {
    fail({
      prop,
      value: role,
      rule: 'ClusterRoles are given as KubernetesClusterRole values, not strings',
      fix: `use KubernetesClusterRole.fromName(${JSON.stringify(role)}) or a constant such as KubernetesClusterRole.VIEW`,
    }, scope);
  }
  const value = role.name;
  checkLiteral(prop, value, scope);
  if (value.length === 0 || value.length > 253 || /[/%\s]/.test(value) || value === '.' || value === '..') {
    fail({
      prop,
      value,
      rule: 'A ClusterRole name must be 1 to 253 characters without "/", "%" or white space',
      fix: 'use the ClusterRole\'s metadata.name as `kubectl get clusterroles` shows it',
      see: DOCS.k8sNames,
    }, scope);
  }
}

/**
 * An agent must be an IAM role or user ARN. An STS session ARN is the usual mistake (it is what
 * `aws sts get-caller-identity` prints inside the agent): suggest the role ARN it came from.
 */
export function checkAgentArn(value: string, prop = 'Agent.fromArn(arn)', scope?: IConstruct): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const m = ARN.exec(value);
  const service = m?.[2];
  const account = m?.[3];
  const resource = m?.[4] ?? '';
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1];
    fail({
      prop,
      value,
      rule: 'This is an STS session ARN (an assumed role), and trust policies must name the IAM role itself',
      fix: `use the role's IAM ARN, for example "arn:${m![1]}:iam::${account}:role/${roleName}" (insert the role's path if it has one)`,
      see: DOCS.iamArns,
    }, scope);
  }
  if (service !== 'iam' || !/^\d{12}$/.test(account ?? '') || !/^(role|user)\/.+/.test(resource)) {
    fail({
      prop,
      value,
      rule: 'An agent must be an IAM role or IAM user ARN (arn:<partition>:iam::<12-digit account>:role/<path><name>)',
      fix: 'pass the ARN of the role the agent runs as, for example "arn:aws:iam::111122223333:role/agent-runtime"',
      see: DOCS.iamArns,
    }, scope);
  }
  if (!IAM_PRINCIPAL_RESOURCE.test(resource)) {
    fail({
      prop,
      value,
      rule: 'IAM role and user paths and names hold only letters, digits and +=,.@_-: IAM rejects a principal with a wildcard or white space',
      fix: 'name one role exactly; to trust several, give each as its own agent',
      see: DOCS.iamArns,
    }, scope);
  }
}

/**
 * An access policy's name, such as `AmazonEKSViewPolicy`: the last path segment of its ARN, which carries the partition
 * as a token, so it is read from the resolved form.
 */
export function accessPolicyName(scope: IConstruct, policy: eks.IAccessPolicy): string {
  return JSON.stringify(Stack.of(scope).resolve(policy.policy)).replace(/"\]*\]*\}*$/, '').split('/').pop()!;
}

/** EKS accepts at most 20 access policies per entry, each once, with a scope that matches its namespaces. */
export function checkAccessPolicy(prop: string, policy: eks.IAccessPolicy, existing: eks.IAccessPolicy[], scope: IConstruct): void {
  const namespaces = policy.accessScope.namespaces ?? [];
  const key = (p: eks.IAccessPolicy) => JSON.stringify(Stack.of(scope).resolve(p.policy));
  const name = accessPolicyName(scope, policy);
  const value = { policy: name, scope: policy.accessScope.type, namespaces };
  if (existing.length >= 20) {
    fail({ prop, value, rule: 'An access entry holds at most 20 access policies', fix: 'drop policies that a broader one already covers', see: DOCS.accessPolicies }, scope);
  }
  if (policy.accessScope.type === eks.AccessScopeType.NAMESPACE && namespaces.length === 0) {
    fail({
      prop,
      value,
      rule: 'A namespace-scoped access policy needs at least one namespace',
      fix: 'list the namespaces (wildcards such as "dev-*" are allowed), or use AccessScopeType.CLUSTER',
      see: DOCS.accessPolicies,
    }, scope);
  }
  if (policy.accessScope.type === eks.AccessScopeType.CLUSTER && namespaces.length > 0) {
    fail({
      prop,
      value,
      rule: 'A cluster-scoped access policy applies to every namespace and takes no namespaces',
      fix: 'remove the namespaces, or use AccessScopeType.NAMESPACE to limit the policy to them',
      see: DOCS.accessPolicies,
    }, scope);
  }
  for (const [i, namespace] of namespaces.entries()) {
    if (!Token.isUnresolved(namespace) && !/^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/.test(namespace)) {
      fail({
        prop: `${prop}.namespaces[${i}]`,
        value: namespace,
        rule: 'An access scope namespace is a DNS-1123 label, optionally with "*" wildcards',
        fix: 'use the namespace name as it exists in the cluster, for example "dev" or "dev-*"',
        see: DOCS.accessPolicies,
      }, scope);
    }
  }
  if (existing.some((p) => key(p) === key(policy))) {
    fail({
      prop,
      value,
      rule: 'Each access policy can be attached to an access entry once',
      fix: 'merge the two into one policy with all the namespaces it needs',
      see: DOCS.accessPolicies,
    }, scope);
  }
}

/**
 * An existing Role Y must be an IAM role ARN that EKS accepts in an access entry: not an STS session ARN, and not
 * a service-linked role.
 */
export function checkExistingRoleArn(prop: string, value: string, scope: IConstruct): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const m = ARN.exec(value);
  const resource = m?.[4] ?? '';
  if (m?.[2] === 'sts' && resource.startsWith('assumed-role/')) {
    fail({
      prop,
      value,
      rule: 'This is an STS session ARN, and EKS access entries take the IAM role itself',
      fix: `use "arn:${m[1]}:iam::${m[3]}:role/${resource.split('/')[1]}" (insert the role's path if it has one)`,
      see: DOCS.creatingAccessEntries,
    }, scope);
  }
  if (m?.[2] === 'iam' && resource.startsWith('role/aws-service-role/')) {
    fail({
      prop,
      value,
      rule: 'EKS access entries do not accept service-linked roles',
      fix: 'create a role of your own for the agents to assume (leave existingRoleArn unset and the construct creates one)',
      see: DOCS.creatingAccessEntries,
    }, scope);
  }
  if (m?.[2] !== 'iam' || !/^\d{12}$/.test(m?.[3] ?? '') || !resource.startsWith('role/')) {
    fail({
      prop,
      value,
      rule: 'existingRoleArn must be an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<path><name>)',
      fix: 'pass the ARN of the role the agents assume',
      see: DOCS.iamArns,
    }, scope);
  }
}

/** Placeholder length for a value only known at deploy time (an ARN is at most about this long). */
const TOKEN_PLACEHOLDER_LENGTH = 100;

/**
 * IAM limits a trust policy to 2,048 characters without white space (4,096 with a quota increase). Values known only
 * at deploy time count as 100 characters each.
 */
export function trustPolicySize(role: iam.Role, limit: number): string[] {
  const resolved = Stack.of(role).resolve(role.assumeRolePolicy?.toJSON());
  const text = JSON.stringify(resolved, (_key, v) => (isIntrinsic(v) ? 'x'.repeat(TOKEN_PLACEHOLDER_LENGTH) : v));
  if (text.length <= limit) {
    return [];
  }
  return [violationMessage({
    prop: 'sessionNames',
    value: `${text.length} characters`,
    rule: `The trust policy would be ${text.length} characters without white space, over the ${limit} IAM accepts`,
    fix: 'pin session names with SessionNameRestriction.matching("prefix-*") instead of listing each one' +
      (text.length <= 4096 && limit < 4096 ? ', or raise trustPolicySizeLimit to 4096 after requesting the quota increase' : ''),
    see: DOCS.iamQuotas,
  })];
}

function isIntrinsic(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 &&
    /^(Ref|Fn::.*)$/.test(Object.keys(v)[0]);
}

/**
 * A list prop must be an array without holes: jsii languages and JavaScript can pass anything. With `key`, an entry
 * that appears twice is refused too.
 */
export function checkList<T>(prop: string, value: T[] | undefined, scope?: IConstruct, key?: (v: T) => string): T[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => v === undefined || v === null)) {
    fail({
      prop,
      value,
      rule: 'A list without empty entries is required here',
      fix: 'pass an array, and check for entries that are undefined or null (a misspelt constant, for example)',
    }, scope);
  }
  const seen = new Set<string>();
  for (const [i, v] of key ? value.entries() : []) {
    if (seen.has(key!(v))) {
      fail({ prop: `${prop}[${i}]`, value: key!(v), rule: 'This entry appears twice in the list', fix: 'list each entry once' }, scope);
    }
    seen.add(key!(v));
  }
  return value;
}

/** Namespaces that the cluster itself owns: a binding must never create (and so, on removal, delete) them. */
export function checkCreatableNamespace(prop: string, value: string, scope?: IConstruct): void {
  if (value === 'default' || value.startsWith('kube-')) {
    fail({
      prop,
      value,
      rule: 'createNamespaces would make this stack own a namespace the cluster itself owns, and delete it with the binding',
      fix: 'drop createNamespaces for this binding (the namespace already exists), or bind in a namespace of your own',
      see: DOCS.k8sNames,
    }, scope);
  }
}

/** Well-known resources outside the core API group, so that a rule without apiGroups does not silently grant nothing. */
const NON_CORE_RESOURCES: Record<string, string> = {
  deployments: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  replicasets: 'apps',
  controllerrevisions: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  ingresses: 'networking.k8s.io',
  networkpolicies: 'networking.k8s.io',
  ingressclasses: 'networking.k8s.io',
  roles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  horizontalpodautoscalers: 'autoscaling',
  poddisruptionbudgets: 'policy',
  storageclasses: 'storage.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io',
};

/** An RBAC rule's verbs and resources are lowercase names; a core-group rule must name core resources. */
export function checkRbacRule(prop: string, rule: RbacRule, scope?: IConstruct): void {
  const verbs = checkList(`${prop}.verbs`, rule.verbs, scope, String);
  const resources = checkList(`${prop}.resources`, rule.resources, scope, String);
  const apiGroups = checkList(`${prop}.apiGroups`, rule.apiGroups, scope, String);
  checkList(`${prop}.resourceNames`, rule.resourceNames, scope, String);
  for (const [name, list] of [['apiGroups', rule.apiGroups], ['resourceNames', rule.resourceNames]] as const) {
    if (list !== undefined && list.length === 0) {
      fail({
        prop: `${prop}.${name}`,
        value: [],
        rule: `An empty ${name} list matches nothing, so the rule grants nothing`,
        fix: `leave ${name} out (${name === 'apiGroups' ? 'the core group' : 'every object of the listed types'}) or list at least one`,
        see: DOCS.rbac,
      }, scope);
    }
  }
  if (verbs.length === 0 || resources.length === 0) {
    fail({
      prop,
      value: rule,
      rule: 'An RBAC rule needs at least one verb and one resource, or it grants nothing',
      fix: 'list the verbs and resources, for example { resources: ["pods"], verbs: ["get", "list"] }',
      see: DOCS.rbac,
    }, scope);
  }
  for (const [i, verb] of verbs.entries()) {
    if (typeof verb !== 'string' || !/^([a-z]+|\*)$/.test(verb)) {
      fail({
        prop: `${prop}.verbs[${i}]`,
        value: verb,
        rule: 'RBAC verbs are lowercase words such as get, list, watch, create, update, patch, delete, or "*"; any other never matches a request',
        fix: 'use the lowercase verb, for example "get"',
        see: DOCS.rbac,
      }, scope);
    }
  }
  for (const [i, resource] of resources.entries()) {
    if (typeof resource !== 'string' || !/^([a-z0-9.-]+(\/[a-z0-9*.-]+)?|\*)$/.test(resource)) {
      fail({
        prop: `${prop}.resources[${i}]`,
        value: resource,
        rule: 'RBAC resources are lowercase plural names such as pods or pods/log, or "*"; any other never matches a request',
        fix: 'use the name kubectl api-resources shows, for example "pods"',
        see: DOCS.rbac,
      }, scope);
    }
    const group = NON_CORE_RESOURCES[resource.split('/')[0]];
    if (group && (apiGroups.length === 0 || apiGroups.every((g) => g === ''))) {
      fail({
        prop: `${prop}.resources[${i}]`,
        value: resource,
        rule: `${resource} belong to the API group "${group}", and the rule names only the core group, so it grants nothing`,
        fix: `add apiGroups: ["${group}"] (or split the rule by group)`,
        see: DOCS.rbac,
      }, scope);
    }
  }
}

/** Well-known cluster-scoped resources: a namespaced Role that names them grants nothing. */
const CLUSTER_SCOPED_RESOURCES = new Set([
  'nodes', 'namespaces', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'storageclasses',
  'customresourcedefinitions', 'certificatesigningrequests', 'priorityclasses', 'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations', 'apiservices', 'ingressclasses', 'runtimeclasses', 'csidrivers', 'csinodes',
]);

/** Rules of a Role created in namespaces cannot reach cluster-scoped resources. */
export function checkNamespacedRule(prop: string, rule: RbacRule, scope?: IConstruct): void {
  for (const [i, resource] of rule.resources.entries()) {
    if (CLUSTER_SCOPED_RESOURCES.has(resource.split('/')[0])) {
      fail({
        prop: `${prop}.resources[${i}]`,
        value: resource,
        rule: `${resource} are cluster-scoped, and with namespaces the rule goes into a namespaced Role, which cannot grant them`,
        fix: 'move this rule to a binding without namespaces (a ClusterRole)',
        see: DOCS.rbac,
      }, scope);
    }
  }
}

/** The verbs the Kubernetes API server checks; others are legal but only used by a few aggregated APIs. */
export const KNOWN_VERBS = new Set([
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', '*',
]);

/** A value of a string enum, refused with the allowed values when a jsii or JavaScript caller passes anything else. */
export function checkEnum<T extends string>(prop: string, value: T, values: Record<string, T>, scope?: IConstruct): T {
  if (!Object.values(values).includes(value)) {
    fail({ prop, value, rule: `Allowed values are ${Object.values(values).join(', ')}`, fix: 'use one of the enum\'s constants' }, scope);
  }
  return value;
}

/** EKS cluster names: 1 to 100 letters, digits, "-" and "_", starting with a letter or digit. */
export function checkClusterName(prop: string, value: string, scope?: IConstruct): void {
  checkLiteral(prop, value, scope);
  const fromArn = /^arn:[^:]+:eks:[^:]*:\d{12}:cluster\/(.+)$/.exec(value)?.[1];
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value)) {
    fail({
      prop,
      value,
      rule: 'An EKS cluster name is 1 to 100 letters, digits, "-" and "_", starting with a letter or digit',
      fix: fromArn ? `pass the name, not the ARN: ${JSON.stringify(fromArn)}` : 'pass the cluster name as `aws eks list-clusters` shows it',
      see: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html',
    }, scope);
  }
}
