import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { GroupBinding, SessionBinding } from './binding';
import { ManifestDelivery } from './delivery';
import type { EksAccessRole } from './eks-access-role';
import { ClusterGrant } from './private/cluster-grant';

/**
 * A cluster to grant the role access to, and what its sessions may do there.
 *
 * Give the cluster in exactly one form: `cluster` (aws-eks), `clusterV2` (aws-eks-v2) or `clusterName`.
 */
export interface ClusterAccessOptions {
  /**
   * An `aws-cdk-lib/aws-eks` cluster: a `Cluster` of this app, or one imported with `kubectlRoleArn` or
   * `kubectlProvider` (needed for kubectl delivery).
   *
   * @default - give `clusterV2` or `clusterName` instead
   */
  readonly cluster?: eks.ICluster;

  /**
   * An `aws-cdk-lib/aws-eks-v2` cluster: a `Cluster` of this app (created with `kubectlProviderOptions` for kubectl
   * delivery), or one imported with `kubectlProvider`.
   *
   * @default - give `cluster` or `clusterName` instead
   */
  readonly clusterV2?: eksv2.ICluster;

  /**
   * A cluster known only by name (managed by Terraform, eksctl or another app), in this stack's account and region.
   * The access entry is created; the RBAC manifests are delivered as YAML only.
   *
   * @default - give `cluster` or `clusterV2` instead
   */
  readonly clusterName?: string;

  /**
   * The authentication mode of an imported or name-only cluster, which CDK cannot see.
   *
   * Without it, synth warns (`cdk-eks-access-role:authenticationModeUnknown`) that the cluster must use `API` or
   * `API_AND_CONFIG_MAP`; `CONFIG_MAP` fails synth. Ignored for a cluster of this app, whose mode is known.
   *
   * @default - unknown for imported and name-only clusters
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
   * How the RBAC manifests reach the cluster.
   *
   * @default - ManifestDelivery.KUBECTL, or ManifestDelivery.YAML for a cluster given by `clusterName`
   */
  readonly delivery?: ManifestDelivery;

  /**
   * A directory to also write the YAML file to (for example a GitOps repository checkout), as
   * `<stack>.<construct path>.k8s.yaml`. Only with YAML delivery.
   *
   * @default - the YAML file is written only into the cloud assembly
   */
  readonly yamlOutputDirectory?: string;

  /**
   * Lets kubectl take over objects that already exist in the cluster (`kubectl apply` instead of `kubectl create`),
   * for example bindings created by hand from the agent vendor's guide.
   *
   * @default false - deploying fails if an object of the same name exists
   */
  readonly overwrite?: boolean;
}

/**
 * Properties of a `ClusterAccess`.
 */
export interface ClusterAccessProps extends ClusterAccessOptions {
  /** The role to grant access with: its trust, agents and username prefix apply in this cluster too. */
  readonly accessRole: EksAccessRole;
}

/**
 * Grants an existing `EksAccessRole` access to one more cluster, with an access entry and bindings of its own.
 *
 * Create it directly, or with `EksAccessRole.addCluster()`. EKS allows one access entry per role per cluster, so a
 * second grant of the same role to the same cluster fails synth.
 */
export class ClusterAccess extends Construct {
  /** The access entry in this cluster. */
  public readonly accessEntry: eks.CfnAccessEntry;

  /** The cdk8s chart of this cluster's RBAC objects. Objects you add to it are delivered along with the bindings. */
  public readonly chart: cdk8s.Chart;

  private readonly grant: ClusterGrant;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    this.grant = new ClusterGrant(this, props.accessRole._grantedRole(), props);
    props.accessRole._addGrant(this.grant);
    this.accessEntry = this.grant.accessEntry;
    this.chart = this.grant.chart;
  }

  /** The session names bound in this cluster, in the order they were added. */
  public get sessionNames(): string[] {
    return this.grant.sessionNames;
  }

  /** Binds a session name to permissions in this cluster. */
  public addBinding(binding: SessionBinding): void {
    this.grant.addBinding(binding);
  }

  /** Binds a Kubernetes group to permissions in this cluster and adds it to the access entry's groups. */
  public addGroupBinding(binding: GroupBinding): void {
    this.grant.addGroupBinding(binding);
  }

  /** Attaches an EKS access policy to this cluster's access entry. */
  public addAccessPolicy(policy: eks.IAccessPolicy): void {
    this.grant.addAccessPolicy(policy);
  }
}
