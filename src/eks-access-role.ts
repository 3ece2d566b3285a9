import { createHash } from 'crypto';
import { Annotations, AspectPriority, Aspects, CfnOutput, Lazy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Agent } from './agent';
import { GroupBinding, PermissionOptions, SessionBinding } from './binding';
import { DOCS } from './private/docs';
import { violationMessage } from './private/errors';
import { registerClusterGrant } from './private/registry';
import { NAMESPACES_GROUP, RbacChart } from './private/rbac';
import { AgentsPrincipal } from './private/trust';
import { DEFAULT_USERNAME_PREFIX, renderUsername, usernameTemplate } from './private/username';
import * as check from './private/validation';
import { SessionNameMacro } from './username';

/**
 * Properties of an `EksAccessRole`.
 */
export interface EksAccessRoleProps {
  /**
   * The cluster the role grants access to.
   *
   * Its authentication mode must be `API` or `API_AND_CONFIG_MAP`. To apply the RBAC manifests, the construct
   * needs a cluster that can run kubectl: a `Cluster` of this app, or one imported with `kubectlRoleArn` or
   * `kubectlProvider`.
   */
  readonly cluster: eks.ICluster;

  /**
   * The identities the access gateway agent runs as ("Role X"): they may assume the role.
   *
   * The trust policy names each ARN itself, never its account root.
   */
  readonly agents: Agent[];

  /**
   * Session names and what each may do in the cluster.
   *
   * @default - none; add them with `addBinding()`
   */
  readonly bindings?: SessionBinding[];

  /**
   * Kubernetes groups that every session of the role joins, and what each group may do.
   *
   * @default - none; add them with `addGroupBinding()`
   */
  readonly groupBindings?: GroupBinding[];

  /**
   * EKS access policies attached to the access entry; they apply to every session of the role.
   *
   * At most 20, each policy once. A `namespace` scope needs at least one namespace (wildcards such as `dev-*` are
   * allowed); a `cluster` scope takes none. `kubectl auth can-i` does not see access policies.
   *
   * @default - none; add them with `addAccessPolicy()`
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
   */
  readonly accessPolicies?: eks.IAccessPolicy[];

  /**
   * The part of the Kubernetes username before the session name: the access entry's username is
   * `<usernamePrefix>:{{SessionNameRaw}}`, so session `developers` becomes user `eks-access-role:developers`.
   *
   * Must not start with `system:`, `eks:`, `aws:`, `amazon:` or `iam:`, and must be unique among the constructs
   * that grant access to one cluster.
   *
   * @default 'eks-access-role'
   * @see https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html
   */
  readonly usernamePrefix?: string;

  /**
   * How EKS puts the session name into the username.
   *
   * @default SessionNameMacro.SESSION_NAME_RAW - the session name exactly as passed
   */
  readonly sessionNameMacro?: SessionNameMacro;

  /**
   * A literal name for the role.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The role's description.
   *
   * @default - a description naming this library and the cluster
   */
  readonly description?: string;

  /**
   * The role's IAM path; EKS access entries accept role ARNs with paths.
   *
   * @default '/'
   */
  readonly path?: string;
}

/** Manifests are split into this many resources by a hash of the subject; changing it would move live objects. */
const MANIFEST_BUCKETS = 16;

/**
 * An IAM role that an access gateway agent assumes to reach an EKS cluster, with everything that makes it work.
 *
 * It creates the role ("Role Y") trusted by the agents ("Role X"), the agents' `sts:AssumeRole` permission, the
 * `AWS::EKS::AccessEntry` that maps each session to the Kubernetes user `<usernamePrefix>:<session name>`, and a
 * cdk8s chart of (Cluster)RoleBindings for those users, applied to the cluster with kubectl.
 */
export class EksAccessRole extends Construct {
  /** The role the agents assume ("Role Y"); the access entry's principal. */
  public readonly role: iam.IRole;

  /** The access entry that maps the role's sessions to Kubernetes users. */
  public readonly accessEntry: eks.CfnAccessEntry;

  /**
   * The cdk8s chart holding the RBAC objects. Objects you add to it are applied along with the bindings.
   */
  public readonly chart: cdk8s.Chart;

  /** The username prefix, for example `eks-access-role`. */
  public readonly usernamePrefix: string;

  /** The macro that carries the session name into the username. */
  public readonly sessionNameMacro: SessionNameMacro;

  private readonly cluster: eks.ICluster;
  private readonly rbac: RbacChart;
  private readonly bindings: Array<{ prop: string; binding: SessionBinding; username: string }> = [];
  private readonly groupBindings: Array<{ prop: string; binding: GroupBinding }> = [];
  private readonly accessPolicies: eks.IAccessPolicy[] = [];
  private rendered = false;

  constructor(scope: Construct, id: string, props: EksAccessRoleProps) {
    super(scope, id);

    this.usernamePrefix = props.usernamePrefix ?? DEFAULT_USERNAME_PREFIX;
    this.sessionNameMacro = props.sessionNameMacro ?? SessionNameMacro.SESSION_NAME_RAW;
    this.cluster = props.cluster;
    check.checkUsernamePrefix('usernamePrefix', this.usernamePrefix, this);
    if (props.agents.length === 0) {
      throw new Error(violationMessage({
        prop: 'agents',
        value: [],
        rule: 'The role needs at least one agent to trust',
        fix: 'pass the role the agent runs as, for example [Agent.fromRole(agentRole)]',
      }, this));
    }

    // The role the agents assume, trusting each agent's ARN (never an account root). It needs no permissions.
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      path: props.path,
      description: props.description ?? 'Assumed by access gateway agents to authenticate to EKS (cdk-eks-access-role)',
      assumedBy: new AgentsPrincipal(props.agents.map((agent) => agent.principalArn)),
    });

    // The agents' permission to assume it: attached where CDK can, handed to the owner where it cannot.
    this.grantAgents(props.agents);

    // Two constructs on one cluster must not share a principal (EKS allows one entry each) or a username prefix.
    registerClusterGrant(this, this.cluster, this.role.roleArn, this.usernamePrefix);

    // The access entry: every session of the role becomes the user <prefix>:<session name>.
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: this.cluster.clusterName,
      principalArn: this.role.roleArn,
      type: 'STANDARD',
      username: usernameTemplate(this.usernamePrefix, this.sessionNameMacro),
      kubernetesGroups: Lazy.list({ produce: () => this.groupBindings.map((g) => g.binding.groupName) }, { omitEmpty: true }),
      accessPolicies: Lazy.any({ produce: () => this.renderAccessPolicies() }, { omitEmptyArray: true }),
    });

    // The RBAC objects, built as bindings are added and applied once the app is complete.
    this.rbac = new RbacChart('rbac', this.usernamePrefix);
    this.chart = this.rbac.chart;
    for (const [i, binding] of (props.bindings ?? []).entries()) {
      this.addSessionBinding(`bindings[${i}]`, binding);
    }
    for (const [i, binding] of (props.groupBindings ?? []).entries()) {
      this.addGroupBindingAt(`groupBindings[${i}]`, binding);
    }
    for (const policy of props.accessPolicies ?? []) {
      this.addAccessPolicy(policy);
    }
    Aspects.of(this).add({ visit: (node: IConstruct) => node === this && this.renderManifests() }, { priority: AspectPriority.MUTATING });
    this.node.addValidation({ validate: () => this.validateComplete() });
  }

  /**
   * The session names bound so far, in the order they were added.
   */
  public get sessionNames(): string[] {
    return this.bindings.map((b) => b.binding.sessionName);
  }

  /**
   * The Kubernetes username EKS gives a session of this role, for example `eks-access-role:developers`.
   *
   * @param sessionName the session name the agent passes
   */
  public usernameFor(sessionName: string): string {
    check.checkSessionName('usernameFor(sessionName)', sessionName, this);
    return renderUsername(this.usernamePrefix, this.sessionNameMacro, sessionName);
  }

  /**
   * Binds a session name to permissions, with the same checks as the `bindings` prop.
   */
  public addBinding(binding: SessionBinding): void {
    this.addSessionBinding(`addBinding(${JSON.stringify(binding.sessionName)})`, binding);
  }

  /**
   * Binds a Kubernetes group to permissions and adds it to the access entry's groups.
   */
  public addGroupBinding(binding: GroupBinding): void {
    this.addGroupBindingAt(`addGroupBinding(${JSON.stringify(binding.groupName)})`, binding);
  }

  /**
   * Attaches an EKS access policy to the access entry.
   */
  public addAccessPolicy(policy: eks.IAccessPolicy): void {
    this.assertOpen('addAccessPolicy(policy)');
    check.checkAccessPolicy(`accessPolicies[${this.accessPolicies.length}]`, policy, this.accessPolicies, this);
    this.accessPolicies.push(policy);
  }

  private addSessionBinding(prop: string, binding: SessionBinding): void {
    this.assertOpen(prop);
    check.checkSessionName(`${prop}.sessionName`, binding.sessionName, this);
    this.checkPermissions(prop, binding);
    const username = this.usernameFor(binding.sessionName);
    const clash = this.bindings.find((b) => b.username === username);
    if (clash) {
      throw new Error(violationMessage({
        prop: `${prop}.sessionName`,
        value: binding.sessionName,
        rule: `${clash.prop} already binds session ${JSON.stringify(clash.binding.sessionName)} to the same Kubernetes user ${JSON.stringify(username)}`,
        fix: 'merge the two bindings into one that lists all the permissions that session needs',
      }, this));
    }
    this.bindings.push({ prop, binding, username });
    this.rbac.grant({ kind: 'User', name: username, declared: binding.sessionName }, binding);
  }

  private addGroupBindingAt(prop: string, binding: GroupBinding): void {
    this.assertOpen(prop);
    check.checkGroupName(`${prop}.groupName`, binding.groupName, this);
    this.checkPermissions(prop, binding);
    const clash = this.groupBindings.find((g) => g.binding.groupName === binding.groupName);
    if (clash) {
      throw new Error(violationMessage({
        prop: `${prop}.groupName`,
        value: binding.groupName,
        rule: `${clash.prop} already binds this group`,
        fix: 'merge the two group bindings into one',
      }, this));
    }
    this.groupBindings.push({ prop, binding });
    this.rbac.grant({ kind: 'Group', name: binding.groupName, declared: binding.groupName }, binding);
  }

  private checkPermissions(prop: string, permissions: PermissionOptions): void {
    for (const [i, role] of (permissions.clusterRoles ?? []).entries()) {
      check.checkClusterRoleName(`${prop}.clusterRoles[${i}]`, role.name, this);
    }
    for (const [i, namespace] of (permissions.namespaces ?? []).entries()) {
      check.checkNamespace(`${prop}.namespaces[${i}]`, namespace, this);
    }
    for (const [i, rule] of (permissions.rules ?? []).entries()) {
      if (rule.verbs.length === 0 || rule.resources.length === 0) {
        throw new Error(violationMessage({
          prop: `${prop}.rules[${i}]`,
          value: rule,
          rule: 'An RBAC rule needs at least one verb and one resource, or it grants nothing',
          fix: 'list the verbs and resources, for example { resources: ["pods"], verbs: ["get", "list"] }',
        }, this));
      }
    }
  }

  private assertOpen(prop: string): void {
    if (this.rendered) {
      throw new Error(violationMessage({
        prop,
        value: 'after synthesis',
        rule: 'Bindings cannot be added once the app has been synthesized',
        fix: 'add every binding before calling app.synth() or Template.fromStack()',
      }, this));
    }
  }

  private grantAgents(agents: Agent[]): void {
    const stack = Stack.of(this);
    const attachable = agents.filter((a) => a.role && Token.compareStrings(a.role.env.account, stack.account) !== TokenComparison.DIFFERENT);
    const statement = new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [this.role.roleArn] });

    if (attachable.length > 0) {
      const policy = new iam.ManagedPolicy(this, 'AgentPolicy', {
        description: 'Lets the access gateway agent assume its EKS role (cdk-eks-access-role)',
        statements: [statement],
      });
      for (const agent of attachable) {
        policy.attachToRole(agent.role!);
      }
    }

    const detached = agents.filter((a) => !attachable.includes(a));
    if (detached.length > 0) {
      const document = new iam.PolicyDocument({ statements: [statement] });
      new CfnOutput(this, 'AgentPolicyDocument', {
        description: 'IAM policy the owner of each agent role given by ARN or in another account must attach to it',
        value: stack.toJsonString(document.toJSON()),
      });
      Annotations.of(this).addWarningV2('cdk-eks-access-role:agentPolicyNotAttached',
        `${detached.length} agent(s) were given by ARN or live in another account, so no policy was attached to them: ` +
        `${detached.map((a) => a.principalArn).join(', ')}. Attach the policy in the stack output "AgentPolicyDocument" ` +
        'to each of them, or they cannot assume the role.');
    }
  }

  private renderAccessPolicies(): eks.CfnAccessEntry.AccessPolicyProperty[] {
    return this.accessPolicies.map((p) => ({
      policyArn: p.policy,
      accessScope: { type: p.accessScope.type, namespaces: p.accessScope.namespaces },
    }));
  }

  private validateComplete(): string[] {
    const errors = [...this.bindings, ...this.groupBindings]
      .filter(({ binding }) => (binding.clusterRoles ?? []).length === 0 && (binding.rules ?? []).length === 0)
      .map(({ prop, binding }) => violationMessage({
        prop,
        value: binding,
        rule: 'The binding grants nothing: it has neither clusterRoles nor rules',
        fix: 'add clusterRoles (for example [KubernetesClusterRole.VIEW]) or rules, or remove the binding',
        see: DOCS.rbac,
      }));
    if (this.bindings.length + this.groupBindings.length + this.accessPolicies.length > 0) {
      return errors;
    }
    return [...errors, violationMessage({
      prop: 'bindings',
      value: [],
      rule: 'The role grants nothing: it has no session bindings, group bindings or access policies',
      fix: 'pass bindings such as [{ sessionName: "developers", clusterRoles: [KubernetesClusterRole.VIEW] }] or call addBinding()',
    })];
  }

  /** Splits the chart into manifests by subject, so adding or removing a subject never moves another one. */
  private renderManifests(): void {
    if (this.rendered) {
      return;
    }
    this.rendered = true;

    const groups = new Map<string, any[]>();
    for (const { group, manifest } of this.rbac.synth()) {
      const id = group === NAMESPACES_GROUP ? 'RbacNamespaces' : `Rbac${bucket(group)}`;
      groups.set(id, [...groups.get(id) ?? [], manifest]);
    }

    const namespaces = groups.get('RbacNamespaces');
    const namespaceManifest = namespaces && new eks.KubernetesManifest(this, 'RbacNamespaces', { cluster: this.cluster, manifest: namespaces });
    for (const [id, manifest] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (id === 'RbacNamespaces') {
        continue;
      }
      const resource = new eks.KubernetesManifest(this, id, { cluster: this.cluster, manifest });
      if (namespaceManifest) {
        resource.node.addDependency(namespaceManifest);
      }
    }
  }
}

function bucket(group: string): string {
  return (createHash('sha256').update(group).digest()[0] % MANIFEST_BUCKETS).toString(16).toUpperCase();
}
