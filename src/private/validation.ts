import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DOCS } from './docs';
import { fail, violationMessage } from './errors';

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
const ARN = /^arn:(aws[a-zA-Z-]*):([a-z0-9-]+):[^:]*:([^:]*):(.*)$/;

/** Values that end up in Kubernetes objects or YAML must be known at synth. */
export function checkLiteral(prop: string, value: string, scope?: IConstruct): void {
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
export function checkClusterRoleName(prop: string, value: string, scope?: IConstruct): void {
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
}

/** EKS accepts at most 20 access policies per entry, each once, with a scope that matches its namespaces. */
export function checkAccessPolicy(prop: string, policy: eks.IAccessPolicy, existing: eks.IAccessPolicy[], scope: IConstruct): void {
  const namespaces = policy.accessScope.namespaces ?? [];
  // Policy ARNs carry the partition as a token: compare them resolved, and name them by their last path segment.
  const key = (p: eks.IAccessPolicy) => JSON.stringify(Stack.of(scope).resolve(p.policy));
  const name = key(policy).replace(/"\]*\]*\}*$/, '').split('/').pop();
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
    fix: 'pin session names with SessionNameRestriction.matching("prefix-*") instead of listing each one, ' +
      'or raise trustPolicySizeLimit to 4096 after requesting the quota increase',
    see: DOCS.iamQuotas,
  })];
}

function isIntrinsic(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 &&
    /^(Ref|Fn::.*)$/.test(Object.keys(v)[0]);
}
