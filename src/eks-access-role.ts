import { Annotations, CfnOutput, Duration, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { Agent } from './agent';
import { GroupBinding, SessionBinding } from './binding';
import { ClusterAccess, ClusterAccessOptions } from './cluster-access';
import { ClusterGrant, GrantedRole } from './private/cluster-grant';
import { DOCS } from './private/docs';
import { fail, violationMessage } from './private/errors';
import { AgentsPrincipal } from './private/trust';
import { DEFAULT_USERNAME_PREFIX, renderUsername } from './private/username';
import * as check from './private/validation';
import { SessionNameRestriction } from './session-names';
import { SessionNameMacro } from './username';

/**
 * Properties of an `EksAccessRole`.
 */
export interface EksAccessRoleProps extends ClusterAccessOptions {
  /**
   * The identities the access gateway agent runs as ("Role X"): they may assume the role.
   *
   * The trust policy names each ARN itself, never its account root (unless an agent opts into
   * `trustAccountWithPrincipalArnCondition`). Required, unless `existingRoleArn` is given: then the existing role's
   * owner manages its trust and the agents' permission, and `agents` is refused.
   *
   * @default - none; only allowed with `existingRoleArn`
   */
  readonly agents?: Agent[];

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

/**
 * An IAM role that an access gateway agent assumes to reach an EKS cluster, with everything that makes it work.
 *
 * It creates the role ("Role Y") trusted by the agents ("Role X"), the agents' `sts:AssumeRole` permission, the
 * `AWS::EKS::AccessEntry` that maps each session to the Kubernetes user `<usernamePrefix>:<session name>`, and a
 * cdk8s chart of (Cluster)RoleBindings for those users, applied with kubectl or written as YAML for GitOps.
 * `addCluster()` grants the same role access to further clusters.
 */
export class EksAccessRole extends Construct {
  /** The role the agents assume ("Role Y"); the access entry's principal. */
  public readonly role: iam.IRole;

  /** The access entry that maps the role's sessions to Kubernetes users in the construct's cluster. */
  public readonly accessEntry: eks.CfnAccessEntry;

  /**
   * The cdk8s chart holding the RBAC objects of the construct's cluster. Objects you add to it are delivered along
   * with the bindings.
   */
  public readonly chart: cdk8s.Chart;

  /** The username prefix, for example `eks-access-role`. */
  public readonly usernamePrefix: string;

  /** The macro that carries the session name into the username. */
  public readonly sessionNameMacro: SessionNameMacro;

  private readonly agents: Agent[];
  private readonly sessionNameRestriction: SessionNameRestriction;
  private readonly trustPolicySizeLimit: number;
  private readonly agentSettingsOutputs: boolean;
  private readonly attachedAgents: Agent[] = [];
  private readonly grants: ClusterGrant[] = [];
  private readonly primary: ClusterGrant;

  constructor(scope: Construct, id: string, props: EksAccessRoleProps) {
    super(scope, id);
    if (typeof props !== 'object' || props === null) {
      fail({ prop: 'props', value: props, rule: 'EksAccessRole needs props', fix: 'pass at least a cluster, agents and bindings' }, this);
    }

    this.usernamePrefix = props.usernamePrefix ?? DEFAULT_USERNAME_PREFIX;
    this.sessionNameMacro = check.checkEnum('sessionNameMacro', props.sessionNameMacro ?? SessionNameMacro.SESSION_NAME_RAW, SessionNameMacro, this);
    check.checkUsernamePrefix('usernamePrefix', this.usernamePrefix, this);
    this.agents = check.checkList('agents', props.agents, this, (a) => a.principalArn);
    this.sessionNameRestriction = props.sessionNames ?? SessionNameRestriction.declared();
    this.trustPolicySizeLimit = props.trustPolicySizeLimit ?? 2048;
    this.agentSettingsOutputs = props.agentSettingsOutputs ?? false;
    this.checkRestriction();

    if (props.existingRoleArn !== undefined) {
      check.checkExistingRoleArn('existingRoleArn', props.existingRoleArn, this);
    }
    this.checkRoleProps(props);
    if (props.existingRoleArn !== undefined) {
      // An existing role: its trust and the agents' permission are the owner's to manage.
      this.role = iam.Role.fromRoleArn(this, 'Role', props.existingRoleArn, { mutable: false });
      Annotations.of(this).addWarningV2('cdk-eks-access-role:existingRole',
        'existingRoleArn is used as is: its trust policy must allow the agents to call sts:AssumeRole, and deleting and ' +
        're-creating the role under the same ARN silently breaks the access entry (EKS keeps the old unique id).');
    } else {
      if (this.agents.length === 0) {
        fail({
          prop: 'agents',
          value: [],
          rule: 'The role needs at least one agent to trust',
          fix: 'pass the role the agent runs as, for example [Agent.fromRole(agentRole)]',
        }, this);
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

    // The construct's own cluster: access entry and RBAC in this scope, so their logical ids never move.
    this.primary = new ClusterGrant(this, this._grantedRole(), props);
    this._addGrant(this.primary);
    this.accessEntry = this.primary.accessEntry;
    this.chart = this.primary.chart;
    this.node.addValidation({ validate: () => this.validateSessions() });
  }

  /**
   * The session names bound so far in every cluster of the role, each once, in the order they were first added.
   */
  public get sessionNames(): string[] {
    return [...new Set(this.grants.flatMap((g) => g.sessionNames))];
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
   * Binds a session name to permissions in the construct's cluster, with the same checks as the `bindings` prop.
   */
  public addBinding(binding: SessionBinding): void {
    this.primary.addBinding(binding);
  }

  /**
   * Binds a Kubernetes group to permissions in the construct's cluster and adds it to the access entry's groups.
   */
  public addGroupBinding(binding: GroupBinding): void {
    this.primary.addGroupBinding(binding);
  }

  /**
   * Attaches an EKS access policy to the access entry of the construct's cluster.
   */
  public addAccessPolicy(policy: eks.IAccessPolicy): void {
    this.primary.addAccessPolicy(policy);
  }

  /**
   * Grants the same role access to another cluster, with an access entry and bindings of its own.
   *
   * @param id the construct id of the new `ClusterAccess`, under this construct
   * @param options the cluster and what the role's sessions may do there
   */
  public addCluster(id: string, options: ClusterAccessOptions): ClusterAccess {
    return new ClusterAccess(this, id, { ...options, accessRole: this });
  }

  /**
   * What a cluster grant needs to know about this role.
   *
   * @internal
   */
  public _grantedRole(): GrantedRole {
    return {
      role: this.role,
      usernamePrefix: this.usernamePrefix,
      sessionNameMacro: this.sessionNameMacro,
      agents: this.agents,
      attachedAgents: this.attachedAgents,
      sessionNameRestriction: this.sessionNameRestriction,
      agentSettingsOutputs: this.agentSettingsOutputs,
    };
  }

  /**
   * Records a cluster grant, so its session names join the trust policy's.
   *
   * @internal
   */
  public _addGrant(grant: ClusterGrant): void {
    this.grants.push(grant);
  }

  private grantAgents(agents: Agent[]): void {
    const stack = Stack.of(this);
    const sameAccount = agents.filter((a) => a.role && Token.compareStrings(a.role.env.account, stack.account) !== TokenComparison.DIFFERENT);
    const statement = new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [this.role.roleArn] });

    if (sameAccount.length > 0) {
      const policy = new AgentPolicy(this, 'AgentPolicy', {
        description: 'Lets the access gateway agent assume its EKS role (cdk-eks-access-role)',
        statements: [statement],
      });
      for (const agent of sameAccount) {
        if (agent.role instanceof iam.Role) {
          policy.attachToRole(agent.role);
        } else {
          // Imported roles attach through the policy; roles imported with `mutable: false` ignore this, and are
          // then handled like roles given by ARN.
          agent.role!.addManagedPolicy(policy);
        }
      }
      this.attachedAgents.push(...sameAccount.filter((a) => policy.attachedRoles.has(a.role!)));
      if (policy.attachedRoles.size === 0) {
        this.node.tryRemoveChild(policy.node.id);
      }
    }

    const detached = agents.filter((a) => !this.attachedAgents.includes(a));
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

  private checkRestriction(): void {
    const restriction = this.sessionNameRestriction;
    if (!(restriction instanceof SessionNameRestriction) || !['declared', 'matching', 'any'].includes(restriction.kind)) {
      fail({
        prop: 'sessionNames',
        value: restriction,
        rule: 'The session-name restriction must come from SessionNameRestriction.declared(), .matching() or .any()',
        fix: 'use one of those factories; an object of the same shape is not accepted, because the trust policy depends on it',
        see: DOCS.assumeRole,
      }, this);
    }
    if (restriction.kind === 'matching' && (restriction.patterns.length === 0 || restriction.patterns.some((p) => !/^[\w+=,.@*?-]{1,64}$/.test(p)))) {
      fail({
        prop: 'sessionNames',
        value: restriction.patterns,
        rule: 'SessionNameRestriction.matching() needs at least one pattern of session-name characters, "*" and "?"',
        fix: 'pass patterns such as "*@example.com" or "team-*", or use SessionNameRestriction.any()',
        see: DOCS.assumeRole,
      }, this);
    }
  }

  /** Role-shaping props must make sense together: an existing role ignores them all. */
  private checkRoleProps(props: EksAccessRoleProps): void {
    if (props.existingRoleArn !== undefined) {
      const shaping = ['roleName', 'path', 'description', 'externalId', 'maxSessionDuration', 'permissionsBoundary', 'sessionNames', 'trustPolicySizeLimit'] as const;
      const ignored: string[] = shaping.filter((k) => props[k] !== undefined);
      if ((props.agents ?? []).length > 0) {
        // The agents' trust and permission are the existing role's owner's to manage.
        ignored.push('agents');
      }
      if (ignored.length > 0) {
        fail({
          prop: ignored.join(', '),
          value: 'set with existingRoleArn',
          rule: 'These props shape the role the construct creates, and with existingRoleArn it creates none, so they would be ignored',
          fix: 'set them on the existing role itself, or drop existingRoleArn to let the construct create the role',
        }, this);
      }
    }
    if (props.externalId !== undefined && !Token.isUnresolved(props.externalId) && !/^[\w+=,.@:/-]{2,1224}$/.test(props.externalId)) {
      fail({
        prop: 'externalId',
        value: props.externalId,
        rule: 'STS accepts an ExternalId of 2 to 1,224 characters from letters, digits and +=,.@:/-, so no agent could pass this one',
        fix: 'use the external ID the agent is configured to send, or leave externalId unset (Hoop sends none)',
        see: DOCS.assumeRole,
      }, this);
    }
    const limit = props.trustPolicySizeLimit;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 4096)) {
      fail({
        prop: 'trustPolicySizeLimit',
        value: limit,
        rule: 'IAM accepts trust policies of up to 2,048 characters, or 4,096 after a quota increase',
        fix: 'leave it unset (2048), or set 4096 once the quota increase is granted',
        see: DOCS.iamQuotas,
      }, this);
    }
  }

  private validateSessions(): string[] {
    const restriction = this.sessionNameRestriction;
    if (restriction.kind === 'matching') {
      const patterns = restriction.patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\=,@-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
      return this.sessionNames.filter((name) => !patterns.some((re) => re.test(name))).map((name) => violationMessage({
        prop: 'sessionNames',
        value: name,
        rule: `The trust policy accepts only session names matching ${restriction.patterns.join(', ')}, so this bound session could never be assumed`,
        fix: 'widen the pattern, add one that matches, or remove the binding',
        see: DOCS.assumeRole,
      }));
    }
    if (restriction.kind !== 'declared' || this.sessionNames.length > 0 || this.agents.length === 0) {
      return [];
    }
    return [violationMessage({
      prop: 'sessionNames',
      value: 'SessionNameRestriction.declared()',
      rule: 'The trust policy accepts only declared session names, and no session is bound, so no agent could assume the role',
      fix: 'bind at least one session, or use SessionNameRestriction.matching(...) or SessionNameRestriction.any() ' +
        'for group or access-policy setups',
      see: DOCS.assumeRole,
    })];
  }
}

/** The agents' managed policy, remembering which roles it was attached to (imported immutable roles refuse it). */
class AgentPolicy extends iam.ManagedPolicy {
  public readonly attachedRoles = new Set<iam.IRole>();

  public attachToRole(role: iam.IRole): void {
    super.attachToRole(role);
    this.attachedRoles.add(role);
  }
}
