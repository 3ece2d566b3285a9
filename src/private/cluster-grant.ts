import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AspectPriority, Aspects, attachCustomSynthesis, CfnOutput, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Agent } from '../agent';
import { GroupBinding, PermissionOptions, SessionBinding } from '../binding';
import type { ClusterAccessOptions } from '../cluster-access';
import { ManifestDelivery } from '../delivery';
import { SessionNameRestriction } from '../session-names';
import { SessionNameMacro } from '../username';
import { DOCS } from './docs';
import { fail, violationMessage } from './errors';
import { shortHash } from './hash';
import { NAMESPACES_GROUP, RbacChart } from './rbac';
import { registerClusterGrant } from './registry';
import { accessReportBaseName, writeAccessReport } from './report';
import { renderUsername, usernameTemplate } from './username';
import * as check from './validation';

/** Manifests are split into this many resources by a hash of the subject; changing it would move live objects. */
const MANIFEST_BUCKETS = 16;

/** The EKS-managed access policies for user access; there are no custom ones. */
const KNOWN_ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy', 'AmazonEKSAdminViewPolicy',
];

/** Session outputs stay well below CloudFormation's 200 outputs per stack. */
const MAX_SESSION_OUTPUTS = 150;

/** What a grant needs to know about the role it grants. */
export interface GrantedRole {
  readonly role: iam.IRole;
  readonly usernamePrefix: string;
  readonly sessionNameMacro: SessionNameMacro;
  readonly agents: Agent[];
  readonly attachedAgents: Agent[];
  readonly sessionNameRestriction: SessionNameRestriction;
  readonly agentSettingsOutputs: boolean;
}

/** The cluster a grant targets, whatever form the user gave it in. */
interface Target {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
  /** The prop the user gave the cluster in, for messages. */
  readonly prop: string;
  /** Known authentication mode, or undefined when CDK cannot see it. */
  readonly authenticationMode?: eks.AuthenticationMode;
  /** Why kubectl cannot reach the cluster, or undefined when it can. */
  readonly noKubectl?: string;
  manifest(scope: Construct, id: string, manifest: any[], overwrite?: boolean): Construct;
}

/**
 * Everything one role grants in one cluster: the access entry, the RBAC chart and its delivery. `EksAccessRole` holds
 * one for its own cluster, in its own scope (so its logical ids stay put); each `ClusterAccess` holds one more.
 */
export class ClusterGrant {
  public readonly accessEntry: eks.CfnAccessEntry;
  public readonly rbac: RbacChart;
  public readonly bindings: Array<{ prop: string; binding: SessionBinding; username: string }> = [];
  /** The binding of each Kubernetes user, to find a second binding of a user in constant time. */
  private readonly bindingOfUser = new Map<string, { prop: string; binding: SessionBinding }>();
  private readonly groupBindings: Array<{ prop: string; binding: GroupBinding }> = [];
  private readonly accessPolicies: eks.IAccessPolicy[] = [];
  private readonly target: Target;
  private readonly delivery: ManifestDelivery;
  private rendered = false;

  constructor(private readonly scope: Construct, private readonly granted: GrantedRole, private readonly options: ClusterAccessOptions) {
    this.target = resolveTarget(scope, options);
    const nameOnly = options.clusterName !== undefined;
    this.delivery = check.checkEnum('delivery', options.delivery ?? (nameOnly ? ManifestDelivery.YAML : ManifestDelivery.KUBECTL), ManifestDelivery, scope);
    this.checkAuthenticationMode();
    this.checkDelivery();

    // Two grants on one cluster must not share a principal (EKS allows one entry each) or a username prefix.
    registerClusterGrant(scope, this.target, granted.role.roleArn, granted.usernamePrefix);

    // The access entry: every session of the role becomes the user <prefix>:<session name>.
    this.accessEntry = new eks.CfnAccessEntry(scope, 'AccessEntry', {
      clusterName: this.target.clusterName,
      principalArn: granted.role.roleArn,
      type: 'STANDARD',
      username: usernameTemplate(granted.usernamePrefix, granted.sessionNameMacro),
      kubernetesGroups: Lazy.list({ produce: () => this.groupBindings.map((g) => g.binding.groupName) }, { omitEmpty: true }),
      accessPolicies: Lazy.any({ produce: () => this.renderAccessPolicies() }, { omitEmptyArray: true }),
    });

    // The RBAC objects, built as bindings are added and delivered once the app is complete.
    this.rbac = new RbacChart('rbac', granted.usernamePrefix);
    for (const [i, binding] of check.checkList('bindings', options.bindings, scope).entries()) {
      this.addBinding(binding, `bindings[${i}]`);
    }
    for (const [i, binding] of check.checkList('groupBindings', options.groupBindings, scope).entries()) {
      this.addGroupBinding(binding, `groupBindings[${i}]`);
    }
    for (const policy of check.checkList('accessPolicies', options.accessPolicies, scope)) {
      this.addAccessPolicy(policy);
    }
    Aspects.of(scope).add({ visit: (node: IConstruct) => node === scope && this.render() }, { priority: AspectPriority.MUTATING });
    scope.node.addValidation({ validate: () => this.validateComplete() });
  }

  public get chart(): cdk8s.Chart {
    return this.rbac.chart;
  }

  public get sessionNames(): string[] {
    return this.bindings.map((b) => b.binding.sessionName);
  }

  /** Adds a session binding; `prop` names it in messages (default: the `addBinding()` call). */
  public addBinding(binding: SessionBinding, prop = `addBinding(${JSON.stringify(binding?.sessionName)})`): void {
    this.assertOpen(prop);
    checkStruct(prop, binding, this.scope);
    check.checkSessionName(`${prop}.sessionName`, binding.sessionName, this.scope);
    this.checkPermissions(prop, binding);
    const username = renderUsername(this.granted.usernamePrefix, this.granted.sessionNameMacro, binding.sessionName);
    const clash = this.bindingOfUser.get(username);
    if (clash) {
      fail({
        prop: `${prop}.sessionName`,
        value: binding.sessionName,
        rule: `${clash.prop} already binds session ${JSON.stringify(clash.binding.sessionName)} to the same Kubernetes user ${JSON.stringify(username)}`,
        fix: 'merge the two bindings into one that lists all the permissions that session needs',
      }, this.scope);
    }
    this.bindings.push({ prop, binding, username });
    this.bindingOfUser.set(username, { prop, binding });
    this.rbac.grant({ kind: 'User', name: username, declared: binding.sessionName }, binding);
  }

  /** Adds a group binding; `prop` names it in messages (default: the `addGroupBinding()` call). */
  public addGroupBinding(binding: GroupBinding, prop = `addGroupBinding(${JSON.stringify(binding?.groupName)})`): void {
    this.assertOpen(prop);
    checkStruct(prop, binding, this.scope);
    check.checkGroupName(`${prop}.groupName`, binding.groupName, this.scope);
    this.checkPermissions(prop, binding);
    const clash = this.groupBindings.find((g) => g.binding.groupName === binding.groupName);
    if (clash) {
      fail({ prop: `${prop}.groupName`, value: binding.groupName, rule: `${clash.prop} already binds this group`, fix: 'merge the two group bindings into one' }, this.scope);
    }
    this.groupBindings.push({ prop, binding });
    this.rbac.grant({ kind: 'Group', name: binding.groupName, declared: binding.groupName }, binding);
  }

  public addAccessPolicy(policy: eks.IAccessPolicy): void {
    this.assertOpen('addAccessPolicy(policy)');
    if (typeof policy?.accessScope !== 'object' || policy.policy === undefined) {
      fail({
        prop: `accessPolicies[${this.accessPolicies.length}]`,
        value: policy,
        rule: 'An access policy needs a policy ARN and an access scope',
        fix: 'create it with eks.AccessPolicy.fromAccessPolicyName(name, { accessScopeType })',
        see: DOCS.accessPolicies,
      }, this.scope);
    }
    check.checkAccessPolicy(`accessPolicies[${this.accessPolicies.length}]`, policy, this.accessPolicies, this.scope);
    const name = check.accessPolicyName(this.scope, policy);
    if (!KNOWN_ACCESS_POLICIES.includes(name)) {
      Annotations.of(this.scope).addWarningV2('cdk-eks-access-role:unknownAccessPolicy',
        `Access policy ${name} is not one of the EKS-managed policies this library knows (${KNOWN_ACCESS_POLICIES.join(', ')}). ` +
        'EKS has no custom access policies: a misspelt name fails at deploy. Acknowledge this warning for a policy AWS added since.');
    }
    this.accessPolicies.push(policy);
  }

  /** Whether this grant bound anything at all (sessions, groups or access policies). */
  public get grantsAnything(): boolean {
    return this.bindings.length + this.groupBindings.length + this.accessPolicies.length > 0;
  }

  private checkPermissions(prop: string, permissions: PermissionOptions): void {
    const namespaces = check.checkList(`${prop}.namespaces`, permissions.namespaces, this.scope, String);
    if (permissions.createNamespaces && namespaces.length === 0) {
      fail({
        prop: `${prop}.createNamespaces`,
        value: true,
        rule: 'createNamespaces creates the binding\'s namespaces, and the binding lists none',
        fix: 'list the namespaces to create in namespaces, or drop createNamespaces',
        see: DOCS.rbac,
      }, this.scope);
    }
    for (const [i, role] of check.checkList(`${prop}.clusterRoles`, permissions.clusterRoles, this.scope, (r) => String(r.name ?? r)).entries()) {
      check.checkClusterRoleName(`${prop}.clusterRoles[${i}]`, role, this.scope);
    }
    for (const [i, namespace] of namespaces.entries()) {
      check.checkNamespace(`${prop}.namespaces[${i}]`, namespace, this.scope);
      if (permissions.createNamespaces) {
        check.checkCreatableNamespace(`${prop}.namespaces[${i}]`, namespace, this.scope);
      }
    }
    for (const [i, rule] of check.checkList(`${prop}.rules`, permissions.rules, this.scope).entries()) {
      check.checkRbacRule(`${prop}.rules[${i}]`, rule, this.scope);
      if (namespaces.length > 0) {
        check.checkNamespacedRule(`${prop}.rules[${i}]`, rule, this.scope);
      }
      const unknown = rule.verbs.filter((v) => !check.KNOWN_VERBS.has(v));
      if (unknown.length > 0) {
        Annotations.of(this.scope).addWarningV2('cdk-eks-access-role:unknownVerb',
          `${prop}.rules[${i}] has verbs Kubernetes does not check for built-in resources: ${unknown.join(', ')}. ` +
          'A typo here grants nothing; acknowledge this warning if an aggregated API of yours uses them.');
      }
    }
  }

  private assertOpen(prop: string): void {
    if (this.rendered) {
      fail({
        prop,
        value: 'after synthesis',
        rule: 'Bindings cannot be added once the app has been synthesized',
        fix: 'add every binding before calling app.synth() or Template.fromStack()',
      }, this.scope);
    }
  }

  /** Access entries need API or API_AND_CONFIG_MAP; aws-eks clusters default to CONFIG_MAP. */
  private checkAuthenticationMode(): void {
    const mode = this.target.authenticationMode ?? this.options.clusterAuthenticationMode;
    const prop = this.target.authenticationMode ? `${this.target.prop}.authenticationMode` : 'clusterAuthenticationMode';
    if (mode === eks.AuthenticationMode.CONFIG_MAP) {
      fail({
        prop,
        value: mode,
        rule: 'EKS creates access entries only on clusters whose authentication mode is API or API_AND_CONFIG_MAP',
        fix: 'set authenticationMode: AuthenticationMode.API_AND_CONFIG_MAP on the cluster (a one-way change: ' +
          'CONFIG_MAP -> API_AND_CONFIG_MAP -> API; existing aws-auth mappings keep working)',
        see: DOCS.authenticationMode,
      }, this.scope);
    }
    if (mode === undefined) {
      Annotations.of(this.scope).addWarningV2('cdk-eks-access-role:authenticationModeUnknown',
        'The imported cluster\'s authentication mode is unknown: the access entry deploys only if it is API or API_AND_CONFIG_MAP. ' +
        'State it with clusterAuthenticationMode to silence this warning.');
    }
  }

  /** kubectl delivery needs a way to run kubectl; say what is missing instead of failing deep in aws-cdk-lib. */
  private checkDelivery(): void {
    if (this.delivery !== ManifestDelivery.YAML && this.target.noKubectl) {
      fail({
        prop: 'delivery',
        value: this.delivery,
        rule: `The manifests cannot be applied with kubectl: ${this.target.noKubectl}`,
        fix: 'give the cluster a kubectl role or provider, or set delivery: ManifestDelivery.YAML and apply the YAML file ' +
          'written to the cloud assembly with your GitOps tool',
      }, this.scope);
    }
    if (this.options.yamlOutputDirectory !== undefined && this.delivery === ManifestDelivery.KUBECTL) {
      fail({
        prop: 'yamlOutputDirectory',
        value: this.options.yamlOutputDirectory,
        rule: 'A YAML output directory only applies when the manifests are delivered as YAML',
        fix: 'set delivery: ManifestDelivery.YAML or ManifestDelivery.KUBECTL_AND_YAML, or drop yamlOutputDirectory',
      }, this.scope);
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
    if (this.granted.agentSettingsOutputs && this.bindings.length > MAX_SESSION_OUTPUTS) {
      errors.push(violationMessage({
        prop: 'agentSettingsOutputs',
        value: true,
        rule: `One output per session would take ${this.bindings.length} of the 200 outputs CloudFormation allows in a stack ` +
          `(this construct emits them for at most ${MAX_SESSION_OUTPUTS} sessions)`,
        fix: 'turn agentSettingsOutputs off and read each session\'s Kubernetes user from the access report (<stack>.<path>.access.json)',
        see: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
      }));
    }
    if (!this.grantsAnything) {
      errors.push(violationMessage({
        prop: 'bindings',
        value: [],
        rule: 'The role grants nothing in this cluster: it has no session bindings, group bindings or access policies',
        fix: 'pass bindings such as [{ sessionName: "developers", clusterRoles: [KubernetesClusterRole.VIEW] }] or call addBinding()',
      }));
    }
    return errors;
  }

  /** Delivers the RBAC objects, the access report and the outputs, once every binding is known. */
  private render(): void {
    if (this.rendered) {
      return;
    }
    this.rendered = true;

    if (this.granted.agentSettingsOutputs) {
      this.renderAgentSettings();
    }
    const yaml = this.delivery === ManifestDelivery.KUBECTL ? undefined : this.renderYaml();
    attachCustomSynthesis(this.scope, {
      onSynthesize: (session) => {
        this.writeReport(session.outdir);
        if (yaml !== undefined) {
          const name = `${accessReportBaseName(this.scope)}.k8s.yaml`;
          fs.writeFileSync(path.join(session.outdir, name), yaml);
          if (this.options.yamlOutputDirectory !== undefined) {
            fs.mkdirSync(this.options.yamlOutputDirectory, { recursive: true });
            fs.writeFileSync(path.join(this.options.yamlOutputDirectory, name), yaml);
          }
        }
      },
    });
    if (this.delivery !== ManifestDelivery.YAML) {
      this.renderManifests();
    }
  }

  /** Splits the objects into manifests by subject, so adding or removing a subject never moves another one. */
  private renderManifests(): void {
    const groups = new Map<string, any[]>();
    for (const { group, manifest } of this.rbac.synth()) {
      const id = group === NAMESPACES_GROUP ? 'RbacNamespaces' : `Rbac${bucket(group)}`;
      groups.set(id, [...groups.get(id) ?? [], manifest]);
    }

    const namespaces = groups.get('RbacNamespaces');
    const namespaceManifest = namespaces && this.target.manifest(this.scope, 'RbacNamespaces', namespaces, this.options.overwrite);
    for (const [id, manifest] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (id === 'RbacNamespaces') {
        continue;
      }
      const resource = this.target.manifest(this.scope, id, manifest, this.options.overwrite);
      if (namespaceManifest) {
        resource.node.addDependency(namespaceManifest);
      }
    }
  }

  /** The chart as one multi-document YAML file, refusing values that are only known at deploy time. */
  private renderYaml(): string {
    const objects = this.rbac.synth().map((o) => o.manifest);
    for (const o of objects) {
      const token = findToken(o);
      if (token) {
        fail({
          prop: `chart object ${o.kind}/${o.metadata?.name}`,
          value: `${token.path}: ${token.value}`,
          rule: 'A YAML file for GitOps cannot hold a value that CDK only resolves at deploy time (a token)',
          fix: 'use literal values in objects you add to the chart, or deliver with ManifestDelivery.KUBECTL',
        }, this.scope);
      }
    }
    return cdk8s.Yaml.stringify(...objects);
  }

  private renderAgentSettings(): void {
    new CfnOutput(this.scope, 'EksRoleArn', { description: 'EKS_ROLE_ARN: the role the agent assumes', value: this.granted.role.roleArn });
    new CfnOutput(this.scope, 'EksCluster', { description: 'EKS_CLUSTER: the cluster name', value: this.target.clusterName });
    new CfnOutput(this.scope, 'EksAwsRegion', { description: 'EKS_AWS_REGION: the cluster region', value: this.target.region });
    for (const { binding, username } of this.bindings) {
      new CfnOutput(this.scope, `Session${shortHash(binding.sessionName).toUpperCase()}`, {
        description: `EKS_BINDING_USER_ROLE=${binding.sessionName} becomes Kubernetes user ${username}`,
        value: binding.sessionName,
      });
    }
  }

  private writeReport(outdir: string): void {
    writeAccessReport(outdir, this.scope, {
      cluster: this.target.clusterName,
      role: this.granted.role.roleArn,
      usernameTemplate: usernameTemplate(this.granted.usernamePrefix, this.granted.sessionNameMacro),
      agents: this.granted.agents.map((a) => ({ arn: a.principalArn, policyAttached: this.granted.attachedAgents.includes(a) })),
      sessionNames: this.granted.sessionNameRestriction,
      sessions: this.bindings.map(({ binding, username }) => ({ sessionName: binding.sessionName, kubernetesUser: username, permissions: binding })),
      groups: this.groupBindings.map(({ binding }) => ({ group: binding.groupName, permissions: binding })),
      accessPolicies: this.accessPolicies,
    });
  }
}

/** Exactly one of cluster, clusterV2 and clusterName, with what each form can and cannot do. */
function resolveTarget(scope: Construct, options: ClusterAccessOptions): Target {
  const given = (['cluster', 'clusterV2', 'clusterName'] as const).filter((k) => options[k] !== undefined);
  if (given.length !== 1) {
    fail({
      prop: given.length === 0 ? 'cluster' : given.join(', '),
      value: given.length === 0 ? undefined : 'several clusters',
      rule: 'Exactly one of cluster (aws-eks), clusterV2 (aws-eks-v2) and clusterName (a cluster known only by name) must be given',
      fix: 'pass the cluster in the one form you have it in; to grant several clusters, call addCluster() for each further one',
    }, scope);
  }
  const stack = Stack.of(scope);
  if (options.cluster) {
    const cluster = options.cluster;
    const isNew = cluster instanceof eks.Cluster;
    return {
      clusterName: cluster.clusterName,
      account: cluster.env.account,
      region: cluster.env.region,
      prop: 'cluster',
      authenticationMode: isNew ? (cluster as eks.Cluster).authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP : undefined,
      noKubectl: isNew || cluster.kubectlRole || cluster.kubectlProvider ? undefined
        : 'the aws-eks cluster was imported without kubectlRoleArn or kubectlProvider',
      manifest: (s, id, manifest, overwrite) => new eks.KubernetesManifest(s, id, { cluster, manifest, overwrite }),
    };
  }
  if (options.clusterV2) {
    const cluster = options.clusterV2;
    return {
      clusterName: cluster.clusterName,
      account: cluster.env.account,
      region: cluster.env.region,
      prop: 'clusterV2',
      // aws-eks-v2 clusters always use the access entry API.
      authenticationMode: cluster instanceof eksv2.Cluster ? eks.AuthenticationMode.API : undefined,
      noKubectl: cluster.kubectlProvider ? undefined
        : 'the aws-eks-v2 cluster has no kubectl provider (create it with kubectlProviderOptions, or import it with kubectlProvider)',
      manifest: (s, id, manifest, overwrite) => new eksv2.KubernetesManifest(s, id, { cluster, manifest, overwrite }),
    };
  }
  check.checkClusterName('clusterName', options.clusterName!, scope);
  return {
    clusterName: options.clusterName!,
    account: stack.account,
    region: stack.region,
    prop: 'clusterName',
    noKubectl: 'a cluster given only by clusterName has no kubectl access in this app',
    manifest: () => {
      throw new Error('unreachable: clusterName targets deliver YAML only');
    },
  };
}

function checkStruct(prop: string, value: unknown, scope: IConstruct): void {
  if (typeof value !== 'object' || value === null) {
    fail({ prop, value, rule: 'A binding object is required here', fix: 'pass an object such as { sessionName: "developers", clusterRoles: [...] }' }, scope);
  }
}

function findToken(value: unknown, at = ''): { path: string; value: string } | undefined {
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? { path: at || '.', value } : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = findToken(v, `${at}.${k}`);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/** The manifest resource a subject's objects go to: its hash's first byte, modulo the bucket count. */
function bucket(group: string): string {
  return (parseInt(shortHash(group).slice(0, 2), 16) % MANIFEST_BUCKETS).toString(16).toUpperCase();
}
