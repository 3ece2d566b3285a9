import { createHash } from 'crypto';
import { Annotations, AspectPriority, Aspects, attachCustomSynthesis, CfnOutput, Duration, Lazy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Agent } from './agent';
import { GroupBinding, PermissionOptions, SessionBinding } from './binding';
import { DOCS } from './private/docs';
import { violationMessage } from './private/errors';
import { NAMESPACES_GROUP, RbacChart } from './private/rbac';
import { registerClusterGrant } from './private/registry';
import { writeAccessReport } from './private/report';
import { AgentsPrincipal } from './private/trust';
import { DEFAULT_USERNAME_PREFIX, renderUsername, usernameTemplate } from './private/username';
import * as check from './private/validation';
import { SessionNameRestriction } from './session-names';
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
   * The trust policy names each ARN itself, never its account root (unless an agent opts into
   * `trustAccountWithPrincipalArnCondition`). Required unless `existingRoleArn` is given.
   *
   * @default - none; only allowed with `existingRoleArn`
   */
  readonly agents?: Agent[];

  /**
   * The authentication mode of a cluster imported into this app, which CDK cannot see.
   *
   * Without it, synth warns (`cdk-eks-access-role:authenticationModeUnknown`) that the cluster must use `API` or
   * `API_AND_CONFIG_MAP`; `CONFIG_MAP` fails synth. Ignored for a `Cluster` of this app, whose mode is known.
   *
   * @default - unknown for imported clusters
   * @see https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html
   */
  readonly clusterAuthenticationMode?: eks.AuthenticationMode;

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

  /**
   * Which session names the trust policy accepts (`sts:RoleSessionName`).
   *
   * @default SessionNameRestriction.declared() - exactly the session names of the bindings
   */
  readonly sessionNames?: SessionNameRestriction;

  /**
   * An external ID the agents must pass (`sts:ExternalId`). Hoop's agent sends none: leave this unset for it.
   *
   * @default - no external ID condition
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
   */
  readonly externalId?: string;

  /**
   * The longest session the agents may request, from 1 to 12 hours. When the agent's own credentials come from an
   * assumed role (role chaining), STS caps the session at one hour whatever this says.
   *
   * @default Duration.hours(1)
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
   */
  readonly maxSessionDuration?: Duration;

  /**
   * A permissions boundary for the role. The role has no permission policies, so this only matters to
   * organisations that require a boundary on every role.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * The trust policy size that synth refuses to exceed, counted without white space as IAM does: 2,048 by default,
   * up to 4,096 after a quota increase.
   *
   * @default 2048
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly trustPolicySizeLimit?: number;

  /**
   * Uses an existing IAM role as Role Y instead of creating one. The construct then creates only the access entry,
   * the bindings and the outputs: the role's trust policy and the agents' permission are yours to manage.
   *
   * EKS ties the access entry to the role's unique id: deleting and re-creating the role under the same ARN silently
   * breaks the entry.
   *
   * @default - a new role is created
   */
  readonly existingRoleArn?: string;

  /**
   * Adds stack outputs with the agent's settings: `EKS_ROLE_ARN`, `EKS_CLUSTER`, `EKS_AWS_REGION`, and for each
   * binding the `EKS_BINDING_USER_ROLE` value with the Kubernetes user it becomes.
   *
   * @default false
   */
  readonly agentSettingsOutputs?: boolean;
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
  private readonly agents: Agent[];
  private readonly sessionNameRestriction: SessionNameRestriction;
  private readonly trustPolicySizeLimit: number;
  private readonly agentSettingsOutputs: boolean;
  private readonly attachedAgents: Agent[] = [];
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
    this.agents = props.agents ?? [];
    this.sessionNameRestriction = props.sessionNames ?? SessionNameRestriction.declared();
    this.trustPolicySizeLimit = props.trustPolicySizeLimit ?? 2048;
    this.agentSettingsOutputs = props.agentSettingsOutputs ?? false;
    this.checkRestriction();
    this.checkAuthenticationMode(props.cluster instanceof eks.Cluster ? props.cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP
      : props.clusterAuthenticationMode, props.cluster instanceof eks.Cluster ? 'cluster.authenticationMode' : 'clusterAuthenticationMode');

    if (props.existingRoleArn !== undefined) {
      // An existing role: its trust and the agents' permission are the owner's to manage.
      check.checkExistingRoleArn('existingRoleArn', props.existingRoleArn, this);
      this.role = iam.Role.fromRoleArn(this, 'Role', props.existingRoleArn, { mutable: false });
      Annotations.of(this).addWarningV2('cdk-eks-access-role:existingRole',
        'existingRoleArn is used as is: its trust policy must allow the agents to call sts:AssumeRole, and deleting and ' +
        're-creating the role under the same ARN silently breaks the access entry (EKS keeps the old unique id).');
    } else {
      if (this.agents.length === 0) {
        throw new Error(violationMessage({
          prop: 'agents',
          value: [],
          rule: 'The role needs at least one agent to trust',
          fix: 'pass the role the agent runs as, for example [Agent.fromRole(agentRole)]',
        }, this));
      }

      // The role the agents assume: one trust statement for every agent, pinned to the session names. No permissions.
      const role = new iam.Role(this, 'Role', {
        roleName: props.roleName,
        path: props.path,
        description: props.description ?? 'Assumed by access gateway agents to authenticate to EKS (cdk-eks-access-role)',
        maxSessionDuration: props.maxSessionDuration,
        permissionsBoundary: props.permissionsBoundary,
        assumedBy: new AgentsPrincipal({
          agents: this.agents,
          restriction: this.sessionNameRestriction,
          declaredSessionNames: () => this.sessionNames,
          externalId: props.externalId,
        }),
      });
      this.role = role;
      this.node.addValidation({ validate: () => check.trustPolicySize(role, this.trustPolicySizeLimit) });

      // The agents' permission to assume it: attached where CDK can, handed to the owner where it cannot.
      this.grantAgents(this.agents);
    }

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
    if (permissions.createNamespaces && (permissions.namespaces ?? []).length === 0) {
      throw new Error(violationMessage({
        prop: `${prop}.createNamespaces`,
        value: true,
        rule: 'createNamespaces creates the binding\'s namespaces, and the binding lists none',
        fix: 'list the namespaces to create in namespaces, or drop createNamespaces',
        see: DOCS.rbac,
      }, this));
    }
    for (const [i, role] of (permissions.clusterRoles ?? []).entries()) {
      check.checkClusterRoleName(`${prop}.clusterRoles[${i}]`, role.name, this);
    }
    for (const [i, namespace] of (permissions.namespaces ?? []).entries()) {
      check.checkNamespace(`${prop}.namespaces[${i}]`, namespace, this);
    }
    for (const [i, rule] of (permissions.rules ?? []).entries()) {
      if ((rule.verbs ?? []).length === 0 || (rule.resources ?? []).length === 0) {
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
      this.attachedAgents.push(...attachable);
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
    if (this.sessionNameRestriction.kind === 'declared' && this.bindings.length === 0 && this.agents.length > 0) {
      errors.push(violationMessage({
        prop: 'sessionNames',
        value: 'SessionNameRestriction.declared()',
        rule: 'The trust policy accepts only declared session names, and no session is bound, so no agent could assume the role',
        fix: 'bind at least one session, or use SessionNameRestriction.matching(...) or SessionNameRestriction.any() ' +
          'for group or access-policy setups',
        see: DOCS.assumeRole,
      }));
    }
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

  /** Access entries need API or API_AND_CONFIG_MAP; aws-eks clusters default to CONFIG_MAP. */
  private checkAuthenticationMode(mode: eks.AuthenticationMode | undefined, prop: string): void {
    if (mode === eks.AuthenticationMode.CONFIG_MAP) {
      throw new Error(violationMessage({
        prop,
        value: mode,
        rule: 'EKS creates access entries only on clusters whose authentication mode is API or API_AND_CONFIG_MAP',
        fix: 'set authenticationMode: AuthenticationMode.API_AND_CONFIG_MAP on the cluster (a one-way change: ' +
          'CONFIG_MAP -> API_AND_CONFIG_MAP -> API; existing aws-auth mappings keep working)',
        see: DOCS.authenticationMode,
      }, this));
    }
    if (mode === undefined) {
      Annotations.of(this).addWarningV2('cdk-eks-access-role:authenticationModeUnknown',
        'The imported cluster\'s authentication mode is unknown: the access entry deploys only if it is API or API_AND_CONFIG_MAP. ' +
        'State it with clusterAuthenticationMode to silence this warning.');
    }
  }

  private checkRestriction(): void {
    const restriction = this.sessionNameRestriction;
    if (restriction.kind === 'matching' && (restriction.patterns.length === 0 || restriction.patterns.some((p) => !/^[\w+=,.@*?-]{1,64}$/.test(p)))) {
      throw new Error(violationMessage({
        prop: 'sessionNames',
        value: restriction.patterns,
        rule: 'SessionNameRestriction.matching() needs at least one pattern of session-name characters, "*" and "?"',
        fix: 'pass patterns such as "*@example.com" or "team-*", or use SessionNameRestriction.any()',
        see: DOCS.assumeRole,
      }, this));
    }
  }

  /** Outputs with what the agent needs, one per binding for the session names. */
  private renderAgentSettings(): void {
    const stack = Stack.of(this);
    new CfnOutput(this, 'EksRoleArn', { description: 'EKS_ROLE_ARN: the role the agent assumes', value: this.role.roleArn });
    new CfnOutput(this, 'EksCluster', { description: 'EKS_CLUSTER: the cluster name', value: this.cluster.clusterName });
    new CfnOutput(this, 'EksAwsRegion', { description: 'EKS_AWS_REGION: the cluster region', value: this.cluster.env.region ?? stack.region });
    for (const { binding, username } of this.bindings) {
      new CfnOutput(this, `Session${hashOf(binding.sessionName)}`, {
        description: `EKS_BINDING_USER_ROLE=${binding.sessionName} becomes Kubernetes user ${username}`,
        value: binding.sessionName,
      });
    }
  }

  /** Splits the chart into manifests by subject, so adding or removing a subject never moves another one. */
  private renderManifests(): void {
    if (this.rendered) {
      return;
    }
    this.rendered = true;

    if (this.agentSettingsOutputs) {
      this.renderAgentSettings();
    }
    attachCustomSynthesis(this, {
      onSynthesize: (session) => writeAccessReport(session.outdir, this, {
        cluster: this.cluster.clusterName,
        role: this.role.roleArn,
        usernameTemplate: usernameTemplate(this.usernamePrefix, this.sessionNameMacro),
        agents: this.agents.map((a) => ({ arn: a.principalArn, policyAttached: this.attachedAgents.includes(a) })),
        sessionNames: this.sessionNameRestriction,
        sessions: this.bindings.map(({ binding, username }) => ({
          sessionName: binding.sessionName, kubernetesUser: username, permissions: binding,
        })),
        groups: this.groupBindings.map(({ binding }) => ({ group: binding.groupName, permissions: binding })),
        accessPolicies: this.accessPolicies,
      }),
    });

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

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8).toUpperCase();
}
