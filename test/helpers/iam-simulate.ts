// Evaluates the IAM policies a template would create, without an AWS account: intrinsics are resolved to concrete
// ARNs, then @cloud-copilot/iam-simulate (a test-only devDependency) decides as IAM would.
import { runSimulation, SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';
import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, REGION } from '../util';

/** What `runSimulation` concludes for a request. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A policy as IAM stores it: plain JSON, no intrinsics. */
export type PolicyDocument = { Version?: string; Statement: any[] };

/** The account, region and partition that pseudo parameters resolve to. */
export interface TemplateEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * A synthesized template whose IAM parts are resolved to plain JSON.
 *
 * A resource's generated name is stood in for by its logical id, so `Fn::GetAtt [AccessRoleE6825E38, Arn]` becomes
 * `arn:aws:iam::111122223333:role/AccessRoleE6825E38`. Any intrinsic the resolver does not know throws: an unresolved
 * value must never turn into a silent pass.
 */
export class ResolvedTemplate {
  /** Resolves the template of a stack; the stack's account and region, when concrete, win over the defaults. */
  public static fromStack(stack: Stack): ResolvedTemplate {
    return new ResolvedTemplate(Template.fromStack(stack).toJSON(), {
      account: Token.isUnresolved(stack.account) ? ACCOUNT : stack.account,
      region: Token.isUnresolved(stack.region) ? REGION : stack.region,
      partition: 'aws',
    });
  }

  private readonly resources: Record<string, any>;

  constructor(private readonly template: any, public readonly env: TemplateEnvironment = { account: ACCOUNT, region: REGION, partition: 'aws' }) {
    this.resources = template.Resources ?? {};
  }

  /** The ARN of the `AWS::IAM::Role` with this logical id, with its path. */
  public roleArn(logicalId: string): string {
    const properties = this.resource(logicalId, 'AWS::IAM::Role').Properties ?? {};
    const path = properties.Path ? this.resolve(properties.Path) : '/';
    return `arn:${this.env.partition}:iam::${this.env.account}:role${path}${this.roleName(logicalId)}`;
  }

  /** The name of the `AWS::IAM::Role` with this logical id: its `RoleName`, or the logical id in place of a generated one. */
  public roleName(logicalId: string): string {
    const properties = this.resource(logicalId, 'AWS::IAM::Role').Properties ?? {};
    return properties.RoleName ? this.resolve(properties.RoleName) : logicalId;
  }

  /** The trust policy (`AssumeRolePolicyDocument`) of a role, resolved. */
  public trustPolicy(roleLogicalId: string): PolicyDocument {
    return this.resolve(this.resource(roleLogicalId, 'AWS::IAM::Role').Properties.AssumeRolePolicyDocument);
  }

  /**
   * Every identity policy the template attaches to the role of this name: customer-managed policies
   * (`AWS::IAM::ManagedPolicy` listing the role, or named in the role's `ManagedPolicyArns`), `AWS::IAM::Policy`
   * resources listing the role, and the role's inline `Policies`.
   *
   * Throws on an AWS-managed policy ARN: its content is not in the template, so it cannot be simulated.
   */
  public policiesAttachedToRole(roleName: string): SimulationIdentityPolicy[] {
    const policies: SimulationIdentityPolicy[] = [];
    const role = Object.entries(this.resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && this.roleName(id) === roleName);
    for (const [id, r] of Object.entries(this.resources)) {
      const listsRole = () => (this.resolve(r.Properties?.Roles ?? []) as string[]).includes(roleName);
      if (r.Type === 'AWS::IAM::ManagedPolicy' && listsRole()) {
        policies.push({ name: id, policy: this.resolve(r.Properties.PolicyDocument) });
      }
      if (r.Type === 'AWS::IAM::Policy' && listsRole()) {
        policies.push({ name: id, policy: this.resolve(r.Properties.PolicyDocument) });
      }
    }
    if (role) {
      const [roleId, { Properties: properties = {} }] = role;
      for (const inline of properties.Policies ?? []) {
        policies.push({ name: `${roleId}/${this.resolve(inline.PolicyName)}`, policy: this.resolve(inline.PolicyDocument) });
      }
      for (const arn of this.resolve(properties.ManagedPolicyArns ?? []) as string[]) {
        const managed = Object.entries(this.resources).find(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && this.policyArn(id) === arn);
        if (!managed) {
          throw new Error(`${roleId} has the managed policy ${arn}, whose document is not in the template: it cannot be simulated`);
        }
        policies.push({ name: managed[0], policy: this.resolve(managed[1].Properties.PolicyDocument) });
      }
    }
    return policies;
  }

  /** The value of the one output whose key starts with `prefix` (CDK appends a hash), parsed as JSON. */
  public outputJson(prefix: string): any {
    const matches = Object.entries<any>(this.template.Outputs ?? {}).filter(([key]) => key.startsWith(prefix));
    if (matches.length !== 1) {
      throw new Error(`expected one output whose key starts with ${prefix}, found ${matches.map(([key]) => key).join(', ') || 'none'}`);
    }
    return JSON.parse(this.resolve(matches[0][1].Value));
  }

  /** Replaces every intrinsic in `value` with the concrete value it would have in the environment. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return this.ref(value.Ref);
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      return this.getAtt(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [separator, parts] = value['Fn::Join'];
      return (this.resolve(parts) as unknown[]).join(separator);
    }
    if (keys.length === 1 && (keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      throw new Error(`cannot resolve ${JSON.stringify(value)}: the IAM simulation helper does not know ${keys[0]}`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Region': return this.env.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
    }
    const resource = this.resource(name);
    if (resource.Type === 'AWS::IAM::Role') {
      return this.roleName(name);
    }
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      return this.policyArn(name);
    }
    throw new Error(`cannot resolve {"Ref":"${name}"}: the IAM simulation helper does not know the Ref of ${resource.Type}`);
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn') {
      return this.roleArn(logicalId);
    }
    throw new Error(`cannot resolve {"Fn::GetAtt":["${logicalId}","${attribute}"]}: the helper does not know ${resource.Type}.${attribute}`);
  }

  private policyArn(logicalId: string): string {
    const properties = this.resource(logicalId, 'AWS::IAM::ManagedPolicy').Properties ?? {};
    const path = properties.Path ? this.resolve(properties.Path) : '/';
    const name = properties.ManagedPolicyName ? this.resolve(properties.ManagedPolicyName) : logicalId;
    return `arn:${this.env.partition}:iam::${this.env.account}:policy${path}${name}`;
  }

  private resource(logicalId: string, type?: string): any {
    const resource = this.resources[logicalId];
    if (!resource || (type && resource.Type !== type)) {
      throw new Error(`the template has no ${type ?? 'resource'} with logical id ${logicalId}`);
    }
    return resource;
  }
}

/** An `sts:AssumeRole` call by an agent, as the trust policy of the role it assumes sees it. */
export interface AssumeRoleRequest {
  /** The ARN of the role being assumed ("Role Y"). */
  readonly roleArn: string;

  /** That role's trust policy, resolved. */
  readonly trustPolicy: PolicyDocument;

  /**
   * Who calls: an IAM role ARN (the call then comes from a session of that role, as an agent's does) or an IAM user ARN.
   */
  readonly caller: string;

  /** The identity policies attached to the caller. @default - none */
  readonly callerPolicies?: SimulationIdentityPolicy[];

  /** The `RoleSessionName` the caller passes; sets the `sts:RoleSessionName` context key. @default - no session name in the context */
  readonly sessionName?: string;

  /** The action; an EKS Pod Identity caller also needs `sts:TagSession`. @default 'sts:AssumeRole' */
  readonly action?: string;

  /** More context keys, for example `aws:SourceIp`; they win over the ones derived from the caller. @default - none */
  readonly contextVariables?: Record<string, string | string[]>;
}

/**
 * Decides an `sts:AssumeRole` request the way IAM does: the trust policy is the resource policy and the caller's
 * policies are the identity policies, so a caller of another account needs both, and a caller of the role's own
 * account needs a trust statement naming it (or naming the account root, plus an identity policy).
 *
 * The context holds what IAM would derive from the caller (`aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:PrincipalType`) and `sts:RoleSessionName` when a session name is given. Throws when the simulator rejects the
 * input (an invalid policy, action or context key), so a malformed policy never reads as a denial.
 */
export async function simulateAssumeRole(request: AssumeRoleRequest): Promise<Decision> {
  const caller = parseCaller(request.caller);
  const roleAccount = arnAccount(request.roleArn);
  const contextVariables: Record<string, string | string[]> = {
    'aws:PrincipalArn': request.caller,
    'aws:PrincipalAccount': caller.account,
    'aws:PrincipalType': caller.type,
    ...request.sessionName === undefined ? {} : { 'sts:RoleSessionName': request.sessionName },
    ...request.contextVariables,
  };
  const result = await runSimulation({
    request: {
      principal: caller.principal,
      action: request.action ?? 'sts:AssumeRole',
      resource: { resource: request.roleArn, accountId: roleAccount },
      contextVariables,
    },
    identityPolicies: request.callerPolicies ?? [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.trustPolicy,
  }, {});
  if (result.resultType === 'error') {
    throw new Error(`iam-simulate rejected the simulation: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/** The principal a request of this caller carries: a session of a role (the agent's own session name is irrelevant), or a user. */
function parseCaller(arn: string): { principal: string; account: string; type: string } {
  const match = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) {
    throw new Error(`caller must be an IAM role or user ARN, got ${arn}`);
  }
  const [, partition, account, kind, name] = match;
  return kind === 'role'
    ? { principal: `arn:${partition}:sts::${account}:assumed-role/${name}/agent`, account, type: 'AssumedRole' }
    : { principal: arn, account, type: 'User' };
}

function arnAccount(arn: string): string {
  const account = arn.split(':')[4];
  if (!/^\d{12}$/.test(account ?? '')) {
    throw new Error(`cannot tell the account of ${arn}`);
  }
  return account;
}
